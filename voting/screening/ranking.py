"""How screening results are ranked: the Wilson score interval, and tie-breaks.

An idea's *support rate* is ``supports / voters``. A raw rate rewards small
samples (1 of 1 is 100%), so ideas are ranked by the **lower bound of the
Wilson score interval** of that rate at 95% confidence (z = 1.96)::

    p = supports / n
    centre = p + z² / 2n
    margin = z · √(p(1 − p) / n + z² / 4n²)
    lower, upper = (centre ∓ margin) / (1 + z² / n)

The lower bound is the support rate we are 95% sure the idea at least has: it
grows with the rate *and* with the number of voters. Ties (equal bounds) go to
the idea with more voters, then to the one registered earlier (its claim of
authorship is older), then to the lower idea id, so every rank is unique and
the order never depends on the database.
"""

import math
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Protocol, TypeVar

Z_95 = 1.96


def wilson_interval(supports: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval ``(lower, upper)`` of ``supports`` out of ``n``.

    ``(0.0, 0.0)`` when nobody voted. 8 of 10 gives about (0.4902, 0.9433).
    """
    if n <= 0:
        return (0.0, 0.0)
    if not 0 <= supports <= n:
        raise ValueError(f"supports must be between 0 and n, got {supports}/{n}")
    p = supports / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = p + z2 / (2 * n)
    margin = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    # At p = 0 (or 1) the bound is exactly 0 (or 1); rounding must not make
    # 0 of 5 and 0 of 3 differ by a hair and decide a tie.
    lower = 0.0 if supports == 0 else (centre - margin) / denominator
    upper = 1.0 if supports == n else (centre + margin) / denominator
    return (max(0.0, lower), min(1.0, upper))


class Rankable(Protocol):
    """What ``rank_key`` reads: a ``Tally`` or anything shaped like one."""

    idea_id: int
    voters: int
    wilson_lower: float


def rank_key(entry: Rankable, registered_at: datetime | None = None) -> tuple:
    """Sort key (ascending = best first) of one idea's result in a round.

    1. higher Wilson lower bound, 2. more voters, 3. earlier registration
    (``registered_at``, or ``entry.registered_at`` when the entry carries it;
    an idea without one comes after those with one), 4. lower idea id.
    """
    if registered_at is None:
        registered_at = getattr(entry, "registered_at", None)
    registration = (
        (0, registered_at.timestamp()) if registered_at is not None else (1, 0.0)
    )
    return (-entry.wilson_lower, -entry.voters, registration, entry.idea_id)


T = TypeVar("T", bound=Rankable)


def ranked(
    entries: Iterable[T], registered_at: Mapping[int, datetime | None] | None = None
) -> list[T]:
    """``entries`` best first; ``registered_at`` maps idea id to registration."""
    registered_at = registered_at or {}
    return sorted(entries, key=lambda e: rank_key(e, registered_at.get(e.idea_id)))
