"""Reads for gestation: budgets, requests, trainers, progress and the proposal.

Who sees what is decided here, once, from ``ideas.rules``: resource requests
and grants are for the team, the racecourse's admins and HR; trainer sessions
for the team, its trainers (a past trainer sees their own sessions) and HR;
milestones, updates and the proposal for whoever may see the idea.

Where things are: ``resources`` (budgets and requests), ``trainers``,
``progress`` (milestones, updates, ``gestation_progress_list``),
``proposal`` (deadline, extensions, files), ``desk`` (the racecourse's
gestation desk) and ``pages`` (``gestation_story`` for the idea page,
``gestation_workspace`` for the team).
"""
