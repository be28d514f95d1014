"""The Innovation Farm's recurring screening rounds.

The farm is open all year: ideas may be planted (registered) there at any
time, and they are judged in monthly screening rounds (``round_days`` per
farm). Each round is a screening ``StageWindow`` with a ``round`` number; the
next round copies its closing rule, mode and settings from the round before
(the template: HR edits the current round to change the ones that follow).

A round opens when the one before has closed *and been applied*, so the
ideas still in screening on the farm are always the open round's: a round
decided by a person (``manual``) waits for that person before the next one
opens. ``farm_rounds_open`` runs every minute after the closing task has
applied the due windows (``contests.tasks.close_due_windows``); it is
idempotent (the farm's row is locked, and ``(racecourse, stage, round)`` is
unique), so running it twice at once opens one round.

What joins a round is the ideas floor's business: ideas registered while a
round takes entries join it at once (rolling entry), and ideas planted in a
round's last days wait and join the next one when it opens (the registration
closer's sweep, ``ideas.registration.closers``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Racecourse, StageWindow, WindowStage

#: The fields a new round copies from the round before.
TEMPLATE_FIELDS = (
    "rule",
    "mode",
    "top_k",
    "threshold_rate",
    "threshold_min_voters",
    "support_budget",
    "hide_counts",
)


def farm_round_last(*, racecourse: Racecourse) -> StageWindow | None:
    return (
        StageWindow.objects.filter(racecourse=racecourse, stage=WindowStage.SCREENING)
        .order_by("-round", "-opens_at")
        .first()
    )


@transaction.atomic
def farm_round_open(
    *, racecourse: Racecourse, when: datetime | None = None
) -> StageWindow | None:
    """Open the farm's next screening round if its last one is over; return it.

    Does nothing (returns None) when ``racecourse`` is not a farm, has no
    round yet (HR sets the first one, the template), or its last round is
    still open, still to open or not yet applied. The new round opens when
    the last one closed (or now, if that is long past) and lasts
    ``round_days``.
    """
    if not racecourse.is_farm:
        return None
    when = when or timezone.now()
    # The farm's row serialises two openers; the unique round number backs it.
    Racecourse.objects.select_for_update().filter(pk=racecourse.pk).first()
    last = farm_round_last(racecourse=racecourse)
    if last is None or last.applied_at is None or when < last.closes_at:
        return None
    opens_at = max(last.closes_at, when - timedelta(minutes=5))
    window = StageWindow(
        racecourse=racecourse,
        stage=WindowStage.SCREENING,
        round=last.round + 1,
        opens_at=opens_at,
        closes_at=opens_at + timedelta(days=racecourse.round_days),
        **{name: getattr(last, name) for name in TEMPLATE_FIELDS},
    )
    try:
        with transaction.atomic():
            window.save()
    except IntegrityError:  # another opener won (no lock on SQLite)
        return None
    return window


def farm_rounds_open(*, when: datetime | None = None) -> list[int]:
    """Open the next round of every farm whose last round is over (ids opened).

    Every farm, whatever the status of the season it was made in: the farm
    lives on across seasons.
    """
    opened = []
    for farm in Racecourse.objects.filter(kind=Racecourse.Kind.FARM).order_by("pk"):
        window = farm_round_open(racecourse=farm, when=when)
        if window is not None:
            opened.append(window.pk)
    return opened
