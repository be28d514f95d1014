"""A NUL character anywhere in a request is a clear 400, on SQLite and PostgreSQL.

PostgreSQL refuses NUL in text, so a NUL typed into a search box was a 500
there; on SQLite it silently matched nothing.
"""

import pytest
from django.db import connection
from django.test import Client

from tests.factories import RacecourseFactory, open_racecourse

pytestmark = pytest.mark.django_db

MESSAGE = "Null characters are not allowed."


@pytest.fixture
def browser(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_a_nul_in_the_racecourse_search_box_is_a_400_page(browser):
    racecourse = open_racecourse()
    response = browser.get(f"/racecourses/{racecourse.pk}/", {"q": "cold\x00chain"})
    assert response.status_code == 400
    assert b"Bad request" in response.content


def test_a_nul_in_the_people_search_box_is_a_400_page(browser):
    response = browser.get("/ideas/people/", {"q": "ab\x00cd"})
    assert response.status_code == 400


def test_a_nul_in_an_api_query_string_is_a_400_with_the_error_shape(browser):
    response = browser.get("/api/v1/users/", {"search": "a\x00b"})
    assert response.status_code == 400
    assert response.json() == {
        "detail": MESSAGE,
        "code": "invalid",
        "errors": {"search": [MESSAGE]},
    }


def test_a_nul_in_a_query_parameter_name_is_refused_too(browser):
    response = browser.get("/api/v1/ideas/?se%00arch=x")
    assert response.status_code == 400
    assert "search" in response.json()["errors"]


def test_a_nul_in_a_form_body_is_a_400(browser):
    racecourse = open_racecourse()
    response = browser.post(
        "/ideas/new/",
        f"racecourse={racecourse.pk}&title=a%00b",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400


def test_a_nul_in_a_multipart_form_is_a_form_error(browser):
    """Multipart bodies are left to the form fields, which refuse NUL."""
    racecourse = open_racecourse()
    response = browser.post(
        "/ideas/new/", {"racecourse": racecourse.pk, "title": "a\x00b"}
    )
    assert response.status_code == 200
    assert MESSAGE.encode() in response.content


def test_a_nul_in_the_path_is_a_400(browser):
    assert browser.get("/accounts/confirm-email/abc%00def/").status_code == 400


def test_a_cookie_with_a_nul_is_ignored_not_a_500():
    """A quoted cookie may spell NUL as ``\\000``; the session table never sees it."""
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = '"\\000abcdefghijklmnop"'
    response = client.get("/accounts/login/")
    assert response.status_code == 200


def test_text_without_nul_is_untouched(browser):
    racecourse = open_racecourse()
    assert (
        browser.get(f"/racecourses/{racecourse.pk}/", {"q": "cold"}).status_code == 200
    )


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL refuses NUL in text"
)
def test_on_postgresql_every_search_box_with_a_nul_is_a_400_not_a_500(browser):
    racecourse = RacecourseFactory()
    for path, params in [
        (f"/racecourses/{racecourse.pk}/", {"q": "\x00"}),
        ("/ideas/people/", {"q": "ab\x00"}),
        ("/api/v1/ideas/", {"search": "\x00"}),
        ("/api/v1/users/", {"search": "x\x00"}),
    ]:
        response = browser.get(path, params)
        assert response.status_code == 400, path
