"""A season set up the way HR leaves one, for the console's tests."""

import datetime as dt
from decimal import Decimal

from contests.models import (
    Challenge,
    Criterion,
    Racecourse,
    Resource,
    ResourceBudget,
    Rubric,
    Season,
    StageWindow,
    Trainer,
    WindowStage,
)
from tests.factories import (
    DepartmentFactory,
    RacecourseFactory,
    SeasonFactory,
    StageWindowFactory,
    UserFactory,
)

UTC = dt.UTC


def at(month: int, day: int, year: int = 2025) -> dt.datetime:
    return dt.datetime(year, month, day, 9, 0, tzinfo=UTC)


def hr():
    return UserFactory(is_hr_admin=True)


def full_season() -> Season:
    """Season 2025: a main racecourse fed by a department one, and the farm.

    Everything the copy must bring: windows with rules, admins, evaluators,
    a rubric, resources and budgets, challenges (one closed) and trainers.
    """
    season = SeasonFactory(
        name="Race 2025",
        year=2025,
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2025, 12, 31),
        status=Season.Status.CLOSED,
        teams_per_person=2,
    )
    main = RacecourseFactory(
        season=season,
        name="Main",
        slug="main",
        kind=Racecourse.Kind.MAIN,
        team_size_limit=6,
        blind_evaluation=True,
    )
    department = DepartmentFactory(name="Logistics")
    dept = RacecourseFactory(
        season=season,
        name="Logistics race",
        slug="logistics",
        kind=Racecourse.Kind.DEPARTMENT,
        parent=main,
        department=department,
        promotion_quota=3,
    )
    RacecourseFactory(season=season, name="Farm", slug="farm", kind="farm")
    windows = [
        (main, WindowStage.REGISTRATION, at(2, 1), at(3, 1), {}),
        (
            main,
            WindowStage.SCREENING,
            at(2, 15),
            at(4, 1),
            {"rule": StageWindow.Rule.TOP_K, "top_k": 10, "support_budget": 5},
        ),
        (main, WindowStage.GESTATION, at(4, 1), at(7, 1), {"missing_proposal": "hold"}),
        (main, WindowStage.EVALUATION, at(7, 1), at(8, 1), {}),
        (dept, WindowStage.REGISTRATION, at(1, 15), at(2, 15), {}),
        (
            dept,
            WindowStage.SCREENING,
            at(2, 1),
            at(3, 15),
            {"rule": StageWindow.Rule.THRESHOLD, "threshold_rate": Decimal("0.6")},
        ),
    ]
    for racecourse, stage, opens, closes, fields in windows:
        StageWindowFactory(
            racecourse=racecourse,
            stage=stage,
            opens_at=opens,
            closes_at=closes,
            applied_at=closes,
            **fields,
        )
    admin, evaluator = UserFactory(), UserFactory(is_evaluator=True)
    main.admins.add(admin)
    dept.admins.add(admin)
    main.evaluators.add(evaluator)
    rubric = Rubric.objects.create(racecourse=main, title="Panel rubric")
    Criterion.objects.create(rubric=rubric, name="Value", weight=2, position=1)
    Criterion.objects.create(rubric=rubric, name="Feasibility", position=2)
    tools = Resource.objects.create(
        season=season, kind="service_tools", name="Cloud credits", unit="money"
    )
    days = Resource.objects.create(
        season=season, kind="vacation_days", name="Race days", unit="days"
    )
    ResourceBudget.objects.create(resource=tools, racecourse=main, amount=50000)
    ResourceBudget.objects.create(resource=days, racecourse=dept, amount=40)
    sponsor = UserFactory()
    Challenge.objects.create(
        racecourse=main, title="Greener parcels", brief="Less plastic.", sponsor=sponsor
    )
    Challenge.objects.create(
        racecourse=main,
        title="Old topic",
        brief="Done.",
        sponsor=sponsor,
        is_open=False,
    )
    mentor = UserFactory(is_mentor=True)
    Trainer.objects.create(season=season, user=mentor, capacity=4, expertise="Ops")
    return season
