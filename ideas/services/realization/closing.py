"""Closing: HR ends a project in realization."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ... import funnel
from ...models import Idea, InvestmentPlan, Tranche
from ..common import require
from .helpers import _lock_idea, _lock_plan, _require_active


@transaction.atomic
def realization_close(*, idea: Idea, actor, reason: str) -> Idea:
    """HR ends a project in realization: it leaves the race with a reason.

    Its plan (if any) is CLOSED and the tranches not yet released are
    cancelled, so the ledger has nothing left to release. The funnel tells
    the team, with the reason.
    """
    plan = InvestmentPlan.objects.filter(idea=idea).values_list("pk", flat=True)
    plan = _lock_plan(plan[0]) if plan else None
    idea = _lock_idea(idea)
    require(
        actor,
        "ideas.close_realization",
        idea,
        _("Only HR can close a project, and only while it is in realization."),
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the project is closed.")})
    if plan is not None:
        _require_active(plan)
        plan.status = InvestmentPlan.Status.CLOSED
        plan.closed_reason = reason
        plan.save(update_fields=["status", "closed_reason", "updated_at"])
        plan.tranches.filter(
            status__in=[Tranche.Status.PLANNED, Tranche.Status.IN_REVIEW]
        ).update(status=Tranche.Status.CANCELLED, updated_at=timezone.now())
    return funnel.idea_close(idea=idea, actor=actor, reason=reason)
