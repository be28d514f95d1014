"""Writes for online screening: ballots, impressions and tally snapshots.

A ballot is written with one upsert (``INSERT … ON CONFLICT (voter, idea,
window) DO UPDATE``), so casting and changing are the same statement and the
unique constraint, not a read-then-write, keeps one ballot per voter, idea and
round. Who may judge is asked of ``selectors.judge_refusal_detail``; refusals
about the person raise ``PermissionDenied`` (403), the rest ``ValidationError``
(400).

``ballots``  ``ballot_cast``, ``ballot_withdraw``, ``impression_record``
``batch``    ``ballot_cast_batch``: up to ``BATCH_MAX`` judgments at once
``tallies``  ``tally_round``: the round's ``Tally`` snapshots
"""
