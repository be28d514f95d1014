"""Offline evaluation: conflicts, assignment, scorecards, aggregation, the panel.

``conflicts``    who may never judge a project (automatic and declared)
``solver``       the load-balanced assignment of evaluators to projects (pure)
``assignments``  writes and reads around assignments, preferences and loads
``scorecards``   scoring, and who sees which scores
``aggregation``  raw and calibrated scores and disagreement flags (pure)
``panel``        the panel meeting and the chair's decisions
"""
