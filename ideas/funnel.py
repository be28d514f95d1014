"""The funnel: the one door through which an idea changes stage.

The allowed moves are data (``TRANSITIONS``). ``idea_transition`` is the only
code that assigns ``Idea.stage``; the named wrappers below are what other
modules call. Every change writes a ``StageTransition`` row and, once the
transaction commits, notifies the team.

    draft ──register──▶ registered ──open screening──▶ screening ──pass──▶ gestation
                                                           │ fail             │ submit proposal
                                                           ▼                  ▼
                                                       eliminated ◀─reject─ evaluation ─select─▶ realization ─▶ realized
    any non-final stage ──withdraw──▶ withdrawn;  any stage ──merge──▶ merged

    The Innovation Farm (``ideas.services.farm``):
    gestation ──carry──▶ registered     (passed on the farm, into a season's racecourse)
    eliminated ──replant──▶ registered  (out of a season, back to the farm)
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from horserace.accounts.models import User
from horserace.common.notes import note_data

from . import lifecycles
from .models import Idea, Stage, StageTransition

Guard = Callable[[Idea], str | None]


@dataclass(frozen=True)
class Move:
    """One allowed stage change. ``guard`` returns why it may not happen now."""

    name: str
    source: str
    target: str
    guard: Guard | None = None


def _registration_window_open(idea: Idea) -> str | None:
    from contests.selectors import registration_is_open

    if not registration_is_open(racecourse=idea.racecourse):
        return _("Registration is not open on %(racecourse)s right now.") % {
            "racecourse": idea.racecourse
        }
    return None


# Stages an idea can still leave by withdrawing ("before the final stage").
WITHDRAWABLE = (
    Stage.DRAFT,
    Stage.REGISTERED,
    Stage.SCREENING,
    Stage.GESTATION,
    Stage.EVALUATION,
    Stage.REALIZATION,
)
FINAL = (Stage.REALIZED, Stage.ELIMINATED, Stage.WITHDRAWN, Stage.MERGED)

_MOVES = [
    Move("register", Stage.DRAFT, Stage.REGISTERED, _registration_window_open),
    Move("open_screening", Stage.REGISTERED, Stage.SCREENING),
    Move("pass_screening", Stage.SCREENING, Stage.GESTATION),
    Move("fail_screening", Stage.SCREENING, Stage.ELIMINATED),
    Move("submit_proposal", Stage.GESTATION, Stage.EVALUATION),
    Move("no_proposal", Stage.GESTATION, Stage.ELIMINATED),
    Move("select", Stage.EVALUATION, Stage.REALIZATION),
    Move("reject", Stage.EVALUATION, Stage.ELIMINATED),
    Move("complete", Stage.REALIZATION, Stage.REALIZED),
    Move("close", Stage.REALIZATION, Stage.ELIMINATED),
    # The farm's two doors back into a race; ``ideas.services.farm`` moves the
    # idea to its new racecourse and checks who and where first.
    Move("carry", Stage.GESTATION, Stage.REGISTERED),
    Move("replant", Stage.ELIMINATED, Stage.REGISTERED),
    *(Move("withdraw", s, Stage.WITHDRAWN) for s in WITHDRAWABLE),
    *(Move("merge", s, Stage.MERGED) for s in Stage if s != Stage.MERGED),
]

#: (from stage, to stage) → the move that allows it.
TRANSITIONS: dict[tuple[str, str], Move] = {(m.source, m.target): m for m in _MOVES}


def _release_trainers(idea: Idea, reason: str, actor: User | None) -> None:
    """Leaving gestation ends the team's coaching and frees its trainer's seat.

    Sessions are logged only in gestation, so an assignment left active would
    hold one of the trainer's seats (``Trainer.capacity``) for nothing; an
    unanswered request for a trainer lapses the same way.
    """
    from django.utils import timezone

    from .models import TrainerAssignment

    Status = TrainerAssignment.Status
    now = timezone.now()
    open_ = (
        idea.trainer_assignments.select_for_update(of=("self",))
        .filter(status__in=[Status.ACTIVE, Status.REQUESTED])
        .order_by("pk")
    )
    for assignment in open_:
        assignment.ended_at = now
        lifecycles.move(
            assignment,
            "end" if assignment.status == Status.ACTIVE else "decline",
            actor=actor,
            reason=reason,
            update_fields=["ended_at"],
        )


def _close_plan(idea: Idea, reason: str, actor: User | None) -> None:
    """Leaving realization unrealized (closed, withdrawn, merged) ends its plan.

    The plan is CLOSED with the move's reason and every tranche not yet
    released is cancelled, so the ledger has nothing left to release. A plan
    that completed (the idea is realized) is no longer active: nothing to do.
    Callers hold the idea's lock; realization services lock the idea before
    the plan too, so the two never wait on each other in opposite order.
    """
    from .models import InvestmentPlan, Tranche

    plan = (
        InvestmentPlan.objects.select_for_update()
        .filter(idea=idea, status=InvestmentPlan.Status.ACTIVE)
        .first()
    )
    if plan is None:
        return
    plan.closed_reason = reason
    lifecycles.move(
        plan, "close", actor=actor, reason=reason, update_fields=["closed_reason"]
    )
    # Tranches change under their plan's lock, which is held.
    unreleased = plan.tranches.filter(
        status__in=[Tranche.Status.PLANNED, Tranche.Status.IN_REVIEW]
    ).order_by("position")
    for tranche in unreleased:
        lifecycles.move(tranche, "cancel", actor=actor, reason=reason)


#: What else changes when an idea leaves a stage, in the same transaction.
ON_LEAVE: dict[str, Callable[[Idea, str, User | None], None]] = {
    Stage.GESTATION: _release_trainers,
    Stage.REALIZATION: _close_plan,
}


class TransitionNotAllowed(ValidationError):
    """The table has no such move, or its guard refuses it now."""


def allowed_targets(stage: str) -> list[str]:
    return [target for (source, target) in TRANSITIONS if source == stage]


@transaction.atomic
def idea_transition(
    *, idea: Idea, to: str, actor: User | None = None, reason: str = ""
) -> tuple[Idea, bool]:
    """Move ``idea`` to stage ``to``; return the fresh idea and whether it moved.

    Locks the idea's row for the rest of the transaction. If the idea is
    already at ``to`` nothing happens, so a retried task or a double click is
    harmless. The caller's ``idea`` instance is updated in place too.
    """
    locked = (
        Idea.objects.select_for_update().select_related("racecourse").get(pk=idea.pk)
    )
    if locked.stage == to:
        idea.stage = locked.stage
        return locked, False
    move = TRANSITIONS.get((locked.stage, to))
    if move is None:
        raise TransitionNotAllowed(
            _("An idea in stage “%(source)s” cannot move to “%(target)s”.")
            % {
                "source": Stage(locked.stage).label,
                "target": Stage(to).label if to in Stage.values else to,
            },
            code="transition_not_allowed",
        )
    if move.guard is not None and (problem := move.guard(locked)):
        raise TransitionNotAllowed(problem, code="guard")

    source = locked.stage
    locked.stage = to
    # The history's reason column holds 100 characters; the whole reason is
    # kept on the StageTransition row.
    locked._change_reason = Truncator(reason or move.name).chars(100)
    locked.save(update_fields=["stage", "updated_at"])
    idea.stage = to
    record = StageTransition.objects.create(
        idea=locked,
        from_stage=source,
        to_stage=to,
        actor=actor,
        reason=reason,
        reason_note=note_data(reason),
    )
    if (on_leave := ON_LEAVE.get(source)) is not None:
        on_leave(locked, reason or move.name, actor)
    from .tasks import stage_change_notify

    stage_change_notify.delay_on_commit(record.pk)
    return locked, True


def _move(idea: Idea, to: str, actor: User | None, reason: str) -> Idea:
    return idea_transition(idea=idea, to=to, actor=actor, reason=reason)[0]


def idea_register(*, idea: Idea, actor: User, reason: str = "") -> Idea:
    return _move(idea, Stage.REGISTERED, actor, reason)


def idea_open_screening(
    *, idea: Idea, actor: User | None = None, reason: str = ""
) -> Idea:
    return _move(idea, Stage.SCREENING, actor, reason)


def idea_pass_screening(
    *, idea: Idea, actor: User | None = None, reason: str = ""
) -> Idea:
    return _move(idea, Stage.GESTATION, actor, reason)


def idea_eliminate(*, idea: Idea, actor: User | None = None, reason: str) -> Idea:
    """Out of the race, from screening, gestation, evaluation or realization."""
    return _move(idea, Stage.ELIMINATED, actor, reason)


def idea_submit_proposal(*, idea: Idea, actor: User, reason: str = "") -> Idea:
    return _move(idea, Stage.EVALUATION, actor, reason)


def idea_select(*, idea: Idea, actor: User, reason: str = "") -> Idea:
    return _move(idea, Stage.REALIZATION, actor, reason)


def idea_complete(*, idea: Idea, actor: User, reason: str = "") -> Idea:
    return _move(idea, Stage.REALIZED, actor, reason)


def idea_reenter(*, idea: Idea, actor: User, reason: str) -> Idea:
    """Back to registered on a new racecourse: carried from the farm into a
    season (from gestation), or replanted on the farm (from eliminated)."""
    return _move(idea, Stage.REGISTERED, actor, reason)


def idea_withdraw(*, idea: Idea, actor: User, reason: str = "") -> Idea:
    return _move(idea, Stage.WITHDRAWN, actor, reason)


@transaction.atomic
def idea_merge(*, idea: Idea, into: Idea, actor: User, reason: str = "") -> Idea:
    """Fold ``idea`` into ``into``; the merged idea points at its successor."""
    if into.pk == idea.pk:
        raise TransitionNotAllowed(_("An idea cannot be merged into itself."))
    # Lock both rows in id order (no deadlock between A→B and B→A) and judge
    # the target as stored, not by a possibly stale instance.
    rows = Idea.objects.select_for_update().filter(pk__in=[idea.pk, into.pk])
    current = {row.pk: row for row in rows.order_by("pk")}
    if current[into.pk].stage in FINAL:
        raise TransitionNotAllowed(_("Ideas can only be merged into a live idea."))
    if current[idea.pk].merged_into_id not in (None, into.pk):
        raise TransitionNotAllowed(_("This idea was already merged into another."))
    locked = _move(idea, Stage.MERGED, actor, reason)
    Idea.objects.filter(pk=locked.pk).update(merged_into=into)
    idea.merged_into = into
    return locked


def ideas_lock(*, racecourse_id: int, stage: str) -> list[Idea]:
    """Lock every idea of a racecourse in ``stage`` (in id order, so two closers
    never wait on each other) before moving them through the funnel."""
    return list(
        Idea.objects.select_for_update()
        .filter(racecourse_id=racecourse_id, stage=stage)
        .order_by("pk")
    )
