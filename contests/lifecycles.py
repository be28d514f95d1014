"""The calendar's lifecycles: a season's status, as data.

``horserace.common.lifecycles.status_move`` is the one door that performs a
move and writes a ``StatusChange`` row; services lock the season, check who
may and what else must hold (``contests.console.services.season_open``), then
call ``move``.

    season      planned ──open──▶ open ──close──▶ closed
"""

from horserace.common.lifecycles import Lifecycle, Move, status_move

from .models import Season, StatusChange

_Season = Season.Status

SEASON = Lifecycle(
    model=Season,
    events=StatusChange,
    moves=[
        Move("open", (_Season.PLANNED,), _Season.OPEN),
        Move("close", (_Season.OPEN,), _Season.CLOSED),
    ],
)


def move(season: Season, name: str, *, actor=None, reason: str = "") -> StatusChange:
    """Perform move ``name`` on a locked ``season`` through its lifecycle."""
    return status_move(SEASON, season, name, actor=actor, reason=reason)
