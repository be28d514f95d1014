"""On a 390-pixel phone no page of the later stages is wider than the screen.

Wide tables scroll inside their card; nothing may widen the page itself (a
badge row that does not wrap, or visually hidden text escaping a scrolling
table, both did once).
"""

import pytest

from tests.journeys import PASSWORD, project_world

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def _overflow(page) -> int:
    return page.evaluate(
        "() => document.documentElement.scrollWidth"
        " - document.documentElement.clientWidth"
    )


def test_later_stage_pages_fit_a_phone(phone):
    w = project_world()
    idea, racecourse = w["idea"], w["racecourse"]
    pages = {
        "hr": [
            "/",
            f"/ideas/{idea.pk}/",
            f"/racecourses/{racecourse.pk}/",
            f"/gestation/ideas/{idea.pk}/",
            f"/gestation/racecourses/{racecourse.pk}/",
            f"/evaluation/racecourses/{racecourse.pk}/assignments/",
            f"/evaluation/racecourses/{racecourse.pk}/panel/",
            f"/evaluation/racecourses/{racecourse.pk}/rubric/",
            "/realization/",
        ],
        "mentor": ["/gestation/trainer/"],
        "evaluators": ["/evaluation/"],
    }
    for role, urls in pages.items():
        person = w[role][0] if role == "evaluators" else w[role]
        phone.context.clear_cookies()
        sign_in(phone, person.email, PASSWORD)
        for url in urls:
            response = phone.goto(url)
            assert response.status == 200, url
            assert _overflow(phone) <= 0, f"{url} is wider than a phone"
            assert_accessible(phone)
