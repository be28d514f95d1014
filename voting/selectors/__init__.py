"""Reads for online screening: who may judge what, queues, progress, results.

Who may judge is decided in one place, ``judge_refusal``; services, rules,
pages and the API all ask it. Whether counts may be shown is decided in
``counts_visible``. Results are read from ``Tally`` snapshots only.

``rounds``   a racecourse's round and audience; who may judge
             (``Refusal``, ``window_refusal``, ``judge_refusal(_detail)``)
``queue``    the voter's judging queue, its order and the voter's progress
``ballots``  the voter's ballots; the ideas a ballot is cast on
             (``idea_for_judging`` → ``Judging``, ``visible_idea_ids``); the
             supports a voter has used (``supports_used``)
``results``  ``counts_visible``, ``screening_story``, ``leaderboard``,
             ``windows_to_tally``
"""

from .ballots import (
    Judging,
    ballot_get,
    ballot_list,
    idea_for_judging,
    ideas_for_judging,
    supports_used,
    visible_idea_ids,
)
from .queue import (
    ballots_of,
    judging_order,
    judging_progress,
    judging_queue,
    order_progress,
    queue_ideas,
    queue_key,
    shuffle_position,
    tallies_of,
)
from .results import counts_visible, leaderboard, screening_story, windows_to_tally
from .rounds import (
    Refusal,
    audience_of,
    judge_refusal,
    judge_refusal_detail,
    screening_window,
    voter_in_audience,
    window_refusal,
)

__all__ = [
    "Judging",
    "Refusal",
    "audience_of",
    "ballot_get",
    "ballot_list",
    "ballots_of",
    "counts_visible",
    "idea_for_judging",
    "ideas_for_judging",
    "judge_refusal",
    "judge_refusal_detail",
    "judging_order",
    "judging_progress",
    "judging_queue",
    "leaderboard",
    "order_progress",
    "queue_ideas",
    "screening_story",
    "screening_window",
    "queue_key",
    "shuffle_position",
    "supports_used",
    "tallies_of",
    "visible_idea_ids",
    "voter_in_audience",
    "window_refusal",
    "windows_to_tally",
]
