"""Writes for online screening: ballots, impressions and tally snapshots.

A ballot is written with one upsert (``INSERT … ON CONFLICT (voter, idea,
window) DO UPDATE``), so casting and changing are the same statement and the
unique constraint, not a read-then-write, keeps one ballot per voter, idea and
round. Who may judge is asked of ``selectors.judge_refusal_detail``, and a
single and a batch cast share that check and the support budget's
(``judgment_refusal``). A single cast raises its refusal: about the person
``PermissionDenied`` (403), the rest ``ValidationError`` (400); it returns a
``CastResult``. A batch returns a ``JudgmentResult`` per item, whose
``Outcome`` the API maps to a status.

``ballots``  ``ballot_cast``, ``ballot_withdraw``, ``impression_record``
``batch``    ``ballot_cast_batch``: up to ``BATCH_MAX`` judgments at once
``tallies``  ``tally_round``: the round's ``Tally`` snapshots
"""

from .ballots import (
    REASON_MAX_LENGTH,
    CastResult,
    JudgmentResult,
    Outcome,
    ballot_cast,
    ballot_withdraw,
    impression_record,
    judgment_refusal,
)
from .batch import BATCH_MAX, ballot_cast_batch
from .tallies import tally_round

__all__ = [
    "BATCH_MAX",
    "REASON_MAX_LENGTH",
    "CastResult",
    "JudgmentResult",
    "Outcome",
    "ballot_cast",
    "ballot_cast_batch",
    "ballot_withdraw",
    "impression_record",
    "judgment_refusal",
    "tally_round",
]
