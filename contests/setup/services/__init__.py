"""Writes of the set-up: racecourse settings, challenges, catalogue, budgets,
the trainer pool and roles.

Every function is keyword-only and atomic, checks who may act (HR for the
season-wide things, ``contests.manage_racecourse`` for one racecourse's) and
raises ``ValidationError`` by field for bad input and ``PermissionDenied``
for a person who may not. The pages and the API call these and nothing else.

Budgets and grants: grants live with gestation (``ideas``), a floor above
the calendar. Gestation registers how much a racecourse has granted of a
resource (``register_granted_total``); ``budget_set`` locks the budget row,
as a grant does, and refuses to cut it below that sum.

Where things are: ``common`` (who may, saving a row), ``racecourses``
(settings, challenges), ``catalogue`` (resources, budgets, trainers),
``roles`` (appoint, remove, bulk).
"""

from .catalogue import (
    budget_set,
    granted_total,
    register_granted_total,
    resource_create,
    resource_update,
    trainer_add,
    trainer_remove,
    trainer_update,
)
from .common import (
    CHALLENGE_FIELDS,
    MAX_AMOUNT,
    MAX_CSV_ROWS,
    RACECOURSE_FIELDS,
    RESOURCE_FIELDS,
    TRAINER_FIELDS,
    field_error,
    require_hr,
    require_manager,
)
from .racecourses import challenge_create, challenge_update, racecourse_update
from .roles import (
    BAD_STATUSES,
    BulkReport,
    BulkRow,
    bulk_report_errors,
    csv_identifiers,
    require_role_manager,
    role_appoint,
    role_holds,
    role_remove,
    roles_bulk_appoint,
)

__all__ = [
    "BAD_STATUSES",
    "CHALLENGE_FIELDS",
    "MAX_AMOUNT",
    "MAX_CSV_ROWS",
    "RACECOURSE_FIELDS",
    "RESOURCE_FIELDS",
    "TRAINER_FIELDS",
    "BulkReport",
    "BulkRow",
    "budget_set",
    "bulk_report_errors",
    "challenge_create",
    "challenge_update",
    "csv_identifiers",
    "field_error",
    "granted_total",
    "racecourse_update",
    "register_granted_total",
    "require_hr",
    "require_manager",
    "require_role_manager",
    "resource_create",
    "resource_update",
    "role_appoint",
    "role_holds",
    "role_remove",
    "roles_bulk_appoint",
    "trainer_add",
    "trainer_remove",
    "trainer_update",
]
