"""Offline evaluation in the browser: evaluator pools, conflicts and assignments.

``mine``              /evaluation/ — an evaluator's assignments, loads,
                      conflicts and preferences
``assignment_page``   /evaluation/racecourses/<id>/assignments/ — HR and the
                      racecourse's admins: pool, settings, the automatic
                      assignment, the matrix, loads and conflicts
``idea_conflicts``    /evaluation/ideas/<pk>/conflicts/ — the team's captain
                      declares conflicts with evaluators of the pool

Forms live in ``forms`` because only these pages use them. A form that fails,
or a service that refuses, re-renders the page with the errors on the form;
the one-button actions report a refusal as a message. Success redirects.

``evaluator``   ``mine`` and the evaluator's actions (conflicts, preferences)
``captain``     ``idea_conflicts``
``racecourse``  ``assignment_page`` and its actions (``MATRIX_PAGE_SIZE`` is
                read there)
``forms``       the forms of these pages
``helpers``     what the pages share
"""

from .captain import idea_conflicts
from .evaluator import conflict_declare, conflict_withdraw, mine, preference_set
from .forms import (
    AdminConflictForm,
    AssignForm,
    ConflictFields,
    OwnConflictForm,
    PoolAddForm,
    PreferenceForm,
    SettingsForm,
    TeamConflictForm,
)
from .racecourse import (
    MATRIX_PAGE_SIZE,
    REPORT_KEY,
    assign_auto,
    assignment_add,
    assignment_page,
    assignment_remove,
    conflict_record,
    pool_add,
    pool_remove,
    settings_update,
)

__all__ = [
    "AdminConflictForm",
    "AssignForm",
    "ConflictFields",
    "MATRIX_PAGE_SIZE",
    "OwnConflictForm",
    "PoolAddForm",
    "PreferenceForm",
    "REPORT_KEY",
    "SettingsForm",
    "TeamConflictForm",
    "assign_auto",
    "assignment_add",
    "assignment_page",
    "assignment_remove",
    "conflict_declare",
    "conflict_record",
    "conflict_withdraw",
    "idea_conflicts",
    "mine",
    "pool_add",
    "pool_remove",
    "preference_set",
    "settings_update",
]
