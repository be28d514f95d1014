"""The season console's pages: who sees them, and the two-step window changes."""

import datetime as dt

import pytest
from django.urls import reverse

from contests.console import services
from contests.models import Racecourse, Season, StageWindow, WindowChange, WindowStage
from tests.factories import DepartmentFactory, UserFactory

from .helpers import at, full_season, hr
from .test_services import open_season_window

pytestmark = pytest.mark.django_db

S = WindowStage


@pytest.fixture
def planned():
    return services.season_copy(
        source=full_season(), name="Race 2026", year=2026, actor=hr()
    )


def logged_in(client, user):
    client.force_login(user)
    return client


def main_window(season, stage) -> StageWindow:
    return StageWindow.objects.get(
        racecourse__season=season, racecourse__kind="main", stage=stage
    )


def pages(season):
    window = main_window(season, S.SCREENING)
    return {
        "index": reverse("console:index"),
        "season": reverse("console:season", args=[season.pk]),
        "review": reverse("console:review", args=[season.pk]),
        "new": reverse("console:season_new"),
        "edit": reverse("console:season_edit", args=[season.pk]),
        "departments": reverse("console:departments", args=[season.pk]),
        "add": reverse("console:window_add", args=[window.racecourse_id]),
        "move": reverse("console:window_move", args=[window.pk]),
        "close": reverse("console:window_close_early", args=[window.pk]),
    }


def test_hr_sees_every_page(client, planned):
    logged_in(client, hr())
    for name, url in pages(planned).items():
        response = client.get(url)
        assert response.status_code == 200, name
    timeline = client.get(pages(planned)["season"]).content.decode()
    assert "Logistics race" in timeline and "Main" in timeline
    assert "Copied from Race 2025." in timeline  # the window history


def test_a_racecourse_admin_reads_the_console_of_their_racecourse_only(client, planned):
    dept = planned.racecourses.get(kind="department")
    admin = UserFactory()
    dept.admins.add(admin)
    logged_in(client, admin)
    urls = pages(planned)
    for name in ("index", "season", "review"):
        assert client.get(urls[name]).status_code == 200, name
    timeline = client.get(urls["season"]).content.decode()
    assert "Logistics race" in timeline
    assert "Main racecourse" not in timeline
    assert (
        reverse("console:window_move", args=[dept.windows.first().pk]) not in timeline
    )
    for name in ("new", "edit", "departments", "add", "move", "close"):
        assert client.get(urls[name]).status_code == 403, name
    assert client.post(urls["review"]).status_code == 403


def test_everyone_else_is_refused(client, planned):
    logged_in(client, UserFactory())
    for name, url in pages(planned).items():
        assert client.get(url).status_code == 403, name
    home = client.get(reverse("home")).content.decode()
    assert reverse("console:index") not in home


def test_the_nav_links_the_console_for_hr_and_racecourse_admins(client, planned):
    logged_in(client, hr())
    assert reverse("console:index") in client.get(reverse("home")).content.decode()
    admin = planned.racecourses.get(kind="main").admins.get()
    logged_in(client, admin)
    assert reverse("console:index") in client.get(reverse("home")).content.decode()


def test_moving_a_window_asks_for_confirmation_in_the_persons_time_zone(
    client, planned
):
    person = hr()
    person.time_zone = "Asia/Shanghai"
    person.save()
    logged_in(client, person)
    screening = main_window(planned, S.SCREENING)
    url = reverse("console:window_move", args=[screening.pk])
    form = {
        "opens_at": "2026-02-15T17:00",  # 09:00 UTC, as it is
        "closes_at": "2026-03-25T17:00",
        "reason": "Holiday",
    }
    confirm = client.post(url, form)
    assert confirm.status_code == 200
    assert b'name="confirmed"' in confirm.content
    screening.refresh_from_db()
    assert screening.closes_at == at(4, 1, 2026)  # not yet

    done = client.post(url, {**form, "confirmed": "yes"})
    assert done.status_code == 302
    screening.refresh_from_db()
    assert screening.closes_at == at(3, 25, 2026)
    change = screening.changes.get(kind=WindowChange.Kind.MOVED)
    assert (change.reason, change.actor) == ("Holiday", person)


