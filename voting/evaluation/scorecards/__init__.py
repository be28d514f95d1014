"""Scorecards: an assigned evaluator scores a project; who sees which scores.

An evaluator fills one ``Scorecard`` per assignment: a ``Score`` per rubric
criterion, a comment for the team and a private note for the panel.
``scorecard_save`` keeps a draft (any criteria may be left empty);
``scorecard_submit`` needs every criterion scored within its scale. A
submitted card may be submitted again (revised) until the panel decides on
the project or the racecourse's evaluation window, if it has one, closes.

Who may score is decided in one place, ``scoring_refusal``: the assigned
evaluator, not conflicted, while the project is in offline evaluation and
undecided. Other evaluators' cards and the panel's discussion are shown to
an evaluator only once their own card is submitted (so nobody anchors on the
others), and never to anyone with a conflict of interest. In blind mode
(``Racecourse.blind_evaluation``, or an anonymous idea) evaluators see no
team names and no author.

Writes lock the idea's row (as ``panel_decide`` does, so a card cannot be
submitted past a decision) and the rubric's (so a scale cannot change under
a card being submitted).

``selectors``  the evaluator's assignment and card, the rubric, blind mode,
               ``scoring_refusal``, the scorecard page, the cards others read
``services``   ``scorecard_save`` and ``scorecard_submit``
"""
