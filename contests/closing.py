"""Closing stage windows: the registry, and the one door that applies a window.

``contests`` is the calendar: it knows when a window closes, not what its
close does to the ideas on the racecourse. Each stage's closer lives with the
stage it concerns and registers itself here when its app is ready, the way
adhocracy4's phase types declare what a phase allows:

=============  ======================================================
registration   ``ideas.registration.closers``: open online screening
screening      ``voting.screening.closers``: tally, then the window's
               screening mode decides (and department racecourses promote)
gestation      ``ideas.gestation.closers``: projects with no final proposal;
               its sweep eliminates projects whose extension ran out
=============  ======================================================

A window of a stage with no registered closer is never applied (evaluation
windows, today). ``close_due_windows`` (``contests.tasks``) asks
``windows_due`` for the windows to apply, applies each with ``window_apply``
and then runs every closer's ``sweep``.

Idempotent and safe to run twice at once: ``window_apply`` locks the window
row for its whole transaction and returns at once when ``applied_at`` is set;
closers change stages only through ``ideas.funnel``, which does nothing for an
idea already in the target stage.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from horserace.common.permissions import can

from .models import Racecourse, StageWindow

if TYPE_CHECKING:
    from horserace.accounts.models import User

# One logger for closing, whichever app's closer writes (the demo quiets it).
log = logging.getLogger("contests.closing")

APPLIED = "applied"
ALREADY_APPLIED = "already_applied"
PROPOSED = "proposed"


@dataclass
class CloseOutcome:
    """What a close did, by idea id: one shape for tasks, the API and tests."""

    window: int
    status: str
    opened: list[int] = field(default_factory=list)
    passed: list[int] = field(default_factory=list)
    eliminated: list[int] = field(default_factory=list)
    promoted: list[int] = field(default_factory=list)
    held: list[int] = field(default_factory=list)
    extended: list[int] = field(default_factory=list)
    proposed: list[int] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "window": self.window,
            "status": self.status,
            "opened": self.opened,
            "passed": self.passed,
            "eliminated": self.eliminated,
            "promoted": self.promoted,
            "held": self.held,
            "extended": self.extended,
            "proposed": self.proposed,
        }


class Closer(ABC):
    """What happens to a racecourse's ideas when one stage's window closes.

    Subclasses set ``stage`` and implement ``close``; ``register`` makes them
    the closer of that stage.
    """

    stage: ClassVar[str]

    @abstractmethod
    def close(
        self, window: StageWindow, *, when: datetime, actor: User | None
    ) -> CloseOutcome:
        """Apply ``window`` (locked, closed, not applied) and say what it did.

        Return status ``APPLIED`` to have the window marked applied, or
        ``PROPOSED`` to leave it waiting for a person.
        """

    def waiting(self, windows: QuerySet[StageWindow]) -> QuerySet[StageWindow]:
        """Narrow the closed, unapplied windows of this stage to those due now."""
        return windows

    def sweep(self, *, when: datetime) -> None:  # noqa: B027 (optional hook)
        """Periodic work after the windows have been applied (default: none)."""


_closers: dict[str, Closer] = {}


def register(closer: Closer) -> Closer:
    """Make ``closer`` the one closer of its stage (called from ``AppConfig.ready``)."""
    existing = _closers.get(closer.stage)
    if existing is not None and type(existing) is not type(closer):
        raise RuntimeError(f"stage {closer.stage!r} already has a closer: {existing}")
    _closers[closer.stage] = closer
    return closer


def closer_for(stage: str) -> Closer | None:
    return _closers.get(stage)


def closed_stages() -> tuple[str, ...]:
    """The stages whose windows are applied at their close."""
    return tuple(sorted(_closers))


def promotes(racecourse: Racecourse) -> bool:
    """Does the promotion quota replace the screening rule on ``racecourse``?"""
    return racecourse.parent_id is not None and racecourse.promotion_quota > 0


def windows_due(*, when: datetime | None = None) -> QuerySet[StageWindow]:
    """Windows closed by ``when``, not yet applied, whose closer says are due."""
    when = when or timezone.now()
    closed = StageWindow.objects.closed_unapplied(when)
    due = StageWindow.objects.none()
    for stage, closer in sorted(_closers.items()):
        due = due | closer.waiting(closed.filter(stage=stage))
    return due.select_related("racecourse").order_by("closes_at", "pk")


def window_lock(window: StageWindow) -> StageWindow:
    """Lock ``window``'s row for this transaction and return it fresh."""
    # NO KEY UPDATE: serialises closers without blocking the foreign-key
    # checks of ballots and tallies being written for this window.
    return (
        StageWindow.objects.select_for_update(no_key=True, of=("self",))
        .select_related("racecourse")
        .get(pk=window.pk)
    )


def check_can_manage(actor: User | None, window: StageWindow) -> None:
    """``None`` is the periodic task; a person must be HR or the racecourse's admin."""
    if actor is not None and not can(
        actor, "contests.manage_racecourse", window.racecourse
    ):
        raise PermissionDenied(
            _("Only HR or this racecourse's admins may close its windows.")
        )


def check_closed(window: StageWindow, when: datetime) -> None:
    if window.stage not in _closers:
        raise ValidationError(
            _(
                "Closing rules are applied to registration, screening and "
                "gestation windows only."
            ),
            code="stage_not_applied",
        )
    if when < window.closes_at:
        raise ValidationError(
            _("This window is still open; it can be applied after it closes."),
            code="window_open",
        )


def mark_applied(window: StageWindow, when: datetime) -> None:
    window.applied_at = when
    window.save(update_fields=["applied_at", "updated_at"])


@transaction.atomic
def window_apply(
    *, window: StageWindow, when: datetime | None = None, actor: User | None = None
) -> dict[str, Any]:
    """Apply ``window``'s closing rule through its stage's closer.

    ``actor`` is ``None`` for the periodic task; a person must be HR or an
    admin of the racecourse. Refuses a window that is still open at ``when``
    or whose stage has no closer. Returns at once, changing nothing, when the
    window has been applied. A closer may leave the window waiting for a
    person (``PROPOSED``).
    """
    when = when or timezone.now()
    check_can_manage(actor, window)
    locked = window_lock(window)
    if locked.applied_at is not None:
        return CloseOutcome(window=locked.pk, status=ALREADY_APPLIED).as_dict()
    check_closed(locked, when)
    outcome = _closers[locked.stage].close(locked, when=when, actor=actor)
    if outcome.status == APPLIED:
        mark_applied(locked, when)
    window.applied_at = locked.applied_at
    result = outcome.as_dict()
    log.info(
        "window %s (%s): %s", locked.pk, locked, {k: v for k, v in result.items() if v}
    )
    return result


def sweeps_run(*, when: datetime | None = None) -> None:
    """Every closer's periodic sweep; one failing is logged, not fatal."""
    when = when or timezone.now()
    for stage, closer in sorted(_closers.items()):
        try:
            closer.sweep(when=when)
        except Exception:
            log.exception("the %s closer's sweep failed", stage)
