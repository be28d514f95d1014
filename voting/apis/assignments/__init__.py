"""Offline evaluation over the API: pool, settings, assignments, conflicts, preferences.

The same services and rules as the browser pages. Racecourse endpoints are for
HR and the racecourse's admins (403 for others, 404 for an unknown
racecourse); ``/evaluation/assignments/mine/``, ``/evaluation/preferences/``
and ``/evaluation/conflicts/`` are the evaluator's own. Refusals are 400
(``code`` ``invalid``, with ``errors`` per field) or 403, never a 500.

``pool``         the pool, its settings and the loads
``assign``       assignments: automatic, by hand, the evaluator's own
``conflicts``    conflicts of interest
``preferences``  the evaluator's preferences
``serializers``  the request and response shapes
``common``       what the endpoints share
"""
