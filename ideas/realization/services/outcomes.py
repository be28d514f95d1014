"""Outcomes: what became of a project, recorded or taken back."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from horserace.accounts.models import User
from horserace.notifications.services import event_send
from ideas.models import Idea, Outcome
from ideas.realization.events import OutcomeRecorded
from ideas.realization.services.helpers import MANAGE, page, short
from ideas.services.common import lock_idea, require


@transaction.atomic
def outcome_record(
    *,
    idea: Idea,
    actor: User,
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
    idea = lock_idea(idea)
    require(actor, "ideas.manage_realization", idea, str(MANAGE))
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
    event_send(
        OutcomeRecorded,
        about=outcome,
        url=page(idea),
        outcome=outcome.pk,
        idea=short(idea.title),
        kind=outcome.kind,
        notes=outcome.notes,
    )
    return outcome


@transaction.atomic
def outcome_remove(*, outcome: Outcome, actor: User) -> None:
    """Take back an outcome recorded by mistake (not one with allocations)."""
    idea = lock_idea(outcome.idea)
    require(actor, "ideas.manage_realization", idea, str(MANAGE))
    if outcome.allocations.exists():
        raise ValidationError(
            _("This outcome has time allocations; it stays on record."),
            code="has_allocations",
        )
    outcome.delete()
