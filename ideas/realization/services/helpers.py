"""Shared by realization's services: messages, locks, checks, who to tell."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from horserace.accounts.models import User
from ideas import funnel, lifecycles
from ideas.models import Idea, InvestmentPlan, Tranche
from ideas.services.common import lock_idea

MANAGE = gettext_lazy(
    "Only HR or this racecourse's admins can do that, and only while the "
    "project is in realization."
)
RELEASE = gettext_lazy(
    "Only HR can decide milestone reviews, and only while the project is in "
    "realization."
)


def lock_plan(plan_id: int) -> InvestmentPlan:
    """The plan and its idea, row-locked: the idea first, as the funnel does.

    Every stage change locks the idea and may then close the plan
    (``funnel._close_plan``); locking in the same order here means a release
    and a withdrawal at the same moment wait for each other, never deadlock.
    """
    idea_id = InvestmentPlan.objects.values_list("idea_id", flat=True).get(pk=plan_id)
    idea = lock_idea(Idea(pk=idea_id))
    plan = InvestmentPlan.objects.select_for_update().get(pk=plan_id)
    plan.idea = idea
    return plan


def short(text, length: int = 80) -> str:
    """Names and titles cut to fit a notification's subject line."""
    return Truncator(str(text)).chars(length)


def page(idea: Idea) -> str:
    return reverse("realization:project", args=[idea.pk])


def require_active(plan: InvestmentPlan) -> None:
    if plan.status != InvestmentPlan.Status.ACTIVE:
        raise ValidationError(
            _("The investment plan is %(status)s: it can no longer change.")
            % {"status": plan.get_status_display().lower()},
            code="plan_not_active",
        )


def complete_if_done(plan: InvestmentPlan, actor: User) -> bool:
    """Complete a locked plan whose every live tranche is released.

    The plan becomes COMPLETED and its idea moves to realized, in the caller's
    transaction. A plan with nothing released (all cancelled) stays active.
    """
    statuses = list(
        plan.tranches.exclude(status=Tranche.Status.CANCELLED).values_list(
            "status", flat=True
        )
    )
    if not statuses or any(s != Tranche.Status.RELEASED for s in statuses):
        return False
    reason = _("The investment plan is complete: every tranche was released.")
    lifecycles.move(plan, "complete", actor=actor, reason=reason)
    funnel.idea_complete(idea=plan.idea, actor=actor, reason=reason)
    return True


def lock_tranche(tranche: Tranche) -> tuple[InvestmentPlan, Tranche]:
    """Lock the tranche's plan, then read the tranche as it now stands."""
    plan = lock_plan(tranche.plan_id)
    return plan, plan.tranches.get(pk=tranche.pk)


def require_in_review(tranche: Tranche) -> None:
    if tranche.status != Tranche.Status.IN_REVIEW:
        raise ValidationError(
            _("Tranche #%(n)d is %(status)s, not waiting for approval.")
            % {"n": tranche.position, "status": tranche.get_status_display().lower()},
            code="not_in_review",
        )


def require_planned(tranche: Tranche) -> None:
    if tranche.status != Tranche.Status.PLANNED:
        raise ValidationError(
            _("Tranche #%(n)d is %(status)s: only planned tranches can change.")
            % {"n": tranche.position, "status": tranche.get_status_display().lower()},
            code="tranche_not_planned",
        )
