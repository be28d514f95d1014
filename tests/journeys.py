"""The people and data of the project journey, shared by its two twins.

``tests/e2e/test_project_journey.py`` walks it in a browser and
``tests/test_api_project_journey.py`` over the REST API: a team in gestation
on a racecourse with an open gestation window, a budgeted testing
environment, a trainer, a rubric and a pool of three evaluators, one of them
the captain's manager (an automatic conflict of interest).
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from contests.models import (
    Resource,
    ResourceBudget,
    ResourceKind,
    ResourceUnit,
    StageWindow,
    Trainer,
    WindowStage,
)
from ideas.models import Stage
from tests.factories import StageWindowFactory, UserFactory, idea_in_stage
from tests.factories_gestation import add_member
from tests.factories_scoring import rubric_for

#: Every journey person's password (UserFactory's).
PASSWORD = "pw-12345678"

TITLE = "Parcel lockers in villages"


def _person(name: str, email: str, **roles):
    return UserFactory(display_name=name, email=email, **roles)


def project_world() -> dict:
    """One project in gestation and everyone who takes it to realization."""
    now = timezone.now()
    hr = _person("Grace HR", "hr@example.com", is_hr_admin=True)
    admin = _person("Zhao Admin", "admin@example.com")
    manager = _person("Mei Manager", "manager@example.com", is_evaluator=True)
    captain = _person("Lin Captain", "captain@example.com", manager=manager)
    member = _person("Chen Member", "member@example.com")
    mentor = _person("Han Trainer", "mentor@example.com", is_mentor=True)
    first = _person("Ada Evaluator", "ada@example.com", is_evaluator=True)
    second = _person("Bo Evaluator", "bo@example.com", is_evaluator=True)

    idea = idea_in_stage(Stage.GESTATION, author=captain, title=TITLE)
    add_member(idea, member)
    racecourse = idea.racecourse
    racecourse.admins.add(admin)
    racecourse.evaluators.set([manager, first, second])
    racecourse.evaluators_per_project = 2
    racecourse.save(update_fields=["evaluators_per_project"])
    StageWindowFactory(
        racecourse=racecourse,
        stage=WindowStage.GESTATION,
        opens_at=now - dt.timedelta(days=20),
        closes_at=now + dt.timedelta(days=20),
        rule=StageWindow.Rule.MANUAL,
    )
    environment = Resource.objects.create(
        season=racecourse.season,
        kind=ResourceKind.TEST_ENVIRONMENT,
        name="Staging cluster",
        unit=ResourceUnit.SLOTS,
    )
    ResourceBudget.objects.create(
        resource=environment, racecourse=racecourse, amount=Decimal(10)
    )
    Trainer.objects.create(season=racecourse.season, user=mentor, capacity=2)
    rubric_for(racecourse, actor=hr)
    return {
        "idea": idea,
        "racecourse": racecourse,
        "environment": environment,
        "hr": hr,
        "admin": admin,
        "manager": manager,
        "captain": captain,
        "member": member,
        "mentor": mentor,
        "evaluators": [first, second],
    }
