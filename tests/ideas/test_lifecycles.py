"""The ideas app's lifecycles: every move in a table works from each of its
sources and writes exactly one ``StatusChange`` row; every other (move,
status) pair is refused and changes nothing."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from horserace.common.lifecycles import status_history
from ideas import lifecycles
from ideas.models import (
    InvestmentPlan,
    JoinRequest,
    ResourceRequest,
    StatusChange,
    TeamInvitation,
    TrainerAssignment,
    Tranche,
)
from tests.factories import UserFactory, idea_draft
from tests.factories_gestation import ResourceFactory, TrainerFactory

pytestmark = pytest.mark.django_db


def _invitation(idea, status):
    return TeamInvitation.objects.create(
        idea=idea, invitee=UserFactory(), invited_by=idea.author, status=status
    )


def _join_request(idea, status):
    return JoinRequest.objects.create(idea=idea, requester=UserFactory(), status=status)


def _resource_request(idea, status):
    # Filled in as a granted one would be, so any status passes the constraints.
    return ResourceRequest.objects.create(
        idea=idea,
        resource=ResourceFactory(season=idea.racecourse.season),
        amount=Decimal("10"),
        granted_amount=Decimal("5"),
        justification="For the pilot.",
        requested_by=idea.author,
        status=status,
    )


def _trainer_assignment(idea, status):
    return TrainerAssignment.objects.create(
        idea=idea, trainer=TrainerFactory(season=idea.racecourse.season), status=status
    )


def _plan(idea, status):
    return InvestmentPlan.objects.create(
        idea=idea, created_by=idea.author, status=status
    )


def _tranche(idea, status):
    return Tranche.objects.create(
        plan=_plan(idea, InvestmentPlan.Status.ACTIVE),
        position=1,
        amount=Decimal("100"),
        milestone="Pilot",
        released_at=timezone.now(),
        status=status,
    )


MAKERS = {
    TeamInvitation: _invitation,
    JoinRequest: _join_request,
    ResourceRequest: _resource_request,
    TrainerAssignment: _trainer_assignment,
    InvestmentPlan: _plan,
    Tranche: _tranche,
}

CASES = [
    pytest.param(lifecycle, move, source, id=f"{model.__name__}-{move}-from-{source}")
    for model, lifecycle in lifecycles.LIFECYCLES.items()
    for move in lifecycle.moves
    for source in lifecycle.statuses
]


def test_every_model_with_a_status_of_more_than_two_values_has_a_table():
    from django.apps import apps

    with_status = {
        model
        for model in apps.get_app_config("ideas").get_models()
        if any(f.name == "status" and f.choices for f in model._meta.fields)
        and len(model._meta.get_field("status").choices) > 2
    }
    assert with_status == set(lifecycles.LIFECYCLES)
    assert set(MAKERS) == set(lifecycles.LIFECYCLES)


@pytest.mark.parametrize(("lifecycle", "move", "source"), CASES)
def test_a_move_works_from_its_sources_and_is_refused_from_any_other(
    lifecycle, move, source
):
    idea = idea_draft()
    actor = UserFactory()
    instance = MAKERS[lifecycle.model](idea, source)
    before = StatusChange.objects.count()
    target = lifecycle.moves[move].target

    if source in lifecycle.moves[move].sources:
        row = lifecycles.move(instance, move, actor=actor, reason="Because.")
        instance.refresh_from_db()
        assert instance.status == target
        assert StatusChange.objects.count() == before + 1
        assert list(status_history(lifecycle, instance)) == [row]
        assert (row.move, row.from_status, row.to_status) == (move, source, target)
        assert row.actor == actor and row.reason == "Because."
        assert row.subject == instance
        assert row.content_type == ContentType.objects.get_for_model(lifecycle.model)
    else:
        with pytest.raises(ValidationError) as refused:
            lifecycles.move(instance, move, actor=actor)
        assert refused.value.code == "status_move_not_allowed"
        instance.refresh_from_db()
        assert instance.status == source
        assert StatusChange.objects.count() == before


@pytest.mark.parametrize(
    "lifecycle", lifecycles.LIFECYCLES.values(), ids=lambda lc: lc.model.__name__
)
def test_every_status_is_reached_or_left_by_some_move(lifecycle):
    """No status in a table is dead code: each is a move's source or target."""
    used = {s for m in lifecycle.moves.values() for s in (*m.sources, m.target)}
    assert used == set(lifecycle.statuses)
