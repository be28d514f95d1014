"""What the closers share: applied stages, due windows, result shape, locks, checks."""

import logging
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from horserace.common.permissions import can
from ideas.models import Idea

from ...models import Racecourse, StageWindow, WindowStage

# One logger for the package, under the name it had as a module (the demo
# quiets it by that name).
log = logging.getLogger("contests.services.closing")

#: The stages whose windows are applied at their close.
APPLIED_STAGES = (
    WindowStage.REGISTRATION,
    WindowStage.SCREENING,
    WindowStage.GESTATION,
)

APPLIED = "applied"
ALREADY_APPLIED = "already_applied"
PROPOSED = "proposed"


def windows_due(*, when: datetime | None = None) -> QuerySet[StageWindow]:
    """Registration, screening and gestation windows closed by ``when`` and not
    yet applied.

    A "decided by a person" window that already has its proposal waits for
    that person, so it is not picked up again.
    """
    when = when or timezone.now()
    return (
        StageWindow.objects.closed_unapplied(when)
        .filter(stage__in=APPLIED_STAGES)
        .exclude(rule=StageWindow.Rule.MANUAL, proposal__isnull=False)
        .select_related("racecourse")
        .order_by("closes_at", "pk")
    )


def promotes(racecourse: Racecourse) -> bool:
    """Does the promotion quota replace the screening rule on ``racecourse``?"""
    return racecourse.parent_id is not None and racecourse.promotion_quota > 0


def _result(window: StageWindow, status: str, **lists) -> dict[str, Any]:
    """What a close did, by idea id: one shape for tasks, the API and tests."""
    return {
        "window": window.pk,
        "status": status,
        "opened": [],
        "passed": [],
        "eliminated": [],
        "promoted": [],
        "held": [],
        "extended": [],
        "proposed": None,
        **lists,
    }


def _lock_window(window: StageWindow) -> StageWindow:
    # NO KEY UPDATE: serialises closers without blocking the foreign-key
    # checks of ballots and tallies being written for this window.
    return (
        StageWindow.objects.select_for_update(no_key=True, of=("self",))
        .select_related("racecourse")
        .get(pk=window.pk)
    )


def _lock_ideas(racecourse: Racecourse, stage: str) -> list[Idea]:
    return list(
        Idea.objects.select_for_update()
        .filter(racecourse=racecourse, stage=stage)
        .order_by("pk")
    )


def _check_can_manage(actor, window: StageWindow) -> None:
    if actor is not None and not can(
        actor, "contests.manage_racecourse", window.racecourse
    ):
        raise PermissionDenied(
            _("Only HR or this racecourse's admins may close its windows.")
        )


def _check_closed(window: StageWindow, when: datetime) -> None:
    if window.stage not in APPLIED_STAGES:
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


def _tally(window: StageWindow, when: datetime) -> None:
    # Imported here: voting's services read the race's models and selectors.
    from voting.services import tally_round

    tally_round(window=window, when=when)


def _mark_applied(window: StageWindow, when: datetime) -> None:
    window.applied_at = when
    window.save(update_fields=["applied_at", "updated_at"])
