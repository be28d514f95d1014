"""The solver's vocabulary: ids, preference levels, shortfalls, the answer."""

from collections.abc import Hashable
from dataclasses import dataclass, field

Project = Hashable
Evaluator = Hashable
Pair = tuple[Project, Evaluator]

#: Why a project is left short.
SHORT_POOL = "pool"  # fewer than k people in the pool at all
SHORT_CONFLICTS = "conflicts"  # enough people, but too many are conflicted
SHORT_CAPACITY = "capacity"  # enough eligible people, but they are full

RATHER_NOT, NEUTRAL, WANT = -1, 0, 1


@dataclass(frozen=True)
class Shortfall:
    project: Project
    assigned: int
    needed: int
    reason: str


@dataclass
class SolverReport:
    """What the solution looks like, for the people who run the panel."""

    short: list[Shortfall] = field(default_factory=list)
    loads: dict[Evaluator, int] = field(default_factory=dict)
    components: int = 0
    overloaded: list[Evaluator] = field(default_factory=list)
    rather_not: int = 0  # new assignments someone would rather not have

    @property
    def connected(self) -> bool:
        return self.components <= 1


@dataclass
class Solution:
    new: list[Pair]
    report: SolverReport


def node_key(node):
    return (node[0], sortable(node[1]))


def sortable(value):
    return (type(value).__name__, value)
