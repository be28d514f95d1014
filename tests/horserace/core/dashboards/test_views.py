"""The dashboard page and API: who may see it, and what it shows."""

import pytest
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from .world import build

pytestmark = pytest.mark.django_db

URL = reverse("core:dashboard")


@pytest.fixture
def world():
    return build()


def _api(pk):
    return f"/api/v1/seasons/{pk}/dashboard/"


def test_hr_sees_every_chart_with_its_table(client, world):
    client.force_login(world.hr)
    response = client.get(URL, {"season": world.season.pk})
    assert response.status_code == 200
    page = response.content.decode()
    for key in (
        "funnel",
        "participation",
        "ballots",
        "evaluation",
        "resources",
        "tranches",
    ):
        assert f'data-chart="{key}"' in page
        assert f'data-table="{key}"' in page
    assert page.count("<caption>") == 7  # the releases table too
    assert 'aria-label="' in page
    data = response.context["chart"]
    assert data["funnel"]["datasets"][0]["data"] == [4, 3, 3, 2, 1, 1]
    assert "¥6,000" in page and "¥1,000" in page  # money: symbol, separators
    assert response.context["season"] == world.season


def test_the_current_season_is_the_default(client, world):
    client.force_login(world.hr)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["season"] == world.season


def test_an_employee_is_refused(client, world):
    client.force_login(world.employee)
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"season": world.season.pk}).status_code == 403


def test_a_racecourse_admin_sees_their_racecourse_only(client, world):
    client.force_login(world.admin)
    response = client.get(URL)
    assert response.status_code == 200
    assert [r.name for r in response.context["board"].racecourses] == ["Taobao"]
    page = response.content.decode()
    assert world.project.title not in page
    # Another racecourse of the season is not theirs to filter on.
    assert client.get(URL, {"racecourse": world.main.pk}).status_code == 404
    assert client.get(URL, {"racecourse": world.dept.pk}).status_code == 200


def test_bad_parameters_are_not_errors(client, world):
    client.force_login(world.hr)
    assert client.get(URL, {"season": "x", "racecourse": "1e9"}).status_code == 200
    assert client.get(URL, {"season": 999999}).status_code == 404


def test_the_page_costs_a_bounded_number_of_queries(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.hr)
    with django_assert_max_num_queries(25):
        assert client.get(URL).status_code == 200


# --- the API ----------------------------------------------------------------


def _token_client(user) -> APIClient:
    api = APIClient()
    _instance, token = AuthToken.objects.create(user=user)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


def test_the_api_returns_the_same_series_with_a_token(world):
    response = _token_client(world.hr).get(_api(world.season.pk))
    assert response.status_code == 200
    body = response.json()
    assert [s["count"] for s in body["funnel"]] == [4, 3, 3, 2, 1, 1]
    assert {p["department"]: p["voted"] for p in body["participation"]} == {
        "Alpha": 1,
        "Beta": 1,
    }
    [window] = body["ballots_per_day"]
    assert window["total"] == 3 and [d["count"] for d in window["days"]] == [2, 1]
    assert body["evaluation"][0] == {
        "racecourse_id": world.main.pk,
        "racecourse": "Main",
        "due": 3,
        "started": 1,
        "submitted": 1,
    }
    assert body["resources"][0]["budget"] == "1500.00"
    assert body["resources"][0]["granted"] == "300.00"
    assert body["tranches"][0]["planned"] == "6000.00"
    assert body["tranches"][0]["released"] == "1000.00"
    assert body["releases"][0]["cumulative"] == "1000.00"


def test_the_api_refuses_employees_and_hides_unknown_seasons(world):
    response = _token_client(world.employee).get(_api(world.season.pk))
    assert response.status_code == 403
    assert set(response.json()) >= {"detail", "code"}
    assert _token_client(world.hr).get(_api(999999)).status_code == 404
    assert APIClient().get(_api(world.season.pk)).status_code == 401


def test_the_api_filters_by_racecourse_for_an_admin(world):
    api = _token_client(world.admin)
    body = api.get(_api(world.season.pk)).json()
    assert [r["name"] for r in body["racecourses"]] == ["Taobao"]
    assert body["tranches"] == []
    assert (
        api.get(_api(world.season.pk), {"racecourse": world.main.pk}).status_code == 404
    )
    assert api.get(_api(world.season.pk), {"racecourse": "abc"}).status_code == 400
