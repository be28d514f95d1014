"""The season console's API: each operation, its refusals and its 400s."""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from contests.console import services
from contests.models import Racecourse, Season, StageWindow, WindowChange, WindowStage
from tests.contests.test_apis import assert_error
from tests.contests.test_closing import admin_of
from tests.factories import DepartmentFactory, UserFactory

from .helpers import full_season, hr
from .test_services import open_season_window

pytestmark = pytest.mark.django_db

S = WindowStage


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(name: str, pk: int | None = None) -> str:
    return reverse(f"api:{name}", kwargs={"pk": pk} if pk else {})


@pytest.fixture
def source():
    return full_season()


@pytest.fixture
def planned(source):
    return services.season_copy(source=source, name="Race 2026", year=2026, actor=hr())


def main_window(season, stage) -> StageWindow:
    return StageWindow.objects.get(
        racecourse__season=season, racecourse__kind="main", stage=stage
    )


NEW_SEASON = {
    "name": "Race 2027",
    "year": 2027,
    "starts_on": "2027-01-01",
    "ends_on": "2027-12-31",
}


# --- Seasons ------------------------------------------------------------------------


def test_hr_creates_a_season():
    response = client_for(hr()).post(url("season-list"), NEW_SEASON, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["teams_per_person"]) == ("planned", 3)
    assert Racecourse.objects.get(season_id=body["id"]).kind == "main"


def test_creating_a_season_is_for_hr_only():
    response = client_for(UserFactory()).post(
        url("season-list"), NEW_SEASON, format="json"
    )
    assert_error(response, 403)
    assert not Season.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"ends_on": "2026-12-31"},  # before it starts
        {"year": "soon"},
        {"name": ""},
        {"starts_on": "2027-02-30"},
    ],
)
def test_a_bad_season_is_a_400(change):
    response = client_for(hr()).post(
        url("season-list"), {**NEW_SEASON, **change}, format="json"
    )
    assert_error(response, 400)
    assert not Season.objects.exists()


