"""The judging: the employee-wide screening vote and the panel's evaluation."""

from .evaluation import (
    Assignment,
    Conflict,
    EvaluatorPreference,
    PanelComment,
    PanelDecision,
    Score,
    Scorecard,
)
from .lifecycles import StatusChange
from .screening import Ballot, Choice, ClosingProposal, Impression, Tally

__all__ = [
    "Assignment",
    "Ballot",
    "Choice",
    "ClosingProposal",
    "Conflict",
    "EvaluatorPreference",
    "Impression",
    "PanelComment",
    "PanelDecision",
    "Score",
    "Scorecard",
    "StatusChange",
    "Tally",
]
