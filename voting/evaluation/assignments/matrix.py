"""The projects × evaluators matrix of the admin page, and why a project is short."""

from collections import Counter
from dataclasses import dataclass

from contests.models import Racecourse
from horserace.accounts.models import User
from ideas.models import Idea
from voting.evaluation.conflicts.automatic import conflict_map
from voting.evaluation.solver.connectivity import count_components
from voting.evaluation.solver.problem import SHORT_CAPACITY, SHORT_CONFLICTS, SHORT_POOL

from ...models import Assignment, EvaluatorPreference
from .selectors import EvaluatorLoad, evaluation_projects, evaluator_loads


@dataclass
class Cell:
    evaluator: User
    assignment: Assignment | None = None
    conflicted: bool = False
    preference: int = 0
    full: bool = False  # the evaluator is at L

    @property
    def status(self) -> str:
        if self.assignment is not None:
            scorecard = getattr(self.assignment, "scorecard", None)
            return scorecard.status if scorecard else "assigned"
        return "conflict" if self.conflicted else "open"


@dataclass
class MatrixRow:
    idea: Idea
    cells: list[Cell]
    assigned: int
    needed: int
    shortfall: str = ""  # "", or why the project lacks evaluators


@dataclass
class AssignmentMatrix:
    racecourse: Racecourse
    loads: list[EvaluatorLoad]
    rows: list[MatrixRow]
    components: int

    @property
    def connected(self) -> bool:
        return self.components <= 1

    @property
    def short(self) -> list[MatrixRow]:
        return [row for row in self.rows if row.shortfall]

    @property
    def assigned_total(self) -> int:
        return sum(row.assigned for row in self.rows)


def assignment_matrix(*, racecourse: Racecourse) -> AssignmentMatrix:
    """Projects × evaluators, with assignments, conflicts and preferences.

    For the admin page: a constant number of queries, whatever the sizes.
    ``shortfall`` is ``pool`` (fewer than k evaluators at all), ``conflicts``
    (too many conflicted), ``capacity`` (the others are at L) or ``open``
    (someone has room: run the automatic assignment).
    """
    projects = list(evaluation_projects(racecourse=racecourse))
    loads = evaluator_loads(racecourse=racecourse)
    by_evaluator = {load.evaluator.pk: load for load in loads}
    conflicts = conflict_map(ideas=projects)
    assignments: dict[tuple[int, int], Assignment] = {}
    for a in Assignment.objects.filter(idea__in=projects).select_related(
        "scorecard", "evaluator"
    ):
        assignments[(a.idea_id, a.evaluator_id)] = a
    preferences = {
        (p, e): level
        for p, e, level in EvaluatorPreference.objects.filter(
            idea__in=projects
        ).values_list("idea_id", "evaluator_id", "level")
    }
    counts = Counter(p for p, _e in assignments)
    k = racecourse.evaluators_per_project
    rows = []
    for idea in projects:
        cells = [
            Cell(
                evaluator=load.evaluator,
                assignment=assignments.get((idea.pk, e)),
                conflicted=e in conflicts[idea.pk],
                preference=preferences.get((idea.pk, e), 0),
                full=load.full,
            )
            for e, load in by_evaluator.items()
        ]
        assigned = counts[idea.pk]
        rows.append(MatrixRow(idea, cells, assigned, k, _shortfall(cells, assigned, k)))
    return AssignmentMatrix(
        racecourse=racecourse,
        loads=loads,
        rows=rows,
        components=count_components(assignments),
    )


def _shortfall(cells: list[Cell], assigned: int, k: int) -> str:
    if assigned >= k:
        return ""
    if len(cells) < k:
        return SHORT_POOL
    free = [c for c in cells if not c.conflicted or c.assignment is not None]
    if len(free) < k:
        return SHORT_CONFLICTS
    if any(c.assignment is None and not c.conflicted and not c.full for c in cells):
        return "open"
    return SHORT_CAPACITY
