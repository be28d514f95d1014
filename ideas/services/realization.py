"""Realization: outcomes, time allocations and staged investment.

Who may do what is in ``ideas.rules`` (the realization block); every function
here asks it first. Everything happens while the idea is in realization,
except a manager's answer to a time allocation, which may come after the plan
completed.

Locks: a plan's tranches change only under the plan's row lock
(``_lock_plan``), taken before the idea's row (which the funnel locks). So two
HR admins approving the same milestone at once release it once, and a plan
completes (and its idea is realized) once.
"""

import re
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator, format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from horserace.notifications.services import notification_send

from .. import funnel
from ..models import (
    Idea,
    InvestmentPlan,
    Outcome,
    TeamMembership,
    TimeAllocation,
    Tranche,
)
from .common import require

User = get_user_model()

MAX_AMOUNT = Decimal("9999999999.99")  # what DecimalField(12, 2) holds

_MANAGE = gettext_lazy(
    "Only HR or this racecourse's admins can do that, and only while the "
    "project is in realization."
)
_RELEASE = gettext_lazy(
    "Only HR can decide milestone reviews, and only while the project is in "
    "realization."
)


# --- Helpers ----------------------------------------------------------------------


def _lock_idea(idea: Idea) -> Idea:
    return (
        Idea.objects.select_for_update(of=("self",))
        .select_related("racecourse")
        .get(pk=idea.pk)
    )


def _lock_plan(plan_id: int) -> InvestmentPlan:
    """The plan, row-locked, with its idea read after the lock is held.

    The idea is read in a second query on purpose: a row joined to a locked
    row is not re-read when the lock was waited for, so it could be stale.
    """
    plan = InvestmentPlan.objects.select_for_update().get(pk=plan_id)
    plan.idea = Idea.objects.select_related("racecourse").get(pk=plan.idea_id)
    return plan


def _team(idea: Idea) -> list:
    return [m.user for m in idea.memberships.select_related("user")]


def _captains(idea: Idea) -> list:
    return [
        m.user
        for m in idea.memberships.select_related("user").filter(
            role=TeamMembership.Role.CAPTAIN
        )
    ]


def _short(text, length: int = 80) -> str:
    """Names and titles cut to fit a notification's subject line."""
    return Truncator(str(text)).chars(length)


def _page(idea: Idea) -> str:
    return reverse("realization:project", args=[idea.pk])


def _require_active(plan: InvestmentPlan) -> None:
    if plan.status != InvestmentPlan.Status.ACTIVE:
        raise ValidationError(
            _("The investment plan is %(status)s: it can no longer change.")
            % {"status": plan.get_status_display().lower()},
            code="plan_not_active",
        )


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


def _complete_if_done(plan: InvestmentPlan, actor) -> bool:
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
    plan.status = InvestmentPlan.Status.COMPLETED
    plan.save(update_fields=["status", "updated_at"])
    funnel.idea_complete(
        idea=plan.idea,
        actor=actor,
        reason=_("The investment plan is complete: every tranche was released."),
    )
    return True


# --- Outcomes ---------------------------------------------------------------------


@transaction.atomic
def outcome_record(
    *,
    idea: Idea,
    actor,
    kind: str,
    department=None,
    owner=None,
    venture_name: str = "",
    launched_on: date | None = None,
    notes: str = "",
) -> Outcome:
    """HR or the racecourse's admin records what became of the project.

    Adopted names the department and its owner; a venture its name; a launch
    its date. "Time allocated" is one outcome per project: its allocations
    are proposed per member (``time_allocation_propose``).
    """
    idea = _lock_idea(idea)
    require(actor, "ideas.manage_realization", idea, str(_MANAGE))
    venture_name = (venture_name or "").strip()
    errors = {}
    if kind not in Outcome.Kind.values:
        errors["kind"] = _("Choose what became of the project.")
    elif kind == Outcome.Kind.ADOPTED:
        if department is None:
            errors["department"] = _("Say which department adopts the project.")
        if owner is None:
            errors["owner"] = _("Say who owns the project in that department.")
    elif kind == Outcome.Kind.VENTURE and not venture_name:
        errors["venture_name"] = _("Give the new venture's name.")
    elif kind == Outcome.Kind.LAUNCH and launched_on is None:
        errors["launched_on"] = _("Give the launch date.")
    elif kind == Outcome.Kind.TIME and idea.outcomes.filter(kind=kind).exists():
        errors["kind"] = _(
            "Time allocated to the team is already recorded; propose each "
            "member's share instead."
        )
    if owner is not None and not owner.is_active:
        errors["owner"] = _("This account is not active.")
    if errors:
        raise ValidationError(errors)
    outcome = Outcome.objects.create(
        idea=idea,
        kind=kind,
        department=department if kind == Outcome.Kind.ADOPTED else None,
        owner=owner if kind != Outcome.Kind.TIME else None,
        venture_name=venture_name if kind == Outcome.Kind.VENTURE else "",
        launched_on=launched_on if kind == Outcome.Kind.LAUNCH else None,
        notes=(notes or "").strip(),
        recorded_by=actor,
    )
    notification_send(
        recipients=_team(idea),
        subject=format_lazy(
            gettext_lazy("“{idea}”: outcome recorded — {kind}"),
            idea=_short(idea.title),
            kind=outcome.get_kind_display(),
        ),
        body=outcome.notes,
        url=_page(idea),
        email=False,
    )
    return outcome


