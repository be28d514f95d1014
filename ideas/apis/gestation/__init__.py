"""Gestation over the API: resource requests and grants, milestones and
progress updates, trainers and their sessions, the final proposal, and HR's
extensions and eliminations.

Same rules as the browser: the services check every permission. An idea the
user may neither see nor work on is a 404; one they may see but not act on
is a 403. Status, kind and unit fields are plain strings (values listed in
their descriptions).

Where things are: ``resources`` (budget lines, requests and decisions),
``progress`` (milestones and updates), ``trainers`` (assignments and
sessions), ``proposal`` (the final proposal, its files, extensions and
elimination), ``serializers`` (every shape) and ``helpers``
(``gestation_idea``). The routes are in ``ideas.apis``.
"""
