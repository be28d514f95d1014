"""Conflicts of interest between evaluators and projects.

Automatic conflicts are computed from the company's data, never stored; the
definition (team, management chain, trainer, entrant, department) is in
``automatic``. Declared conflicts are ``Conflict`` rows (``declared``). Both
count the same: a conflicted evaluator is never assigned, never opens the
project's scorecard, and never sees its scores or panel discussion.
"""

from .automatic import (
    AUTOMATIC,
    AUTOMATIC_KINDS,
    CONFLICT_STAGES,
    DECLARED_KINDS,
    ENTRANT_STAGES,
    ConflictInfo,
    conflict_list,
    conflict_map,
    conflicted_evaluator_ids,
    conflicted_idea_ids,
    conflicts_for_idea,
    conflicts_for_ideas,
    is_conflicted,
    racecourse_conflicts,
)
from .declared import conflict_declare, conflict_withdraw

__all__ = [
    "AUTOMATIC",
    "AUTOMATIC_KINDS",
    "CONFLICT_STAGES",
    "DECLARED_KINDS",
    "ENTRANT_STAGES",
    "ConflictInfo",
    "conflict_declare",
    "conflict_list",
    "conflict_map",
    "conflict_withdraw",
    "conflicted_evaluator_ids",
    "conflicted_idea_ids",
    "conflicts_for_idea",
    "conflicts_for_ideas",
    "is_conflicted",
    "racecourse_conflicts",
]