@transaction.atomic
def outcome_remove(*, outcome: Outcome, actor) -> None:
    """Take back an outcome recorded by mistake (not one with allocations)."""
    idea = _lock_idea(outcome.idea)
    require(actor, "ideas.manage_realization", idea, str(_MANAGE))
    if outcome.allocations.exists():
        raise ValidationError(
            _("This outcome has time allocations; it stays on record."),
            code="has_allocations",
        )
    outcome.delete()


# --- Time allocations -------------------------------------------------------------


@transaction.atomic
def time_allocation_propose(*, idea: Idea, actor, member, share: int) -> TimeAllocation:
    """Propose that a team member spend ``share`` % of their time on the project.

    HR, the racecourse's admin or the captain proposes; the member's manager
    (``User.manager``) decides. A declined proposal may be proposed again.
    The manager and the member are notified.
    """
    idea = _lock_idea(idea)
    require(
        actor,
        "ideas.propose_allocation",
        idea,
        _(
            "Only the captain, HR or this racecourse's admins can propose time "
            "allocations, and only while the project is in realization."
        ),
    )
    errors = {}
    if not idea.memberships.filter(user=member).exists():
        errors["member"] = _("%(name)s is not on the team.") % {"name": member}
    elif member.manager_id is None:
        errors["member"] = _(
            "%(name)s has no manager on record, so nobody can approve the time. "
            "Ask HR to record their manager first."
        ) % {"name": member}
    elif not member.manager.is_active:
        errors["member"] = _(
            "%(name)s's manager (%(manager)s) has left; ask HR to record their "
            "new manager first."
        ) % {"name": member, "manager": member.manager}
    if not isinstance(share, int) or isinstance(share, bool) or not 1 <= share <= 100:
        errors["share"] = _(
            "The share is a whole percentage from 1 to 100 (100 = full time)."
        )
    if errors:
        raise ValidationError(errors)

    outcome = idea.outcomes.filter(kind=Outcome.Kind.TIME).order_by("pk").first()
    if outcome is None:
        outcome = Outcome.objects.create(
            idea=idea, kind=Outcome.Kind.TIME, recorded_by=actor
        )
    allocation = (
        TimeAllocation.objects.select_for_update()
        .filter(outcome=outcome, member=member)
        .first()
    )
    if allocation is not None and allocation.declined_at is None:
        if allocation.approved_at is None:
            message = _("%(name)s's time allocation already waits for %(manager)s.")
        else:
            message = _("%(name)s's time allocation is already approved.")
        raise ValidationError(
            {"member": message % {"name": member, "manager": allocation.manager}}
        )
    if allocation is None:
        allocation = TimeAllocation(outcome=outcome, member=member)
    allocation.share = share
    allocation.manager = member.manager
    allocation.approved_at = None
    allocation.declined_at = None
    allocation.manager_note = ""
    allocation.save()

    notification_send(
        recipients=[allocation.manager],
        subject=format_lazy(
            gettext_lazy(
                "Please decide: {member} to spend {share}% of their time on “{idea}”"
            ),
            member=_short(member, 40),
            share=share,
            idea=_short(idea.title),
        ),
        url=reverse("realization:approvals"),
    )
    notification_send(
        recipients=[member],
        subject=format_lazy(
            gettext_lazy("{share}% of your time for “{idea}” is proposed to {manager}"),
            share=share,
            idea=_short(idea.title),
            manager=_short(allocation.manager, 40),
        ),
        url=_page(idea),
        email=False,
    )
    return allocation


def _decide_allocation(allocation, actor, *, approve: bool, note: str):
    allocation = (
        TimeAllocation.objects.select_for_update(of=("self",))
        .select_related("outcome__idea", "member", "manager")
        .get(pk=allocation.pk)
    )
    require(
        actor,
        "ideas.decide_allocation",
        allocation,
        _("Only %(manager)s, the member's manager, can decide this.")
        % {"manager": allocation.manager},
    )
    if allocation.approved_at or allocation.declined_at:
        raise ValidationError(
            _("This allocation has already been decided."), code="already_decided"
        )
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"note": _("Say why you decline.")})
    if approve:
        allocation.approved_at = timezone.now()
    else:
        allocation.declined_at = timezone.now()
    allocation.manager_note = note
    allocation.save(
        update_fields=["approved_at", "declined_at", "manager_note", "updated_at"]
    )
    idea = allocation.outcome.idea
    subject = (
        gettext_lazy("{manager} approved {share}% of {member}'s time for “{idea}”")
        if approve
        else gettext_lazy("{manager} declined {share}% of {member}'s time for “{idea}”")
    )
    notification_send(
        recipients=[allocation.member, *_captains(idea)],
        subject=format_lazy(
            subject,
            manager=_short(actor, 40),
            share=allocation.share,
            member=_short(allocation.member, 40),
            idea=_short(idea.title),
        ),
        body=note,
        url=_page(idea),
    )
    return allocation


