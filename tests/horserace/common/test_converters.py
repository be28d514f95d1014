"""Ids from text: what the path converter and ``parse_id`` accept."""

import pytest
from django.test import Client

from horserace.common.converters import parse_id
from tests.factories import open_racecourse

pytestmark = pytest.mark.django_db

NOT_IDS = ["²", "١٢", "1.5", "-1", "0", "", " 1", "9" * 19, "9" * 30, None, 7]


@pytest.mark.parametrize("text", NOT_IDS)
def test_text_that_cannot_be_an_id_is_none(text):
    assert parse_id(text) is None


def test_an_id_is_its_number():
    assert parse_id("42") == 42
    assert parse_id("9" * 18) == 10**18 - 1


@pytest.mark.parametrize("value", ["²", "9" * 30])
def test_an_id_box_in_a_page_never_makes_a_500(user, value):
    """``"²".isdigit()`` is true and ``int("²")`` raises: these were 500s."""
    racecourse = open_racecourse()
    client = Client(raise_request_exception=False)
    client.force_login(user)
    for path, params in [
        ("/racecourses/", {"season": value}),
        (f"/racecourses/{racecourse.pk}/", {"challenge": value}),
        ("/ideas/new/", {"racecourse": value, "challenge": value}),
        (f"/screening/{racecourse.pk}/judge/", {"after": value, "idea": value}),
    ]:
        response = client.get(path, params)
        assert response.status_code == 200, (path, response.status_code)
