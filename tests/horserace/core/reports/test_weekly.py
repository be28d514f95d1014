"""The weekly innovation report: its numbers and points, what it names, and
the Monday task that builds it and tells subscribers once."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from contests.models import Racecourse, WindowStage
from horserace.core.models import ReportSubscription, WeeklyReport
from horserace.core.reports.selectors import report_compute, week_start_of
from horserace.core.reports.services import weekly_report_run
from horserace.core.tasks import weekly_report
from horserace.notifications.models import Notification
from ideas import funnel
from ideas.models import Idea, Stage, StageTransition, Visibility
from tests.factories import (
    DepartmentFactory,
    RacecourseFactory,
    SeasonFactory,
    StageWindowFactory,
    UserFactory,
    idea_in_stage,
)

pytestmark = pytest.mark.django_db

KIND = "reports.weekly.published"


class World:
    def __init__(self):
        self.week = week_start_of(timezone.now())
        start = dt.datetime.combine(
            self.week, dt.time.min, tzinfo=timezone.get_current_timezone()
        )
        self.season = SeasonFactory()
        main = RacecourseFactory(season=self.season, kind=Racecourse.Kind.MAIN)
        StageWindowFactory(racecourse=main, stage=WindowStage.REGISTRATION)
        self.alpha = DepartmentFactory(name="Alpha")
        self.beta = DepartmentFactory(name="Beta")
        self.ada = UserFactory(department=self.alpha, display_name="Ada Open")
        self.bo = UserFactory(department=self.beta, display_name="Bo Hidden")
        self.cy = UserFactory(department=self.beta, display_name="Cy Secret")
        # Before this week: B was submitted and registered (3 points to Beta).
        self.b = idea_in_stage(
            Stage.REGISTERED,
            racecourse=main,
            author=self.bo,
            title="Anonymous drones",
            anonymous=True,
        )
        before = start - dt.timedelta(days=2)
        Idea.objects.filter(pk=self.b.pk).update(created_at=before)
        StageTransition.objects.filter(idea=self.b).update(created_at=before)
        # This week: A submitted and registered (3 to Alpha), B passed the
        # screening (5 to Beta), C (confidential) submitted and registered
        # (3 to Beta), D is a draft (nothing).
        self.a = idea_in_stage(
            Stage.REGISTERED, racecourse=main, author=self.ada, title="Open bikes"
        )
        for stage in (Stage.SCREENING, Stage.GESTATION):
            funnel.idea_transition(idea=self.b, to=stage, actor=self.bo, reason="")
        self.c = idea_in_stage(
            Stage.REGISTERED,
            racecourse=main,
            author=self.cy,
            title="Secret merger",
            visibility=Visibility.CONFIDENTIAL,
        )
        self.d = idea_in_stage(
            Stage.DRAFT, racecourse=main, author=self.ada, title="Half an idea"
        )


@pytest.fixture
def world():
    return World()


def test_the_week_in_numbers_and_points(world):
    data = report_compute(season=world.season, week_start=world.week)
    assert data["totals"] == {
        "submitted": 2,  # A and C; the draft is not submitted
        "advanced": 4,  # A registered, B screening and gestation, C registered
        "points": 11,
        "departments": 2,
    }
    assert data["advanced_by_stage"] == {
        "registered": 2,
        "screening": 1,
        "gestation": 1,
    }
    assert data["leaderboard"] == [
        {
            "department_id": world.beta.pk,
            "department": "Beta",
            "rank": 1,
            "previous_rank": 1,
            "week_points": 8,
            "season_points": 11,
        },
        {
            "department_id": world.alpha.pk,
            "department": "Alpha",
            "rank": 2,
            "previous_rank": None,
            "week_points": 3,
            "season_points": 3,
        },
    ]


def test_only_public_ideas_are_named_and_anonymous_teams_are_not(world):
    data = report_compute(season=world.season, week_start=world.week)
    assert [i["title"] for i in data["submitted"]] == ["Open bikes"]
    assert [(i["title"], i["stage"], i["team"]) for i in data["advanced"]] == [
        ("Open bikes", "registered", "Ada Open"),
        ("Anonymous drones", "screening", None),
        ("Anonymous drones", "gestation", None),
    ]
    assert [(m["title"], m["points"], m["team"]) for m in data["movers"]] == [
        ("Anonymous drones", 5, None),
        ("Open bikes", 3, "Ada Open"),
    ]
    text = str(data)
    assert "Bo Hidden" not in text
    assert "Secret merger" not in text and "Cy Secret" not in text
    assert "Half an idea" not in text


def test_the_monday_task_builds_once_and_tells_subscribers_once(world):
    subscriber = UserFactory()
    ReportSubscription.objects.create(user=subscriber)
    UserFactory()  # not subscribed: not told
    monday_after = timezone.now() + dt.timedelta(days=7)
    first = weekly_report_run(now=monday_after)
    again = weekly_report_run(now=monday_after)
    assert first.pk == again.pk
    assert first.week_start == world.week
    assert WeeklyReport.objects.count() == 1
    notes = Notification.objects.filter(kind=KIND)
    assert [(n.recipient_id, n.url) for n in notes] == [
        (subscriber.pk, reverse("core:report", args=[first.pk]))
    ]
    assert first.data["totals"]["points"] == 11


def test_the_celery_task_builds_last_weeks_report():
    SeasonFactory()
    pk = weekly_report.delay().get()
    report = WeeklyReport.objects.get(pk=pk)
    assert report.week_start == week_start_of(timezone.now()) - dt.timedelta(days=7)
    assert weekly_report.delay().get() == pk
    assert WeeklyReport.objects.count() == 1


def test_no_season_no_report():
    assert weekly_report_run() is None
    assert not WeeklyReport.objects.exists()


# --- the pages and the API ------------------------------------------------------


@pytest.fixture
def report(world):
    return weekly_report_run(now=timezone.now() + dt.timedelta(days=7))


def test_every_employee_reads_the_reports(client, report):
    client.force_login(UserFactory())
    page = client.get(reverse("core:reports")).content.decode()
    assert report.get_absolute_url() in page
    response = client.get(report.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Open bikes" in page and "Ada Open" in page
    assert "Anonymous drones" in page and "an anonymous team" in page
    assert "Bo Hidden" not in page and "Secret merger" not in page
    assert "How innovation points work" in page
    assert client.get(reverse("core:report", args=[report.pk + 1])).status_code == 404


def test_an_idea_made_confidential_since_is_no_longer_named(client, world, report):
    Idea.objects.filter(pk=world.a.pk).update(visibility=Visibility.CONFIDENTIAL)
    client.force_login(UserFactory())
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Open bikes" not in page and "Ada Open" not in page


def test_signed_out_people_are_sent_to_sign_in(client, report):
    response = client.get(report.get_absolute_url())
    assert response.status_code == 302


def test_the_subscription_toggle(client):
    user = UserFactory()
    client.force_login(user)
    url = reverse("core:report_subscription")
    response = client.post(url, {"subscribe": "1", "next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == reverse("core:reports")
    assert ReportSubscription.objects.filter(user=user).exists()
    client.post(url, {"subscribe": "1"})
    assert ReportSubscription.objects.filter(user=user).count() == 1
    client.post(url, {"subscribe": "0"})
    assert not ReportSubscription.objects.filter(user=user).exists()
    assert client.get(url).status_code == 405


def _api(user) -> APIClient:
    api = APIClient()
    api.credentials(
        HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=user)[1]}"
    )
    return api


def test_the_api_lists_and_reads_reports(world, report):
    api = _api(UserFactory())
    body = api.get("/api/v1/reports/weekly/").json()
    assert [r["id"] for r in body["results"]] == [report.pk]
    one = api.get(f"/api/v1/reports/weekly/{report.pk}/").json()
    assert one["totals"]["points"] == 11
    assert [d["department"] for d in one["leaderboard"]] == ["Beta", "Alpha"]
    assert [m["team"] for m in one["movers"]] == [None, "Ada Open"]
    assert "Bo Hidden" not in str(one)
    missing = api.get(f"/api/v1/reports/weekly/{report.pk + 1}/")
    assert missing.status_code == 404 and "detail" in missing.json()
    assert APIClient().get("/api/v1/reports/weekly/").status_code == 401


def test_the_api_subscribes_and_unsubscribes():
    user = UserFactory()
    api = _api(user)
    url = "/api/v1/reports/weekly/subscription/"
    assert api.get(url).json() == {"subscribed": False}
    assert api.post(url).json() == {"subscribed": True}
    assert ReportSubscription.objects.filter(user=user).exists()
    assert api.delete(url).json() == {"subscribed": False}
    assert not ReportSubscription.objects.filter(user=user).exists()


def test_blind_evaluation_hides_the_team_from_the_racecourses_evaluators(
    client, world, report
):
    """Ada's idea is on a racecourse that judges blind: its evaluators read
    the report without her name; everyone else sees it."""
    racecourse = world.a.racecourse
    racecourse.blind_evaluation = True
    racecourse.save(update_fields=["blind_evaluation"])
    judge = UserFactory(is_evaluator=True)
    racecourse.evaluators.add(judge)
    client.force_login(judge)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Open bikes" in page and "Ada Open" not in page
    client.force_login(UserFactory())
    assert "Ada Open" in client.get(report.get_absolute_url()).content.decode()


def test_the_report_is_scheduled_for_monday_morning():
    from horserace.schedules import SCHEDULE

    entry = SCHEDULE["weekly-innovation-report"]
    assert entry["task"] == "horserace.core.tasks.weekly_report"
    assert entry["schedule"].day_of_week == {1}  # Monday
    assert entry["options"]["expires"] < 7 * 24 * 3600
