"""Declared conflicts: written and withdrawn by the evaluator, the team, or
HR and the racecourse admin, while the project is in gestation or offline
evaluation.

Writes lock the racecourse's row, as the assignment services do, so a
conflict declared while the assignment runs cannot end up assigned.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from contests.models import Racecourse
from horserace.accounts.models import User
from horserace.common.permissions import can
from horserace.notifications.services import event_send
from ideas.models import Idea

from ...models import Assignment, Conflict, Scorecard
from ..events import ConflictRecorded, EvaluatorLost
from .automatic import CONFLICT_STAGES, DECLARED_KINDS


def _lock_racecourse(racecourse_id: int) -> Racecourse:
    return Racecourse.objects.select_for_update().get(pk=racecourse_id)


def _check_stage(idea: Idea) -> None:
    if idea.stage not in CONFLICT_STAGES:
        raise ValidationError(
            _(
                "Conflicts of interest are declared while the project is in "
                "gestation or offline evaluation."
            ),
            code="stage",
        )


def _source(*, actor: User, idea: Idea, evaluator) -> str:
    """Who is declaring: the evaluator, HR or the racecourse admin, or the team."""
    if actor.pk == evaluator.pk:
        if not can(actor, "voting.declare_own_conflict", idea):
            raise PermissionDenied(
                _("Only evaluators of this racecourse's pool can declare a conflict.")
            )
        return Conflict.Source.EVALUATOR
    if can(actor, "voting.record_conflict", idea):
        return Conflict.Source.ADMIN
    if can(actor, "voting.declare_team_conflict", idea):
        return Conflict.Source.TEAM
    raise PermissionDenied(_("You may not declare a conflict for this project."))


@transaction.atomic
def conflict_declare(
    *, actor: User, idea: Idea, evaluator, kind: str, note: str = ""
) -> Conflict:
    """Record a declared conflict and drop any assignment it contradicts.

    The evaluator declares their own; the captain declares one against an
    evaluator of the racecourse's pool; HR and the racecourse admin may record
    any. An assignment with no submitted scorecard is removed, so the
    conflicted evaluator no longer sees the project. A submitted scorecard is
    kept as the record of what happened, but the panel sets it aside: a
    conflicted evaluator's card is never counted or shown
    (``voting.evaluation.panel``). The evaluator and the racecourse's admins
    are told.
    """
    _lock_racecourse(idea.racecourse_id)
    idea = Idea.objects.select_related("racecourse").get(pk=idea.pk)
    _check_stage(idea)
    source = _source(actor=actor, idea=idea, evaluator=evaluator)
    if kind not in dict(DECLARED_KINDS):
        raise ValidationError({"kind": _("Choose the kind of conflict.")})
    note = (note or "").strip()
    if len(note) > 2000:
        raise ValidationError({"note": _("Keep the note under 2,000 characters.")})
    if not idea.racecourse.evaluators.filter(pk=evaluator.pk).exists():
        raise ValidationError(
            {"evaluator": _("Only evaluators of this racecourse can be named.")}
        )
    try:
        with transaction.atomic():
            conflict = Conflict.objects.create(
                idea=idea,
                evaluator=evaluator,
                kind=kind,
                source=source,
                note=note,
                declared_by=actor,
            )
    except IntegrityError:
        raise ValidationError(
            _("A conflict between this evaluator and project is already recorded."),
            code="duplicate",
        ) from None
    dropped, _detail = (
        Assignment.objects.filter(idea=idea, evaluator=evaluator)
        .exclude(scorecard__status=Scorecard.Status.SUBMITTED)
        .delete()
    )
    if source != Conflict.Source.EVALUATOR:
        event_send(
            ConflictRecorded,
            about=conflict,
            url=_mine_url(),
            conflict=conflict.pk,
            idea=idea.title,
        )
    if dropped:
        event_send(
            EvaluatorLost,
            about=conflict,
            url=_assignments_url(idea.racecourse_id),
            conflict=conflict.pk,
            idea=idea.title,
        )
    return conflict


@transaction.atomic
def conflict_withdraw(*, actor: User, conflict: Conflict) -> None:
    """Take a declared conflict back.

    The evaluator withdraws their own, the captain the team's, and HR or the
    racecourse admin any, while the project is in gestation or evaluation.
    """
    conflict = Conflict.objects.select_related("idea__racecourse").get(pk=conflict.pk)
    _lock_racecourse(conflict.idea.racecourse_id)
    _check_stage(conflict.idea)
    if not can(actor, "voting.withdraw_conflict", conflict):
        raise PermissionDenied(_("You may not withdraw this conflict."))
    conflict.delete()


def _mine_url() -> str:
    return reverse("evaluation:mine")


def _assignments_url(racecourse_id: int) -> str:
    return reverse("evaluation:assignments", args=[racecourse_id])
