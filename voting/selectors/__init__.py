"""Reads for online screening: who may judge what, queues, progress, results.

Who may judge is decided in one place, ``judge_refusal``; services, rules,
pages and the API all ask it. Whether counts may be shown is decided in
``counts_visible``. Results are read from ``Tally`` snapshots only.

``rounds``   a racecourse's round and audience; who may judge
             (``Refusal``, ``window_refusal``, ``judge_refusal(_detail)``)
``queue``    the voter's judging queue, its order and the voter's progress
``ballots``  the voter's ballots; the ideas a ballot is cast on
             (``idea_for_judging``, ``round_of``, ``visible_idea_ids``)
``results``  ``counts_visible``, ``screening_story``, ``leaderboard``,
             ``windows_to_tally``
"""