def test_hr_changes_a_season_and_others_may_not(planned):
    response = client_for(hr()).patch(
        url("season-detail", planned.pk), {"teams_per_person": 5}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["teams_per_person"] == 5
    admin = planned.racecourses.get(kind="main").admins.get()
    assert_error(
        client_for(admin).patch(
            url("season-detail", planned.pk), {"name": "Mine"}, format="json"
        ),
        403,
    )
    assert_error(
        client_for(hr()).patch(
            url("season-detail", planned.pk), {"ends_on": "2025-01-01"}, format="json"
        ),
        400,
    )
    planned.refresh_from_db()
    assert (planned.name, planned.teams_per_person) == ("Race 2026", 5)


def test_hr_copies_a_season(source):
    response = client_for(hr()).post(
        url("season-copy", source.pk),
        {"name": "Race 2026", "year": 2026, "shift_days": 364},
        format="json",
    )
    assert response.status_code == 201, response.content
    season = Season.objects.get(pk=response.json()["id"])
    assert season.starts_on == dt.date(2025, 12, 31)
    assert season.racecourses.count() == 2


def test_copying_is_for_hr_and_checks_its_input(source):
    admin = source.racecourses.get(kind="main").admins.get()
    body = {"name": "Race 2026", "year": 2026}
    assert_error(client_for(admin).post(url("season-copy", source.pk), body), 403)
    assert_error(
        client_for(hr()).post(
            url("season-copy", source.pk), {**body, "shift_days": "a year"}
        ),
        400,
    )
    assert_error(client_for(hr()).post(url("season-copy", 999999), body), 404)
    assert Season.objects.count() == 1


def test_review_lists_errors_and_warnings(planned):
    response = client_for(hr()).get(url("season-review", planned.pk))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["can_open"] is True
    assert {item["level"] for item in body["items"]} == {"warning"}
    admin = planned.racecourses.get(kind="main").admins.get()
    assert client_for(admin).get(url("season-review", planned.pk)).status_code == 200
    assert_error(client_for(UserFactory()).get(url("season-review", planned.pk)), 403)


def test_open_refuses_errors_then_opens(planned):
    main_window(planned, S.SCREENING).delete()
    refused = client_for(hr()).post(url("season-open", planned.pk))
    assert "screening" in assert_error(refused, 400)["detail"].lower()
    admin = planned.racecourses.get(kind="main").admins.get()
    assert_error(client_for(admin).post(url("season-open", planned.pk)), 403)

    other = services.season_copy(
        source=Season.objects.get(year=2025), name="Again", year=2027, actor=hr()
    )
    response = client_for(hr()).post(url("season-open", other.pk), {"reason": "Go"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "open"


def test_hr_adds_department_racecourses(planned):
    sales, legal = DepartmentFactory(), DepartmentFactory()
    response = client_for(hr()).post(
        url("season-department-racecourses", planned.pk),
        {"departments": [sales.pk, legal.pk], "promotion_quota": 2},
        format="json",
    )
    assert response.status_code == 201, response.content
    rows = response.json()
    main = planned.racecourses.get(kind="main")
    assert {row["parent"] for row in rows} == {main.pk}
    assert {len(row["windows"]) for row in rows} == {2}


@pytest.mark.parametrize(
    "body",
    [
        {"departments": [], "promotion_quota": 2},
        {"departments": [999999], "promotion_quota": 2},
        {"departments": ["x"], "promotion_quota": 2},
        {"departments": ["DEPT"], "promotion_quota": -1},
        {"departments": ["DEPT"], "promotion_quota": 1, "template": 999999},
        {"departments": ["DEPT", "LOGISTICS"], "promotion_quota": 1},  # has one
    ],
)
def test_bad_department_racecourses_are_400s(planned, body):
    ids = {
        "DEPT": DepartmentFactory().pk,
        "LOGISTICS": planned.racecourses.get(kind="department").department_id,
    }
    body = {**body, "departments": [ids.get(d, d) for d in body["departments"]]}
    response = client_for(hr()).post(
        url("season-department-racecourses", planned.pk), body, format="json"
    )
    assert_error(response, 400)
    assert planned.racecourses.count() == 2


def test_department_racecourses_are_for_hr(planned):
    admin = planned.racecourses.get(kind="main").admins.get()
    response = client_for(admin).post(
        url("season-department-racecourses", planned.pk),
        {"departments": [DepartmentFactory().pk], "promotion_quota": 2},
        format="json",
    )
    assert_error(response, 403)


# --- Windows ------------------------------------------------------------------------


def test_hr_adds_a_missing_window(planned):
    gestation = main_window(planned, S.EVALUATION)
    racecourse = gestation.racecourse
    gestation.delete()
    body = {
        "stage": "evaluation",
        "opens_at": "2026-07-01T09:00:00Z",
        "closes_at": "2026-08-01T09:00:00Z",
    }
    assert_error(
        client_for(admin_of(racecourse)).post(
            url("racecourse-windows-create", racecourse.pk), body, format="json"
        ),
        403,
    )
    response = client_for(hr()).post(
        url("racecourse-windows-create", racecourse.pk), body, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["stage"] == "evaluation"
    again = client_for(hr()).post(
        url("racecourse-windows-create", racecourse.pk), body, format="json"
    )
    assert_error(again, 400)


def test_hr_moves_a_window_and_the_change_is_listed(planned):
    screening = main_window(planned, S.SCREENING)
    response = client_for(hr()).patch(
        url("window-detail", screening.pk),
        {"closes_at": "2026-03-25T09:00:00Z", "reason": "Holiday"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["closes_at"].startswith("2026-03-25T09:00")
    changes = client_for(hr()).get(url("window-changes", screening.pk)).json()
    assert [(c["kind"], c["reason"]) for c in changes] == [
        ("created", "Copied from Race 2025."),
        ("moved", "Holiday"),
    ]
    assert changes[1]["old_closes_at"].startswith("2026-04-01T09:00")


def test_a_move_that_breaks_the_rules_is_a_400(planned):
    screening = main_window(planned, S.SCREENING)
    for body in (
        {"closes_at": "2026-04-15T09:00:00Z"},  # overlaps gestation
        {"closes_at": "2026-02-01T09:00:00Z"},  # before it opens
        {"opens_at": "yesterday"},
    ):
        response = client_for(hr()).patch(
            url("window-detail", screening.pk), body, format="json"
        )
        assert_error(response, 400)
    screening.refresh_from_db()
    assert not screening.changes.filter(kind="moved").exists()


def test_racecourse_admins_read_the_history_but_do_not_move(planned):
    screening = main_window(planned, S.SCREENING)
    admin = screening.racecourse.admins.get()
    response = client_for(admin).patch(
        url("window-detail", screening.pk),
        {"closes_at": "2026-03-25T09:00:00Z"},
        format="json",
    )
    assert_error(response, 403)
    assert client_for(admin).get(url("window-changes", screening.pk)).status_code == 200
    assert_error(
        client_for(UserFactory()).get(url("window-changes", screening.pk)), 403
    )


def test_hr_closes_a_window_early_with_a_reason():
    screening, up, _down = open_season_window()
    assert_error(
        client_for(hr()).post(url("window-close-early", screening.pk), {}), 400
    )
    assert_error(
        client_for(admin_of(screening.racecourse)).post(
            url("window-close-early", screening.pk), {"reason": "Done"}
        ),
        403,
    )
    response = client_for(hr()).post(
        url("window-close-early", screening.pk), {"reason": "Enough votes"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["passed"]) == ("applied", [up.pk])
    assert body["window"]["applied_at"] is not None
    assert WindowChange.objects.get(window=screening, kind="closed_early").reason == (
        "Enough votes"
    )
    again = client_for(hr()).post(
        url("window-close-early", screening.pk), {"reason": "Again"}
    )
    assert_error(again, 400)


def test_every_console_endpoint_needs_a_login(planned):
    window = main_window(planned, S.SCREENING)
    for method, name, pk in [
        ("post", "season-list", None),
        ("patch", "season-detail", planned.pk),
        ("post", "season-copy", planned.pk),
        ("post", "season-open", planned.pk),
        ("get", "season-review", planned.pk),
        ("post", "season-department-racecourses", planned.pk),
        ("post", "racecourse-windows-create", window.racecourse_id),
        ("patch", "window-detail", window.pk),
        ("post", "window-close-early", window.pk),
        ("get", "window-changes", window.pk),
    ]:
        response = getattr(APIClient(), method)(url(name, pk))
        assert assert_error(response, 401)["code"] == "not_authenticated", name
