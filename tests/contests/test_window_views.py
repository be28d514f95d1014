"""The browser page where a person decides a screening window, and its link."""

import pytest
from django.urls import reverse

from contests.models import StageWindow
from ideas.models import Stage, Visibility
from tests.factories import UserFactory, idea_in_stage

from .test_closing import (
    admin_of,
    close,
    end,
    in_screening,
    judge,
    screening_window,
    stage_of,
)

pytestmark = pytest.mark.django_db


def page(window) -> str:
    return reverse("contests:window_confirm", kwargs={"pk": window.pk})


@pytest.fixture
def manual():
    """A closed, proposed manual window: ``up`` proposed, ``down`` not."""
    window = screening_window(rule=StageWindow.Rule.MANUAL)
    up, down = in_screening(window.racecourse, 2)
    judge(up, "+++")
    judge(down, "+--")
    end(window)
    close(window)
    return window, up, down, admin_of(window.racecourse)


def test_the_page_lists_the_proposal_with_each_tally(client, manual):
    window, up, down, admin = manual
    client.force_login(admin)
    response = client.get(page(window))
    assert response.status_code == 200
    html = response.content.decode()
    assert up.title in html and down.title in html
    assert f'value="{up.pk}" id="pass-{up.pk}"' in html
    rows = {row["idea"]: row for row in response.context["rows"]}
    assert rows[up]["proposed"] and not rows[down]["proposed"]
    assert (rows[up]["tally"].supports, rows[up]["percent"]) == (3, 100)
    assert (rows[down]["tally"].opposes, rows[down]["percent"]) == (2, 33)
    # Pre-ticked from the proposal.
    up_box = html.split(f'id="pass-{up.pk}"')[1].split(">")[0]
    down_box = html.split(f'id="pass-{down.pk}"')[1].split(">")[0]
    assert "checked" in up_box and "checked" not in down_box
    assert "Confirm the decision" in html


def test_confirming_applies_the_ticked_list(client, manual):
    window, up, down, admin = manual
    client.force_login(admin)
    response = client.post(
        page(window), {"action": "confirm", "passing": [down.pk]}, follow=True
    )
    assert response.redirect_chain[-1][0] == window.racecourse.get_absolute_url()
    assert (
        "Decision applied: 1 to gestation, 1 eliminated." in response.content.decode()
    )
    assert stage_of(down) == Stage.GESTATION
    assert stage_of(up) == Stage.ELIMINATED
    decided = client.get(page(window)).content.decode()
    assert "Decided by" in decided and "Confirm the decision" not in decided


def test_a_non_ascii_digit_in_the_list_is_ignored_not_a_500(client, manual):
    """'²' passes str.isdigit() but not int(): it is dropped like any junk."""
    window, up, down, admin = manual
    client.force_login(admin)
    response = client.post(
        page(window), {"action": "confirm", "passing": [str(down.pk), "²"]}
    )
    assert response.status_code == 302
    assert stage_of(down) == Stage.GESTATION


def test_a_refused_confirmation_shows_why(client, manual, hr_admin):
    window, up, _down, admin = manual
    client.force_login(admin)
    client.post(page(window), {"action": "confirm", "passing": [up.pk]})
    response = client.post(
        page(window), {"action": "confirm", "passing": []}, follow=True
    )
    assert "already been applied" in response.content.decode()
    assert stage_of(up) == Stage.GESTATION


def test_propose_now_computes_the_proposal(client, hr_admin):
    """Before the minute task ran, the page offers to compute the proposal."""
    window = screening_window(rule=StageWindow.Rule.MANUAL)
    (idea,) = in_screening(window.racecourse, 1)
    end(window)
    client.force_login(hr_admin)
    assert "Compute the proposal now" in client.get(page(window)).content.decode()
    client.post(page(window), {"action": "propose"})
    window.refresh_from_db()
    assert window.proposal.passing == [idea.pk]
    assert stage_of(idea) == Stage.SCREENING


def test_an_open_window_cannot_be_decided_yet(client, hr_admin):
    window = screening_window(rule=StageWindow.Rule.MANUAL)
    client.force_login(hr_admin)
    html = client.get(page(window)).content.decode()
    assert "still open" in html
    assert "Confirm the decision" not in html


def test_employees_may_not_open_the_page(client, manual):
    window, up, _down, _admin = manual
    client.force_login(UserFactory())
    assert client.get(page(window)).status_code == 403
    assert client.post(page(window), {"action": "confirm"}).status_code == 403
    assert stage_of(up) == Stage.SCREENING


def test_anonymous_visitors_are_sent_to_log_in(client, manual):
    response = client.get(page(manual[0]))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_windows_not_decided_by_a_person_have_no_page(client, hr_admin):
    window = screening_window(top_k=1)
    client.force_login(hr_admin)
    assert client.get(page(window)).status_code == 404


def test_the_racecourse_schedule_links_admins_to_the_page(client, manual):
    window, _up, _down, admin = manual
    racecourse_url = window.racecourse.get_absolute_url()
    client.force_login(admin)
    assert page(window) in client.get(racecourse_url).content.decode()
    client.force_login(UserFactory())
    assert page(window) not in client.get(racecourse_url).content.decode()


def test_no_link_while_the_window_is_open(client, hr_admin):
    window = screening_window(rule=StageWindow.Rule.MANUAL)
    client.force_login(hr_admin)
    html = client.get(window.racecourse.get_absolute_url()).content.decode()
    assert page(window) not in html


def test_a_confidential_idea_is_decided_on_its_numbers_alone(client, hr_admin):
    """Someone who may not know it exists gets no title; the racecourse's admin
    and HR see the title (never the body) to decide on its numbers."""
    window = screening_window(rule=StageWindow.Rule.MANUAL)
    secret = idea_in_stage(
        Stage.SCREENING,
        racecourse=window.racecourse,
        title="Secret pricing engine",
        visibility=Visibility.CONFIDENTIAL,
    )
    end(window)
    close(window)

    admin = admin_of(window.racecourse)
    client.force_login(admin)
    html = client.get(page(window)).content.decode()
    assert "Secret pricing engine" in html and secret.problem not in html
    assert f'value="{secret.pk}"' in html and secret.registration.code in html

    client.force_login(hr_admin)
    html = client.get(page(window)).content.decode()
    assert "Secret pricing engine" in html and secret.problem not in html
