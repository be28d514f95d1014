"""Last season and this year's employee file, for the season scenarios.

Issue 10's "Done means": HR copies last season, moves a window so that the
new season's screening is open now, opens it, imports the directory; a new
employee from the file registers an idea while screening is open; colleagues
judge it. The browser test (tests/e2e/test_season_scenario.py) and its API
twin (tests/test_api_season_scenario.py) start from what is built here.

Last season is built relative to the real clock, a year back, so that its
copy (moved by one calendar year, the console's default) lands around now:
registration open since three days, screening opening in ten days, which
HR moves to now.
"""

import datetime as dt

from django.utils import timezone

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
    RacecourseFactory,
    SeasonFactory,
    StageWindowFactory,
    UserFactory,
)

DAY = dt.timedelta(days=1)

#: The HR file: a manager, the new employee, two colleagues; two departments.
EMPLOYEES_CSV = (
    "employee_number,email,display_name,department_code,department_name,"
    "parent_department_code,manager_employee_number,status\r\n"
    "S9000,zhou.lan@example.com,Zhou Lan,ops,Operations,,,active\r\n"
    "S9001,mei.chen@example.com,Mei Chen,ops-lab,Operations Lab,ops,S9000,active\r\n"
    "S9002,tao.wu@example.com,Tao Wu,ops,Operations,,S9000,active\r\n"
    "S9003,ana.silva@example.com,Ana Silva,ops-lab,Operations Lab,ops,S9000,active\r\n"
)
NEW_EMPLOYEE = "mei.chen@example.com"
COLLEAGUES = ("tao.wu@example.com", "ana.silva@example.com")
MANAGER = "zhou.lan@example.com"


def a_year_back(when: dt.datetime) -> dt.datetime:
    try:
        return when.replace(year=when.year - 1)
    except ValueError:  # 29 February
        return when.replace(year=when.year - 1, day=28)


def last_season() -> Season:
    """Last year's season, closed: a main racecourse with its four windows
    (applied), a rubric, a budget, a challenge and a trainer; and the farm."""
    anchor = a_year_back(timezone.now()).replace(second=0, microsecond=0)
    season = SeasonFactory(
        name=f"Race {anchor.year}",
        year=anchor.year,
        starts_on=(anchor - 30 * DAY).date(),
        ends_on=(anchor + 200 * DAY).date(),
        status=Season.Status.CLOSED,
    )
    main = RacecourseFactory(
        season=season, name="Main racecourse", slug="main", kind=Racecourse.Kind.MAIN
    )
    RacecourseFactory(season=season, name="Farm", slug="farm", kind="farm")
    windows = [
        (WindowStage.REGISTRATION, -3, 30, {}),
        (
            WindowStage.SCREENING,
            10,
            40,
            {"rule": StageWindow.Rule.TOP_K, "top_k": 10, "support_budget": 5},
        ),
        (WindowStage.GESTATION, 41, 100, {}),
        (WindowStage.EVALUATION, 100, 130, {}),
    ]
    for stage, opens, closes, fields in windows:
        StageWindowFactory(
            racecourse=main,
            stage=stage,
            opens_at=anchor + opens * DAY,
            closes_at=anchor + closes * DAY,
            applied_at=anchor + closes * DAY,
            **fields,
        )
    main.admins.add(UserFactory())
    main.evaluators.add(UserFactory(is_evaluator=True))
    rubric = Rubric.objects.create(racecourse=main, title="Panel rubric")
    Criterion.objects.create(rubric=rubric, name="Value", weight=2, position=1)
    Criterion.objects.create(rubric=rubric, name="Feasibility", position=2)
    credits = Resource.objects.create(
        season=season, kind="service_tools", name="Cloud credits", unit="money"
    )
    ResourceBudget.objects.create(resource=credits, racecourse=main, amount=50000)
    Challenge.objects.create(
        racecourse=main, title="Greener parcels", brief="Less plastic.",
        sponsor=UserFactory(),
    )  # fmt: skip
    Trainer.objects.create(
        season=season, user=UserFactory(is_mentor=True), capacity=4, expertise="Ops"
    )
    return season


IDEA = {
    "title": "Returnable parcel boxes",
    "pitch": "Sturdy boxes that come back with the next delivery.",
    "problem": "Every parcel ends as cardboard waste at the customer's door.",
    "proposal": "A deposit on a sturdy box, refunded when the courier takes it back.",
}