@transaction.atomic
def time_allocation_approve(
    *, allocation: TimeAllocation, actor, note: str = ""
) -> TimeAllocation:
    """The member's manager approves the share; who and when are recorded."""
    return _decide_allocation(allocation, actor, approve=True, note=note)


@transaction.atomic
def time_allocation_decline(
    *, allocation: TimeAllocation, actor, note: str
) -> TimeAllocation:
    """The member's manager declines, saying why."""
    return _decide_allocation(allocation, actor, approve=False, note=note)


# --- The investment plan ----------------------------------------------------------


@transaction.atomic
def investment_plan_create(
    *,
    idea: Idea,
    actor,
    tranches: Iterable[Mapping],
    currency: str = "CNY",
) -> InvestmentPlan:
    """HR or the racecourse's admin plans the investment in tranches.

    ``tranches`` are mappings with ``amount``, ``milestone`` and optional
    ``due_on``, in the order they are released (positions 1..n).
    """
    idea = _lock_idea(idea)
    require(actor, "ideas.manage_realization", idea, str(_MANAGE))
    if InvestmentPlan.objects.filter(idea=idea).exists():
        raise ValidationError(
            _("This project already has an investment plan."), code="plan_exists"
        )
    errors = {}
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
    notification_send(
        recipients=_team(idea),
        subject=format_lazy(
            gettext_lazy(
                "“{idea}” has an investment plan: {count} tranche(s), {total} {currency}"
            ),
            idea=_short(idea.title),
            count=len(rows),
            total=total,
            currency=currency,
        ),
        url=_page(idea),
    )
    return plan


@transaction.atomic
def tranche_add(
    *, plan: InvestmentPlan, actor, amount, milestone: str, due_on: date | None = None
) -> Tranche:
    """Add a tranche at the end of an active plan."""
    plan = _lock_plan(plan.pk)
    require(actor, "ideas.manage_realization", plan.idea, str(_MANAGE))
    _require_active(plan)
    row, problems = _clean_tranche(amount, milestone, due_on)
    if problems:
        raise ValidationError(problems)
    last = plan.tranches.aggregate(last=Max("position"))["last"] or 0
    return Tranche.objects.create(plan=plan, position=last + 1, **row)


def _lock_tranche(tranche: Tranche) -> tuple[InvestmentPlan, Tranche]:
    """Lock the tranche's plan, then read the tranche as it now stands."""
    plan = _lock_plan(tranche.plan_id)
    return plan, plan.tranches.get(pk=tranche.pk)


def _require_in_review(tranche: Tranche) -> None:
    if tranche.status != Tranche.Status.IN_REVIEW:
        raise ValidationError(
            _("Tranche #%(n)d is %(status)s, not waiting for approval.")
            % {"n": tranche.position, "status": tranche.get_status_display().lower()},
            code="not_in_review",
        )


def _require_planned(tranche: Tranche) -> None:
    if tranche.status != Tranche.Status.PLANNED:
        raise ValidationError(
            _("Tranche #%(n)d is %(status)s: only planned tranches can change.")
            % {"n": tranche.position, "status": tranche.get_status_display().lower()},
            code="tranche_not_planned",
        )


@transaction.atomic
def tranche_update(
    *, tranche: Tranche, actor, amount, milestone: str, due_on: date | None = None
) -> Tranche:
    """Change a tranche that is still planned (not in review, not released)."""
    plan, tranche = _lock_tranche(tranche)
    require(actor, "ideas.manage_realization", plan.idea, str(_MANAGE))
    _require_active(plan)
    _require_planned(tranche)
    row, problems = _clean_tranche(amount, milestone, due_on)
    if problems:
        raise ValidationError(problems)
    for field, value in row.items():
        setattr(tranche, field, value)
    tranche.save(update_fields=[*row, "updated_at"])
    return tranche


@transaction.atomic
def tranche_cancel(*, tranche: Tranche, actor) -> Tranche:
    """Cancel a planned tranche. If every other one is released, the plan
    completes and the idea is realized."""
    plan, tranche = _lock_tranche(tranche)
    require(actor, "ideas.manage_realization", plan.idea, str(_MANAGE))
    _require_active(plan)
    _require_planned(tranche)
    tranche.status = Tranche.Status.CANCELLED
    tranche.save(update_fields=["status", "updated_at"])
    _complete_if_done(plan, actor)
    return tranche


