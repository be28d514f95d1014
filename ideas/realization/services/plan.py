"""The investment plan and its tranches: create, add, change, cancel."""

import re
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from horserace.accounts.models import User
from horserace.notifications.services import event_send
from ideas import lifecycles
from ideas.models import Idea, InvestmentPlan, Tranche
from ideas.realization.events import PlanCreated
from ideas.realization.services.helpers import (
    MANAGE,
    complete_if_done,
    lock_plan,
    lock_tranche,
    page,
    require_active,
    require_planned,
    short,
)
from ideas.services.common import lock_idea, require

MAX_AMOUNT = Decimal("9999999999.99")  # what DecimalField(12, 2) holds


def _clean_tranche(
    amount, milestone: str, due_on: date | None, label: str = ""
) -> tuple[dict, list[str]]:
    """Normalised tranche fields and the problems with them."""
    problems = []
    try:
        amount = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        problems.append(_("%(label)sThe amount must be a number.") % {"label": label})
    else:
        if amount <= 0:
            problems.append(
                _("%(label)sThe amount must be more than zero.") % {"label": label}
            )
        elif amount > MAX_AMOUNT:
            problems.append(_("%(label)sThe amount is too large.") % {"label": label})
    milestone = (milestone or "").strip()
    if not milestone:
        problems.append(
            _("%(label)sSay which milestone releases this tranche.") % {"label": label}
        )
    elif len(milestone) > 300:
        problems.append(
            _("%(label)sThe milestone is longer than 300 characters.")
            % {"label": label}
        )
    if due_on is not None and not isinstance(due_on, date):
        problems.append(_("%(label)sThe due date is not a date.") % {"label": label})
    return {"amount": amount, "milestone": milestone, "due_on": due_on}, problems


@transaction.atomic
def investment_plan_create(
    *,
    idea: Idea,
    actor: User,
    tranches: Iterable[Mapping],
    currency: str = "CNY",
) -> InvestmentPlan:
    """HR or the racecourse's admin plans the investment in tranches.

    ``tranches`` are mappings with ``amount``, ``milestone`` and optional
    ``due_on``, in the order they are released (positions 1..n).
    """
    idea = lock_idea(idea)
    require(actor, "ideas.manage_realization", idea, str(MANAGE))
    if InvestmentPlan.objects.filter(idea=idea).exists():
        raise ValidationError(
            _("This project already has an investment plan."), code="plan_exists"
        )
    errors: dict[str, str | list[str]] = {}
    currency = (currency or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        errors["currency"] = _("Give a three-letter currency code such as CNY.")
    rows, problems = [], []
    for number, tranche in enumerate(tranches, start=1):
        row, found = _clean_tranche(
            tranche.get("amount"),
            tranche.get("milestone", ""),
            tranche.get("due_on"),
            label=_("Tranche %(n)d: ") % {"n": number},
        )
        rows.append(row)
        problems += found
    if not rows:
        problems.append(_("Plan at least one tranche."))
    if problems:
        errors["tranches"] = problems
    if errors:
        raise ValidationError(errors)
    plan = InvestmentPlan.objects.create(idea=idea, currency=currency, created_by=actor)
    Tranche.objects.bulk_create(
        Tranche(plan=plan, position=position, **row)
        for position, row in enumerate(rows, start=1)
    )
    total = sum(row["amount"] for row in rows)
    event_send(
        PlanCreated,
        about=plan,
        url=page(idea),
        plan=plan.pk,
        idea=short(idea.title),
        count=len(rows),
        total=str(total),
        currency=currency,
    )
    return plan


@transaction.atomic
def tranche_add(
    *,
    plan: InvestmentPlan,
    actor: User,
    amount,
    milestone: str,
    due_on: date | None = None,
) -> Tranche:
    """Add a tranche at the end of an active plan."""
    plan = lock_plan(plan.pk)
    require(actor, "ideas.manage_realization", plan.idea, str(MANAGE))
    require_active(plan)
    row, problems = _clean_tranche(amount, milestone, due_on)
    if problems:
        raise ValidationError(problems)
    last = plan.tranches.aggregate(last=Max("position"))["last"] or 0
    return Tranche.objects.create(plan=plan, position=last + 1, **row)


@transaction.atomic
def tranche_update(
    *, tranche: Tranche, actor: User, amount, milestone: str, due_on: date | None = None
) -> Tranche:
    """Change a tranche that is still planned (not in review, not released)."""
    plan, tranche = lock_tranche(tranche)
    require(actor, "ideas.manage_realization", plan.idea, str(MANAGE))
    require_active(plan)
    require_planned(tranche)
    row, problems = _clean_tranche(amount, milestone, due_on)
    if problems:
        raise ValidationError(problems)
    for field, value in row.items():
        setattr(tranche, field, value)
    tranche.save(update_fields=[*row, "updated_at"])
    return tranche


@transaction.atomic
def tranche_cancel(*, tranche: Tranche, actor: User) -> Tranche:
    """Cancel a planned tranche. If every other one is released, the plan
    completes and the idea is realized."""
    plan, tranche = lock_tranche(tranche)
    require(actor, "ideas.manage_realization", plan.idea, str(MANAGE))
    require_active(plan)
    require_planned(tranche)
    lifecycles.move(tranche, "cancel", actor=actor)
    complete_if_done(plan, actor)
    return tranche
