"""Each module registers one kind of export (the order is the page's)."""

from . import (  # noqa: F401
    ballots,
    feedback,
    grants,
    ideas,
    leaderboard,
    records,
    scorecards,
)
