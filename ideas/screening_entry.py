"""Where an idea stands toward online screening: joined, or waiting for when.

The idea page (a story chapter, ``screening_entry``) and the API payload
(``IdeaDetailOutputSerializer.screening``) read the same answer, so both say
the same: an idea in screening names its round and when it joined; a
registered idea says when it will be judged ("waits for the screening that
opens on …", or on the farm in a round's last days, the next round).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from contests.models import Racecourse, WindowStage
from contests.selectors import screening_next_opening, window_get

from .models import Idea, Stage, StageTransition

JOINED = "joined"
WAITING = "waiting"


@dataclass(frozen=True)
class ScreeningEntry:
    """``state`` is ``joined`` (in the round ``window``) or ``waiting``.

    ``window`` is the round the idea is judged in or waits for (None when the
    farm's next round is not opened yet); ``round`` its number; ``opens_at``
    and ``closes_at`` its times (``closes_at`` None for a round not opened
    yet); ``joined_at`` when the idea entered it; ``waits_until`` when a
    waiting idea will enter screening (None: no screening is ahead).
    """

    state: str
    window: int | None
    round: int | None
    opens_at: datetime | None
    closes_at: datetime | None
    joined_at: datetime | None
    waits_until: datetime | None
    farm: bool

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def idea_screening_entry(
    *, idea: Idea, when: datetime | None = None
) -> ScreeningEntry | None:
    """The idea's place toward screening; None unless registered or in screening."""
    if idea.stage not in (Stage.REGISTERED, Stage.SCREENING):
        return None
    when = when or timezone.now()
    racecourse: Racecourse = idea.racecourse
    window = window_get(racecourse=racecourse, stage=WindowStage.SCREENING, when=when)
    if idea.stage == Stage.SCREENING:
        joined = (
            StageTransition.objects.filter(idea=idea, to_stage=Stage.SCREENING)
            .order_by("-created_at", "-pk")
            .values_list("created_at", flat=True)
            .first()
        )
        return ScreeningEntry(
            state=JOINED,
            window=window.pk if window else None,
            round=window.round if window else None,
            opens_at=window.opens_at if window else None,
            closes_at=window.closes_at if window else None,
            joined_at=joined,
            waits_until=None,
            farm=racecourse.is_farm,
        )
    waits_until = screening_next_opening(racecourse=racecourse, when=when)
    if window is not None and racecourse.is_farm and window.opens_at <= when:
        # The farm's next round opens when the current one closes.
        return ScreeningEntry(
            state=WAITING,
            window=None,
            round=window.round + 1,
            opens_at=waits_until,
            closes_at=None,
            joined_at=None,
            waits_until=waits_until,
            farm=True,
        )
    if window is None or window.closes_at <= when:
        window = None  # no screening ahead on this racecourse
    return ScreeningEntry(
        state=WAITING,
        window=window.pk if window else None,
        round=window.round if window else None,
        opens_at=window.opens_at if window else None,
        closes_at=window.closes_at if window else None,
        joined_at=None,
        waits_until=waits_until,
        farm=racecourse.is_farm,
    )


def screening_entry_story(*, idea: Idea, user) -> ScreeningEntry | None:
    """The idea page's chapter (``ideas.stories``): the same for every reader."""
    return idea_screening_entry(idea=idea)
