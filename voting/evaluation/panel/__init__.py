"""The panel meeting: projects in calibrated order, the discussion, decisions.

``panel_board`` reads everything the meeting page shows in a constant number
of queries: the racecourse's projects in offline evaluation and those already
decided, each with its submitted scorecards, raw statistics, calibrated score
(``aggregation.calibrate`` over every submitted card of the racecourse), the
employees' screening result and the flags. Cards of an evaluator who has
since become conflicted are set aside (counted, never used or shown).

``panel_decide`` records the chair's decision (HR or a racecourse admin who
may see the project and has no conflict with it), stores the calibrated
score of the moment, moves the idea through the funnel (``idea_select`` or
``idea_eliminate``, the feedback as the reason) and tells the team. It locks
the idea's row first, so a second decision, or a scorecard submitted at the
same moment, waits and is then refused.

``evaluation_story`` is what the idea page shows after the decision: the
whole story (feedback, each card's scores and team comment, evaluators
anonymous) to the team, HR and the racecourse's admins; the outcome alone to
everyone else who may see the idea.

``cards``     the cards counted, and the racecourse's calibration
``board``     ``panel_board``, with the screening results and the flags
``decision``  the discussion and ``panel_decide``, and who may take part
``story``     ``evaluation_story``, for the idea page
"""
