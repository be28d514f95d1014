"""Releasing money at the same moment, on PostgreSQL's real row locks.

Two HR admins approving one milestone review at once must release the tranche
once, complete the plan once and move the idea to realized once. The plan row
is locked for the whole decision (``ideas.realization.services``).
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from horserace.notifications.models import Notification
from ideas.models import InvestmentPlan, Stage, StageTransition, Tranche
from ideas.realization.services.closing import realization_close
from ideas.realization.services.reviews import tranche_approve, tranche_review_submit
from tests.factories import UserFactory
from tests.factories_realization import plan_for, realization_world, release
from tests.threads import errors_of, run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency tests need PostgreSQL (set DATABASE_URL)",
    ),
]


def _in_review(amounts=("100", "200")):
    w = realization_world()
    plan = plan_for(w.idea, actor=w.hr, amounts=amounts)
    tranches = list(plan.tranches.order_by("position"))
    for tranche in tranches[:-1]:
        release(tranche, team_member=w.member, hr=w.hr)
    last = tranches[-1]
    tranche_review_submit(tranche=last, actor=w.member, review="Done")
    return w, plan, last


def test_two_approvals_at_once_release_the_tranche_once():
    """Several HR admins approve the same review together: exactly one wins;
    the others are told it is no longer waiting; the plan completes once."""
    w, plan, tranche = _in_review()
    admins = [w.hr] + [UserFactory(is_hr_admin=True) for _ in range(3)]

    results = run_together(
        [lambda hr=hr: tranche_approve(tranche=tranche, actor=hr) for hr in admins]
    )

    winners = [value for outcome, value in results if outcome == "ok"]
    errors = errors_of(results)
    assert len(winners) == 1
    assert len(errors) == len(admins) - 1
    assert all(
        isinstance(e, ValidationError) and e.code == "not_in_review" for e in errors
    )
    tranche.refresh_from_db()
    assert tranche.status == Tranche.Status.RELEASED
    assert tranche.released_by == winners[0].released_by
    plan.refresh_from_db()
    assert plan.status == InvestmentPlan.Status.COMPLETED
    assert (
        StageTransition.objects.filter(idea=w.idea, to_stage=Stage.REALIZED).count()
        == 1
    )
    assert (
        Notification.objects.filter(
            recipient=w.member, kind="ideas.realization.tranche_released", params__n=2
        ).count()
        == 1
    )


def test_approving_and_closing_at_once_leave_one_consistent_outcome():
    """An approval racing a close: either the tranche is released and the idea
    realized (close refused), or the plan is closed and the idea eliminated
    (approval refused) — never both, never half."""
    w, plan, tranche = _in_review(amounts=("100",))

    results = run_together(
        [
            lambda: tranche_approve(tranche=tranche, actor=w.hr),
            lambda: realization_close(idea=w.idea, actor=w.hr, reason="Stop"),
        ]
    )

    errors = errors_of(results)
    assert len(errors) == 1
    assert isinstance(errors[0], ValidationError | PermissionDenied)
    plan.refresh_from_db()
    tranche.refresh_from_db()
    w.idea.refresh_from_db()
    if results[0][0] == "ok":
        assert (plan.status, tranche.status, w.idea.stage) == (
            "completed",
            "released",
            Stage.REALIZED,
        )
    else:
        assert (plan.status, tranche.status, w.idea.stage) == (
            "closed",
            "cancelled",
            Stage.ELIMINATED,
        )
