"""The evaluator pool, assignments and preferences: writes and the reads around them.

The projects of a racecourse are its ideas in offline evaluation. An
evaluator's *load* on a racecourse is how many of those projects they are
assigned to; ``Racecourse.max_projects_per_evaluator`` (L) caps it and
``evaluators_per_project`` (k) is how many evaluators each project needs.

Every write that changes who is assigned locks the racecourse's row first
(as ``conflicts.conflict_declare`` does), so the automatic assignment, manual
changes, pool changes and newly declared conflicts never interleave.

``selectors``  the projects, the pool with its loads, the evaluator's own lists
``matrix``     the projects × evaluators matrix of the admin page
``pool``       writes on the pool: its settings (k, L), members, preferences
``assign``     writes on assignments: ``assignments_auto``, by hand
``common``     what the writes share: the racecourse lock, checks and notices
"""

from .assign import (
    AutoAssignResult,
    assignment_add,
    assignment_remove,
    assignments_auto,
)
from .matrix import AssignmentMatrix, Cell, MatrixRow, assignment_matrix
from .pool import (
    MAX_DEPTH,
    MAX_K,
    MAX_L,
    evaluation_settings_update,
    evaluator_pool_add,
    evaluator_pool_remove,
    preference_set,
)
from .selectors import (
    PROJECT_STAGE,
    EvaluatorLoad,
    PoolSeat,
    assignment_list,
    declarable_projects,
    evaluation_projects,
    evaluator_load,
    evaluator_loads,
    evaluator_pool,
    my_assignments,
    my_conflicts,
    my_pools,
    preference_projects,
    team_hidden,
)

__all__ = [
    "AssignmentMatrix",
    "AutoAssignResult",
    "Cell",
    "EvaluatorLoad",
    "MAX_K",
    "MAX_DEPTH",
    "MAX_L",
    "MatrixRow",
    "PROJECT_STAGE",
    "PoolSeat",
    "assignment_add",
    "assignment_list",
    "assignment_matrix",
    "assignment_remove",
    "assignments_auto",
    "declarable_projects",
    "evaluation_projects",
    "evaluation_settings_update",
    "evaluator_load",
    "evaluator_loads",
    "evaluator_pool",
    "evaluator_pool_add",
    "evaluator_pool_remove",
    "my_assignments",
    "my_conflicts",
    "my_pools",
    "preference_projects",
    "preference_set",
    "team_hidden",
]
