"""Time allocations: a member's share of time, proposed and decided."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from horserace.accounts.models import User
from horserace.notifications.services import event_send
from ideas.models import Idea, Outcome, TimeAllocation
from ideas.realization import events
from ideas.realization.services.helpers import page, short
from ideas.services.common import lock_idea, require


@transaction.atomic
def time_allocation_propose(
    *, idea: Idea, actor: User, member, share: int
) -> TimeAllocation:
    """Propose that a team member spend ``share`` % of their time on the project.

    HR, the racecourse's admin or the captain proposes; the member's manager
    (``User.manager``) decides. A declined proposal may be proposed again.
    The manager and the member are notified.
    """
    idea = lock_idea(idea)
    require(
        actor,
        "ideas.propose_allocation",
        idea,
        _(
            "Only the captain, HR or this racecourse's admins can propose time "
            "allocations, and only while the project is in realization."
        ),
    )
    # Naming a member tells who is on the team (and "not on the team" tells
    # who is not): an anonymous team is unmasked first (ideas.visibility).
    require(
        actor,
        "ideas.see_team",
        idea,
        _(
            "The team is anonymous: unmask it on the idea's page, saying why, "
            "to choose a member."
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

    event_send(
        events.AllocationProposed,
        about=allocation,
        url=reverse("realization:approvals"),
        member=short(member, 40),
        percent=f"{share}%",
        idea=short(idea.title),
    )
    event_send(
        events.AllocationProposedToMember,
        about=allocation,
        url=page(idea),
        percent=f"{share}%",
        idea=short(idea.title),
        manager=short(allocation.manager, 40),
    )
    return allocation


def _decide_allocation(allocation, actor: User, *, approve: bool, note: str):
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
    event_send(
        events.AllocationApproved if approve else events.AllocationDeclined,
        about=allocation,
        url=page(idea),
        manager=short(actor, 40),
        percent=f"{allocation.share}%",
        member=short(allocation.member, 40),
        idea=short(idea.title),
        note=note,
    )
    return allocation


@transaction.atomic
def time_allocation_approve(
    *, allocation: TimeAllocation, actor: User, note: str = ""
) -> TimeAllocation:
    """The member's manager approves the share; who and when are recorded."""
    return _decide_allocation(allocation, actor, approve=True, note=note)


@transaction.atomic
def time_allocation_decline(
    *, allocation: TimeAllocation, actor: User, note: str
) -> TimeAllocation:
    """The member's manager declines, saying why."""
    return _decide_allocation(allocation, actor, approve=False, note=note)
