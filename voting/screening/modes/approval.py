"""The approval mode: each voter supports or opposes each idea (the seed's vote).

Ballots are upserted one per voter, idea and round (``voting.screening.services.ballots``),
tallied into Wilson-ranked snapshots (``voting.screening.services.tallies``), ranked by
those snapshots and closed by the window's rule (top K, threshold, voted down,
or proposed to a person).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from voting.screening.modes import ScreeningMode, register
from voting.screening.services.ballots import ballot_cast
from voting.screening.services.tallies import tally_round
from voting.screening.standings import Standing, standings_at_close, suggested_passing

if TYPE_CHECKING:
    from contests.models import StageWindow
    from horserace.accounts.models import User
    from ideas.models import Idea


class ApprovalMode(ScreeningMode):
    name = "approval"

    def cast(
        self, *, voter: User, idea: Idea, window: StageWindow, **judgment: Any
    ) -> object:
        return ballot_cast(voter=voter, idea=idea, **judgment)

    def tally(self, *, window: StageWindow, when: datetime | None = None) -> int:
        return tally_round(window=window, when=when)

    def rank(self, *, window: StageWindow, ideas: Sequence[Idea]) -> list[Standing]:
        return standings_at_close(window, list(ideas))

    def close(self, *, window: StageWindow, standings: list[Standing]) -> set[int]:
        return suggested_passing(window, standings)


APPROVAL = register(ApprovalMode())
