"""The read-only race API: seasons, racecourses with their windows, challenges."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from contests.models import Racecourse, Season, StageWindow, WindowStage
from tests.factories import (
    ChallengeFactory,
    RacecourseFactory,
    SeasonFactory,
    StageWindowFactory,
    open_racecourse,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def assert_error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"detail", "code", "errors"}
    return body


# --- Authentication -------------------------------------------------------------


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("api:season-list", {}),
        ("api:season-detail", {"pk": 1}),
        ("api:racecourse-list", {}),
        ("api:racecourse-detail", {"pk": 1}),
        ("api:challenge-list", {}),
        ("api:challenge-detail", {"pk": 1}),
    ],
)
def test_every_endpoint_needs_a_login(name, kwargs):
    """Anonymous requests get a 401 in the JSON error shape."""
    body = assert_error(APIClient().get(reverse(name, kwargs=kwargs)), 401)
    assert body["code"] == "not_authenticated"


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_a_season_is_changed_by_patch_only(api, method):
    """HR changes a season with PATCH (the season console); other writes are 405."""
    season = SeasonFactory()
    response = getattr(api, method)(
        reverse("api:season-detail", args=[season.pk]), {}, format="json"
    )
    assert_error(response, 405)


def test_an_employee_may_not_change_a_season(api):
    season = SeasonFactory()
    response = api.patch(
        reverse("api:season-detail", args=[season.pk]), {"name": "x"}, format="json"
    )
    assert_error(response, 403)


# --- Seasons ---------------------------------------------------------------------


def test_season_list_is_paginated(api):
    """Lists come as count/next/previous/results, page_size capped by the client."""
    for year in (2024, 2025, 2026):
        SeasonFactory(year=year)
    response = api.get(reverse("api:season-list"), {"page_size": 2})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["previous"] is None and "page=2" in body["next"]
    assert [s["year"] for s in body["results"]] == [2026, 2025]


def test_season_list_page_out_of_range_is_400(api):
    """A page that is not there is a bad query parameter (issue 8), not a 404."""
    SeasonFactory()
    assert_error(api.get(reverse("api:season-list"), {"page": 9}), 400)


def test_season_list_filters_by_status(api):
    open_season = SeasonFactory(status=Season.Status.OPEN)
    SeasonFactory(status=Season.Status.CLOSED)
    response = api.get(reverse("api:season-list"), {"status": "open"})
    assert ids(response) == [open_season.pk]


def test_season_list_rejects_an_unknown_status(api):
    body = assert_error(api.get(reverse("api:season-list"), {"status": "nope"}), 400)
    assert "status" in body["errors"]


def test_season_detail(api):
    season = SeasonFactory(name="Season one", teams_per_person=2)
    response = api.get(reverse("api:season-detail", args=[season.pk]))
    assert response.status_code == 200
    assert response.json() == {
        "id": season.pk,
        "name": "Season one",
        "year": season.year,
        "starts_on": season.starts_on.isoformat(),
        "ends_on": season.ends_on.isoformat(),
        "status": "open",
        "teams_per_person": 2,
    }


def test_unknown_season_is_404(api):
    body = assert_error(api.get(reverse("api:season-detail", args=[999999])), 404)
    assert body["code"] == "not_found"


# --- Racecourses -------------------------------------------------------------------


def test_racecourse_shows_its_windows_and_whether_registration_is_open(api):
    racecourse = open_racecourse(name="Main")
    now = timezone.now()
    StageWindowFactory(
        racecourse=racecourse,
        stage=WindowStage.SCREENING,
        opens_at=now + dt.timedelta(days=8),
        closes_at=now + dt.timedelta(days=15),
        rule=StageWindow.Rule.TOP_K,
        top_k=10,
    )
    response = api.get(reverse("api:racecourse-detail", args=[racecourse.pk]))
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Main"
    assert body["kind"] == "main"
    assert body["season"] == racecourse.season_id
    assert body["registration_open"] is True
    windows = {w["stage"]: w for w in body["windows"]}
    assert windows["registration"]["is_open"] is True
    assert windows["screening"]["is_open"] is False
    assert windows["screening"]["rule"] == "top_k"
    assert windows["screening"]["top_k"] == 10
    assert windows["screening"]["round"] == 1
    assert set(windows["screening"]) == {
        "stage",
        "round",
        "opens_at",
        "closes_at",
        "rule",
        "top_k",
        "threshold_rate",
        "threshold_min_voters",
        "is_open",
    }


def test_registration_is_closed_outside_the_window(api):
    racecourse = RacecourseFactory()
    StageWindowFactory(
        racecourse=racecourse,
        opens_at=timezone.now() - dt.timedelta(days=9),
        closes_at=timezone.now() - dt.timedelta(days=2),
    )
    body = api.get(reverse("api:racecourse-detail", args=[racecourse.pk])).json()
    assert body["registration_open"] is False
    assert body["windows"][0]["is_open"] is False


def test_the_farm_is_always_open(api):
    farm = RacecourseFactory(kind=Racecourse.Kind.FARM)
    body = api.get(reverse("api:racecourse-detail", args=[farm.pk])).json()
    assert body["registration_open"] is True
    assert body["windows"] == []


def test_racecourse_list_filters_by_season_and_kind(api):
    season = SeasonFactory()
    main = RacecourseFactory(season=season, kind=Racecourse.Kind.MAIN)
    department = RacecourseFactory(season=season, kind=Racecourse.Kind.DEPARTMENT)
    RacecourseFactory(kind=Racecourse.Kind.MAIN)  # another season
    url = reverse("api:racecourse-list")
    assert sorted(ids(api.get(url, {"season": season.pk}))) == sorted(
        [main.pk, department.pk]
    )
    assert ids(api.get(url, {"season": season.pk, "kind": "main"})) == [main.pk]


def test_racecourse_list_asks_the_database_a_fixed_number_of_times(
    api, django_assert_max_num_queries
):
    """Windows are prefetched: ten racecourses cost no more than one."""
    for _ in range(10):
        open_racecourse()
    with django_assert_max_num_queries(6):
        response = api.get(reverse("api:racecourse-list"))
    assert response.json()["count"] == 10


@pytest.mark.parametrize(
    "params", [{"season": 999999}, {"season": "x"}, {"kind": "galaxy"}]
)
def test_racecourse_list_rejects_bad_filters(api, params):
    body = assert_error(api.get(reverse("api:racecourse-list"), params), 400)
    assert set(body["errors"]) == set(params)


def test_unknown_racecourse_is_404(api):
    assert_error(api.get(reverse("api:racecourse-detail", args=[999999])), 404)


# --- Challenges --------------------------------------------------------------------


def test_challenge_detail(api):
    challenge = ChallengeFactory(prize="A trip")
    response = api.get(reverse("api:challenge-detail", args=[challenge.pk]))
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == challenge.title
    assert body["racecourse"] == challenge.racecourse_id
    assert body["season"] == challenge.racecourse.season_id
    assert body["sponsor"] == {
        "id": challenge.sponsor_id,
        "display_name": challenge.sponsor.display_name,
    }
    assert body["is_open"] is True


def test_challenge_list_filters(api):
    racecourse = RacecourseFactory()
    open_one = ChallengeFactory(racecourse=racecourse)
    closed_one = ChallengeFactory(racecourse=racecourse, is_open=False)
    elsewhere = ChallengeFactory()
    url = reverse("api:challenge-list")
    assert sorted(ids(api.get(url))) == sorted(
        [open_one.pk, closed_one.pk, elsewhere.pk]
    )
    assert sorted(ids(api.get(url, {"racecourse": racecourse.pk}))) == sorted(
        [open_one.pk, closed_one.pk]
    )
    assert ids(api.get(url, {"racecourse": racecourse.pk, "is_open": "true"})) == [
        open_one.pk
    ]
    assert ids(api.get(url, {"season": elsewhere.racecourse.season_id})) == [
        elsewhere.pk
    ]


def test_challenge_list_rejects_an_unknown_racecourse(api):
    body = assert_error(
        api.get(reverse("api:challenge-list"), {"racecourse": 999999}), 400
    )
    assert "racecourse" in body["errors"]


def test_unknown_challenge_is_404(api):
    assert_error(api.get(reverse("api:challenge-detail", args=[999999])), 404)
