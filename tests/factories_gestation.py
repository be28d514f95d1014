"""Factories and helpers for gestation tests: the resource catalogue, budgets,
trainers, and projects in gestation with a team.

Rows of the catalogue are plain factories; anything an idea goes through
(requests, grants, assignments) is made through the services.
"""

import datetime as dt
from decimal import Decimal

import factory
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
from ideas.models import Idea, Stage
from ideas.services.teams import invitation_accept, team_invite
from tests.factories import (
    RacecourseFactory,
    SeasonFactory,
    StageWindowFactory,
    UserFactory,
    idea_in_stage,
    open_racecourse,
)


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    season = factory.SubFactory(SeasonFactory)
    kind = ResourceKind.BONUS
    name = factory.Sequence(lambda n: f"Resource {n}")
    unit = ResourceUnit.MONEY


class ResourceBudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResourceBudget

    resource = factory.SubFactory(ResourceFactory)
    racecourse = factory.LazyAttribute(
        lambda o: RacecourseFactory(season=o.resource.season)
    )
    amount = Decimal("1000.00")


class TrainerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trainer

    season = factory.SubFactory(SeasonFactory)
    user = factory.SubFactory(UserFactory, is_mentor=True)
    capacity = 2
    expertise = "Go-to-market"


def add_member(idea: Idea, user=None):
    """Put ``user`` (a new employee by default) on the idea's team."""
    user = user or UserFactory()
    invitation = team_invite(idea=idea, actor=idea.author, invitee=user)
    invitation_accept(invitation=invitation, actor=user)
    return user


def gestation_window(racecourse, **fields) -> StageWindow:
    """The racecourse's gestation window, open from a day ago for a week."""
    return StageWindowFactory(
        racecourse=racecourse, stage=WindowStage.GESTATION, **fields
    )


def gestating_idea(*, racecourse=None, window: bool = True, **kwargs) -> Idea:
    """An idea in gestation with its captain (the author) and one member.

    ``window``: give the racecourse an open gestation window (if it has none).
    The member is ``idea.member``.
    """
    racecourse = racecourse or open_racecourse()
    if window and not racecourse.windows.filter(stage=WindowStage.GESTATION).exists():
        gestation_window(racecourse)
    idea = idea_in_stage(Stage.GESTATION, racecourse=racecourse, **kwargs)
    idea.member = add_member(idea)
    return idea


def budget_for(idea: Idea, amount="1000.00", **resource_fields) -> ResourceBudget:
    """A resource of the idea's season with a budget on its racecourse."""
    resource = ResourceFactory(season=idea.racecourse.season, **resource_fields)
    return ResourceBudget.objects.create(
        resource=resource, racecourse=idea.racecourse, amount=Decimal(amount)
    )


def trainer_for(idea: Idea, **fields) -> Trainer:
    """A trainer in the pool of the idea's season."""
    return TrainerFactory(season=idea.racecourse.season, **fields)


def close_window(window: StageWindow, ago: dt.timedelta = dt.timedelta(minutes=1)):
    """Move ``window``'s close into the past (it closed ``ago``)."""
    closes_at = timezone.now() - ago
    opens_at = min(window.opens_at, closes_at - dt.timedelta(days=1))
    StageWindow.objects.filter(pk=window.pk).update(
        opens_at=opens_at, closes_at=closes_at
    )
    window.refresh_from_db()
    return window
