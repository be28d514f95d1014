"""A small season with something in every dashboard series (numbers in the tests)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from contests.models import Racecourse, ResourceBudget, StageWindow, WindowStage
from ideas.models import ResourceRequest, Stage
from tests.factories import (
    DepartmentFactory,
    RacecourseFactory,
    SeasonFactory,
    StageWindowFactory,
    UserFactory,
    idea_in_stage,
)
from tests.factories_evaluation import assign, evaluator, scorecard
from tests.factories_gestation import ResourceFactory, add_member
from tests.factories_realization import plan_for, release
from voting.models import Ballot, Choice


@dataclass
class World:
    season: object
    main: Racecourse
    dept: Racecourse
    dept1: object
    dept2: object
    hr: object
    admin: object
    employee: object
    project: object
    eliminated: object
    gestating: object
    draft: object
    window: StageWindow
    resource: object


def build() -> World:
    season = SeasonFactory(teams_per_person=50)
    main = RacecourseFactory(
        season=season, kind=Racecourse.Kind.MAIN, name="Main", team_size_limit=20
    )
    dept = RacecourseFactory(season=season, name="Taobao")
    for rc in (main, dept):
        StageWindowFactory(racecourse=rc, stage=WindowStage.REGISTRATION)
    d1 = DepartmentFactory(name="Alpha")
    d2 = DepartmentFactory(name="Beta")
    hr = UserFactory(is_hr_admin=True)
    admin = UserFactory()
    dept.admins.add(admin)
    u1 = UserFactory(department=d1)
    u2 = UserFactory(department=d2)
    u3 = UserFactory(department=d2)
    u4 = UserFactory(department=d2)
    u5 = UserFactory(department=d1)

    project = idea_in_stage(Stage.REALIZATION, racecourse=main, author=u1)
    eliminated = idea_in_stage(Stage.ELIMINATED, racecourse=main, author=u2)
    gestating = idea_in_stage(Stage.GESTATION, racecourse=dept, author=u1)
    draft = idea_in_stage(Stage.DRAFT, racecourse=main, author=u3)
    add_member(project, u4)

    # Screening ballots on the main racecourse: two yesterday, one today.
    window = StageWindowFactory(
        racecourse=main,
        stage=WindowStage.SCREENING,
        opens_at=timezone.now() - dt.timedelta(days=3),
    )
    b1 = Ballot.objects.create(
        voter=u2, idea=project, window=window, choice=Choice.SUPPORT
    )
    b2 = Ballot.objects.create(
        voter=u5, idea=project, window=window, choice=Choice.OPPOSE
    )
    Ballot.objects.create(
        voter=u5, idea=eliminated, window=window, choice=Choice.SUPPORT
    )
    Ballot.objects.filter(pk__in=[b1.pk, b2.pk]).update(
        created_at=timezone.now() - dt.timedelta(days=1)
    )

    # Evaluation: three assignments on the project, one submitted, one started.
    a1, a2, _a3 = (assign(project, evaluator()) for _ in range(3))
    scorecard(a1, submitted=True)
    scorecard(a2)

    # Resources: one resource budgeted on both racecourses, 300 granted.
    resource = ResourceFactory(season=season, name="Cloud credits")
    ResourceBudget.objects.create(
        resource=resource, racecourse=dept, amount=Decimal("1000")
    )
    ResourceBudget.objects.create(
        resource=resource, racecourse=main, amount=Decimal("500")
    )
    ResourceRequest.objects.create(
        idea=gestating,
        resource=resource,
        amount=Decimal("400"),
        justification="Servers.",
        status=ResourceRequest.Status.GRANTED,
        granted_amount=Decimal("300"),
        requested_by=u1,
        decided_by=admin,
        decided_at=timezone.now(),
    )

    # Tranches: 6,000 planned, the first 1,000 released.
    plan = plan_for(project, actor=hr, amounts=("1000", "2000", "3000"))
    release(plan.tranches.order_by("position").first(), team_member=u4, hr=hr)

    return World(
        season, main, dept, d1, d2, hr, admin, UserFactory(department=d1),
        project, eliminated, gestating, draft, window, resource,
    )  # fmt: skip