# --- Milestone reviews ------------------------------------------------------------


@transaction.atomic
def tranche_review_submit(*, tranche: Tranche, actor, review: str) -> Tranche:
    """The team reports the milestone reached and asks HR to release the tranche.

    Tranches go in order: the earlier ones must be released (or cancelled).
    HR admins are told in the app.
    """
    plan, tranche = _lock_tranche(tranche)
    require(
        actor,
        "ideas.submit_milestone_review",
        plan.idea,
        _(
            "Only the team can submit milestone reviews, and only while the "
            "project is in realization."
        ),
    )
    _require_active(plan)
    if tranche.status == Tranche.Status.IN_REVIEW:
        raise ValidationError(
            _("The review of tranche #%(n)d already waits for HR.")
            % {"n": tranche.position},
            code="already_in_review",
        )
    _require_planned(tranche)
    earlier = (
        plan.tranches.filter(position__lt=tranche.position)
        .exclude(status__in=[Tranche.Status.RELEASED, Tranche.Status.CANCELLED])
        .order_by("position")
        .first()
    )
    if earlier is not None:
        raise ValidationError(
            _("Tranche #%(n)d must be released before this one is reviewed.")
            % {"n": earlier.position},
            code="out_of_order",
        )
    review = (review or "").strip()
    if not review:
        raise ValidationError({"review": _("Describe how the milestone was reached.")})
    tranche.status = Tranche.Status.IN_REVIEW
    tranche.review = review
    tranche.review_submitted_at = timezone.now()
    tranche.review_submitted_by = actor
    tranche.save(
        update_fields=[
            "status",
            "review",
            "review_submitted_at",
            "review_submitted_by",
            "updated_at",
        ]
    )
    notification_send(
        recipients=User.objects.filter(is_hr_admin=True, is_active=True),
        subject=format_lazy(
            gettext_lazy("“{idea}” asks for tranche #{n}: milestone review submitted"),
            idea=_short(plan.idea.title),
            n=tranche.position,
        ),
        body=review,
        url=_page(plan.idea),
        email=False,
    )
    return tranche


@transaction.atomic
def tranche_approve(*, tranche: Tranche, actor, note: str = "") -> Tranche:
    """HR approves the milestone review: the tranche is released.

    When it was the last live tranche the plan completes and the idea moves
    to realized, in this transaction. The team is notified.
    """
    plan, tranche = _lock_tranche(tranche)
    # State first: whoever lost a race to decide it hears why.
    _require_in_review(tranche)
    require(actor, "ideas.release_tranche", plan.idea, str(_RELEASE))
    _require_active(plan)
    tranche.status = Tranche.Status.RELEASED
    tranche.released_at = timezone.now()
    tranche.released_by = actor
    tranche.decision_note = (note or "").strip()
    tranche.save(
        update_fields=[
            "status",
            "released_at",
            "released_by",
            "decision_note",
            "updated_at",
        ]
    )
    completed = _complete_if_done(plan, actor)
    subject = (
        gettext_lazy(
            "Tranche #{n} of “{idea}” is released ({amount} {currency}). "
            "The plan is complete: the project is realized!"
        )
        if completed
        else gettext_lazy("Tranche #{n} of “{idea}” is released ({amount} {currency})")
    )
    notification_send(
        recipients=_team(plan.idea),
        subject=format_lazy(
            subject,
            n=tranche.position,
            idea=_short(plan.idea.title),
            amount=tranche.amount,
            currency=plan.currency,
        ),
        body=tranche.decision_note,
        url=_page(plan.idea),
    )
    return tranche


@transaction.atomic
def tranche_send_back(*, tranche: Tranche, actor, note: str) -> Tranche:
    """HR sends the review back with a note; the tranche is planned again and
    the review stays on record until the team submits a new one."""
    plan, tranche = _lock_tranche(tranche)
    # State first: whoever lost a race to decide it hears why.
    _require_in_review(tranche)
    require(actor, "ideas.release_tranche", plan.idea, str(_RELEASE))
    _require_active(plan)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Tell the team what is missing.")})
    tranche.status = Tranche.Status.PLANNED
    tranche.decision_note = note
    tranche.save(update_fields=["status", "decision_note", "updated_at"])
    notification_send(
        recipients=_team(plan.idea),
        subject=format_lazy(
            gettext_lazy("The review of tranche #{n} of “{idea}” was sent back"),
            n=tranche.position,
            idea=_short(plan.idea.title),
        ),
        body=note,
        url=_page(plan.idea),
    )
    return tranche


# --- Closing ----------------------------------------------------------------------


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
