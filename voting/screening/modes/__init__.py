"""Screening modes: how a screening window's judgments are cast, tallied,
ranked and closed.

A window names its mode (``StageWindow.mode``). Today's support/oppose vote is
the first mode, ``approval`` (``voting.screening.modes.approval``). A new mode
(pairwise comparisons, say) is one new module here that subclasses
``ScreeningMode`` and calls ``register``; the closer, the approval mode and
the calendar are not touched.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from contests.models import StageWindow
    from horserace.accounts.models import User
    from ideas.models import Idea
    from voting.screening.standings import Standing


class ScreeningMode(ABC):
    """The interface every screening mode implements."""

    name: ClassVar[str]

    @abstractmethod
    def cast(
        self, *, voter: User, idea: Idea, window: StageWindow, **judgment: Any
    ) -> object:
        """Record one voter's judgment in ``window``."""

    @abstractmethod
    def tally(self, *, window: StageWindow, when: datetime | None = None) -> int:
        """Write the round's tally snapshots; return how many ideas."""

    @abstractmethod
    def rank(self, *, window: StageWindow, ideas: Sequence[Idea]) -> list[Standing]:
        """``ideas`` in order, best first, each with its numbers and place."""

    @abstractmethod
    def close(self, *, window: StageWindow, standings: list[Standing]) -> set[int]:
        """The ids of the ideas that pass at the close (what a person is
        proposed, for a window decided by a person)."""


_modes: dict[str, ScreeningMode] = {}


def register(mode: ScreeningMode) -> ScreeningMode:
    _modes[mode.name] = mode
    return mode


def mode_names() -> list[str]:
    return sorted(_modes)


def mode_for(window: StageWindow) -> ScreeningMode:
    """The mode of ``window``; an unknown name is a clear error, not a crash."""
    try:
        return _modes[window.mode]
    except KeyError:
        raise ValidationError(
            _("Unknown screening mode %(mode)s.") % {"mode": window.mode},
            code="unknown_mode",
        ) from None