def test_a_move_that_breaks_a_rule_shows_the_error_and_records_nothing(client, planned):
    logged_in(client, hr())
    screening = main_window(planned, S.SCREENING)
    response = client.post(
        reverse("console:window_move", args=[screening.pk]),
        {
            "opens_at": "2026-02-15T09:00",
            "closes_at": "2026-04-20T09:00",
            "confirmed": "yes",
        },
    )
    assert response.status_code == 200
    assert "overlap" in response.content.decode()
    assert not screening.changes.filter(kind=WindowChange.Kind.MOVED).exists()


def test_closing_early_from_the_page_applies_the_rule(client):
    screening, up, _down = open_season_window()
    logged_in(client, hr())
    url = reverse("console:window_close_early", args=[screening.pk])
    assert client.post(url, {"reason": ""}).status_code == 200  # reason required
    screening.refresh_from_db()
    assert screening.applied_at is None
    response = client.post(url, {"reason": "Enough votes"})
    assert response.status_code == 302
    screening.refresh_from_db()
    assert screening.applied_at is not None
    up.refresh_from_db()
    assert up.stage == "gestation"


def test_a_new_season_by_copy_from_the_page(client, planned):
    logged_in(client, hr())
    response = client.post(
        reverse("console:season_new"),
        {"start": "copy", "source": planned.pk, "name": "Race 2027", "year": 2027},
    )
    season = Season.objects.get(name="Race 2027")
    assert response.status_code == 302
    assert season.starts_on == dt.date(2027, 1, 1)
    assert season.racecourses.count() == 2


def test_a_new_season_from_scratch_needs_its_dates(client):
    logged_in(client, hr())
    url = reverse("console:season_new")
    form = {"start": "scratch", "name": "Fresh", "year": 2027}
    assert client.post(url, form).status_code == 200
    assert not Season.objects.exists()
    response = client.post(
        url, {**form, "starts_on": "2027-01-01", "ends_on": "2027-12-31"}
    )
    assert response.status_code == 302
    assert Season.objects.get().racecourses.get().kind == Racecourse.Kind.MAIN


def test_department_racecourses_from_the_page(client, planned):
    logged_in(client, hr())
    sales = DepartmentFactory(name="Sales")
    response = client.post(
        reverse("console:departments", args=[planned.pk]),
        {"departments": [sales.pk], "promotion_quota": 2},
    )
    assert response.status_code == 302
    assert planned.racecourses.get(department=sales).promotion_quota == 2


def test_adding_a_missing_window_from_the_page(client, planned):
    logged_in(client, hr())
    evaluation = main_window(planned, S.EVALUATION)
    racecourse = evaluation.racecourse
    evaluation.delete()
    response = client.post(
        reverse("console:window_add", args=[racecourse.pk]),
        {
            "stage": "evaluation",
            "opens_at": "2026-07-01T09:00",
            "closes_at": "2026-08-01T09:00",
            "rule": "manual",
        },
    )
    assert response.status_code == 302
    assert racecourse.windows.get(stage=S.EVALUATION).closes_at == at(8, 1, 2026)


def test_the_review_page_opens_a_ready_season_and_refuses_errors(client, planned):
    logged_in(client, hr())
    url = reverse("console:review", args=[planned.pk])
    main_window(planned, S.REGISTRATION).delete()
    page = client.get(url).content.decode()
    assert "has no Registration window" in page
    client.post(url)
    planned.refresh_from_db()
    assert planned.status == Season.Status.PLANNED

    other = services.season_copy(
        source=Season.objects.get(year=2025), name="Again", year=2027, actor=hr()
    )
    response = client.post(reverse("console:review", args=[other.pk]))
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.status == Season.Status.OPEN
