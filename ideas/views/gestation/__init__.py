"""Gestation in the browser: the team workspace, a resource request, the
final proposal, the trainer's teams and the racecourse's gestation desk.

Parse, call one service, redirect with a message; a refusal the form can show
re-renders the page with the form's errors (never a 500). Someone who may see
the idea but not this page gets a 403; someone who may not see it, a 404.

Where things are: ``workspace`` (the workspace and the team's actions),
``resources`` (one resource request), ``proposal``, ``trainers``, ``desk``
(HR's extensions and eliminations, the racecourse's desk) and ``helpers``.
"""
