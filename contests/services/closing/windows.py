"""The entry points: apply a closed window's rule; confirm a person's decision."""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from horserace.common.permissions import can
from ideas.models import Stage
from voting.models import ClosingProposal

from ...models import StageWindow, WindowStage
from ..standings import standings_at_close, suggested_passing
from .common import (
    ALREADY_APPLIED,
    APPLIED,
    PROPOSED,
    _check_can_manage,
    _check_closed,
    _lock_ideas,
    _lock_window,
    _mark_applied,
    _result,
    _tally,
    log,
    promotes,
)
from .gestation import _close_gestation
from .screening import _decide, _open_screening, _promote, _propose


@transaction.atomic
def window_apply(
    *, window: StageWindow, when: datetime | None = None, actor=None
) -> dict[str, Any]:
    """Apply ``window``'s closing rule; return what it did (see ``_result``).

    ``actor`` is ``None`` for the periodic task; a person must be HR or an
    admin of the racecourse. Refuses a window that is still open at ``when``
    or is not a registration, screening or gestation window. Returns at once, changing
    nothing, when the window has been applied. For a "decided by a person"
    window it writes the proposal and leaves the window unapplied.
    """
    when = when or timezone.now()
    _check_can_manage(actor, window)
    locked = _lock_window(window)
    if locked.applied_at is not None:
        return _result(locked, ALREADY_APPLIED)
    _check_closed(locked, when)

    if locked.stage == WindowStage.REGISTRATION:
        opened = _open_screening(locked, actor)
        _mark_applied(locked, when)
        outcome = _result(locked, APPLIED, opened=opened)
    elif locked.stage == WindowStage.GESTATION:
        outcome = _result(locked, APPLIED, **_close_gestation(locked, when, actor))
        _mark_applied(locked, when)
    elif locked.rule == StageWindow.Rule.MANUAL and not promotes(locked.racecourse):
        proposal = _propose(locked, when)
        outcome = _result(locked, PROPOSED, proposed=list(proposal.passing))
    else:
        _tally(locked, when)
        ideas = _lock_ideas(locked.racecourse, Stage.SCREENING)
        standings = standings_at_close(locked, ideas)
        if promotes(locked.racecourse):
            outcome = _result(
                locked, APPLIED, **_promote(locked, standings, when, actor)
            )
        else:
            passed, eliminated = _decide(
                locked, standings, suggested_passing(locked, standings), actor
            )
            outcome = _result(locked, APPLIED, passed=passed, eliminated=eliminated)
        _mark_applied(locked, when)
    window.applied_at = locked.applied_at
    log.info(
        "window %s (%s): %s", locked.pk, locked, {k: v for k, v in outcome.items() if v}
    )
    return outcome


@transaction.atomic
def window_confirm(
    *, window: StageWindow, actor, passing: list[int], when: datetime | None = None
) -> dict[str, Any]:
    """A person decides a "decided by a person" screening window.

    ``passing`` lists the ideas that go on to gestation; every other idea in
    screening on the racecourse is eliminated. Only HR or the racecourse's
    admins, only after the window has closed, only once; every id must be an
    idea in screening on that racecourse. Records the list and who confirmed
    it on the window's proposal and marks the window applied.
    """
    when = when or timezone.now()
    if not can(actor, "contests.manage_racecourse", window.racecourse):
        raise PermissionDenied(
            _("Only HR or this racecourse's admins may decide its screening.")
        )
    locked = _lock_window(window)
    if locked.applied_at is not None:
        raise ValidationError(
            _("This window's result has already been applied."),
            code="already_applied",
        )
    if (
        locked.stage != WindowStage.SCREENING
        or locked.rule != StageWindow.Rule.MANUAL
        or promotes(locked.racecourse)
    ):
        raise ValidationError(
            _("Only a screening window decided by a person can be confirmed."),
            code="not_manual",
        )
    _check_closed(locked, when)

    proposal = ClosingProposal.objects.filter(window=locked).first()
    if proposal is None:
        proposal = _propose(locked, when)  # also makes the tallies final
    ideas = _lock_ideas(locked.racecourse, Stage.SCREENING)
    chosen = set(passing)
    unknown = sorted(chosen - {idea.pk for idea in ideas})
    if unknown:
        raise ValidationError(
            {
                "passing": _("Not ideas in screening on this racecourse: %(ids)s.")
                % {"ids": ", ".join(map(str, unknown))}
            },
            code="unknown_idea",
        )
    standings = standings_at_close(locked, ideas)
    passed, eliminated = _decide(locked, standings, chosen, actor)
    proposal.passing = passed
    proposal.confirmed_by = actor
    proposal.confirmed_at = when
    proposal.save(
        update_fields=["passing", "confirmed_by", "confirmed_at", "updated_at"]
    )
    _mark_applied(locked, when)
    window.applied_at = locked.applied_at
    log.info("window %s confirmed by %s: %s passed", locked.pk, actor.pk, len(passed))
    return _result(locked, APPLIED, passed=passed, eliminated=eliminated)
