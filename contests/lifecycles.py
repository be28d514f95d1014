"""The calendar's lifecycles: a season's status, as data.

``move`` (``horserace.common.lifecycles``) is the one door that performs a
move and writes a ``StatusChange`` row; services lock the season, check who
may and what else must hold (``contests.console.services.season_open``), then
call ``move``.

    season      planned ──open──▶ open ──close──▶ closed
"""

from horserace.common.lifecycles import Lifecycle, Lifecycles, Move

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


LIFECYCLES = Lifecycles(SEASON)

#: The one door: perform a move on a locked season through its table.
move = LIFECYCLES.move
