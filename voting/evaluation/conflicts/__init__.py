"""Conflicts of interest between evaluators and projects.

Automatic conflicts are computed from the company's data, never stored; the
definition (team, management chain, trainer, entrant, department) is in
``automatic``. Declared conflicts are ``Conflict`` rows (``declared``). Both
count the same: a conflicted evaluator is never assigned, never opens the
project's scorecard, and never sees its scores or panel discussion.
"""
