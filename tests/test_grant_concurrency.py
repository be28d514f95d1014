"""Grants, trainer seats and the gestation close under concurrency, on
PostgreSQL's real row locks.

A grant locks the racecourse's budget row for its resource before it sums
what is granted, so simultaneous grants can never overdraw the budget; an
assignment locks the trainer's row before counting their teams.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from contests.closing import window_apply
from ideas.gestation.closers import extensions_expire
from ideas.models import (
    ProposalExtension,
    ResourceRequest,
    Stage,
    StageTransition,
    TrainerAssignment,
)
from ideas.services.gestation.resources import (
    resource_request_create,
    resource_request_grant,
)
from ideas.services.trainers import trainer_assign
from tests.factories import UserFactory, open_racecourse
from tests.factories_gestation import (
    budget_for,
    close_window,
    gestating_idea,
    gestation_window,
    trainer_for,
)
from tests.threads import errors_of, run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency tests need PostgreSQL (set DATABASE_URL)",
    ),
]

THREADS = 8


def _requests(racecourse, budget, amount: str, n: int) -> list[ResourceRequest]:
    requests = []
    for i in range(n):
        idea = gestating_idea(racecourse=racecourse, title=f"Team {i}")
        requests.append(
            resource_request_create(
                idea=idea,
                actor=idea.author,
                resource=budget.resource,
                amount=Decimal(amount),
                justification="Pilot",
            )
        )
    return requests


def test_simultaneous_grants_never_overdraw_the_budget():
    """Eight teams ask 300 of a 1000 budget at once: three grants, no more."""
    racecourse = open_racecourse()
    gestation_window(racecourse)
    first = gestating_idea(racecourse=racecourse)
    budget = budget_for(first, "1000")
    requests = _requests(racecourse, budget, "300", THREADS)
    admins = [UserFactory() for _ in requests]
    racecourse.admins.add(*admins)

    results = run_together(
        [
            lambda r=r, a=a: resource_request_grant(request=r, actor=a)
            for r, a in zip(requests, admins, strict=True)
        ]
    )

    losers = errors_of(results)
    assert len(losers) == THREADS - 3
    assert all(isinstance(e, ValidationError) for e in losers), losers
    assert {e.error_dict["amount"][0].code for e in losers} == {"over_budget"}
    granted = ResourceRequest.objects.filter(status="granted")
    assert granted.count() == 3
    assert granted.aggregate(t=Sum("granted_amount"))["t"] == Decimal("900")


def test_grants_of_different_amounts_fill_the_budget_exactly():
    """Whatever the order, the granted total stays within the budget."""
    racecourse = open_racecourse()
    gestation_window(racecourse)
    budget = budget_for(gestating_idea(racecourse=racecourse), "500")
    requests = _requests(racecourse, budget, "100", THREADS)
    hr = UserFactory(is_hr_admin=True)

    run_together(
        [lambda r=r: resource_request_grant(request=r, actor=hr) for r in requests]
    )

    total = ResourceRequest.objects.filter(status="granted").aggregate(
        t=Sum("granted_amount")
    )["t"]
    assert total == Decimal("500")


def test_the_same_request_granted_twice_at_once_is_granted_once():
    racecourse = open_racecourse()
    gestation_window(racecourse)
    budget = budget_for(gestating_idea(racecourse=racecourse), "1000")
    (request,) = _requests(racecourse, budget, "100", 1)
    hr = UserFactory(is_hr_admin=True)

    results = run_together(
        [lambda: resource_request_grant(request=request, actor=hr) for _ in range(4)]
    )

    assert len(errors_of(results)) == 3
    assert {e.code for e in errors_of(results)} == {"not_open"}
    request.refresh_from_db()
    assert (request.status, request.granted_amount) == ("granted", Decimal("100"))


def test_the_last_seat_of_a_trainer_goes_to_one_team():
    racecourse = open_racecourse()
    gestation_window(racecourse)
    ideas = [gestating_idea(racecourse=racecourse) for _ in range(THREADS)]
    trainer = trainer_for(ideas[0], capacity=1)
    hr = UserFactory(is_hr_admin=True)

    results = run_together(
        [lambda i=i: trainer_assign(idea=i, actor=hr, trainer=trainer) for i in ideas]
    )

    losers = errors_of(results)
    assert len(losers) == THREADS - 1
    assert {e.error_dict["trainer"][0].code for e in losers} == {"trainer_full"}
    assert (
        TrainerAssignment.objects.filter(trainer=trainer, status="active").count() == 1
    )


def test_closing_gestation_and_expiring_extensions_twice_at_once():
    """Two closers and two expiry runs: every idea is eliminated once."""
    racecourse = open_racecourse()
    window = gestation_window(racecourse)
    ideas = [gestating_idea(racecourse=racecourse) for _ in range(4)]
    hr = UserFactory(is_hr_admin=True)
    close_window(window)
    for idea in ideas[:2]:  # extensions that ran out: both steps want these
        ProposalExtension.objects.create(
            idea=idea,
            until=timezone.now() - dt.timedelta(seconds=1),
            reason="r",
            granted_by=hr,
        )

    results = run_together(
        [lambda: window_apply(window=window) for _ in range(2)]
        + [extensions_expire for _ in range(2)]
    )

    assert errors_of(results) == []
    for idea in ideas:
        idea.refresh_from_db()
        assert idea.stage == Stage.ELIMINATED
        assert (
            StageTransition.objects.filter(idea=idea, to_stage=Stage.ELIMINATED).count()
            == 1
        )
