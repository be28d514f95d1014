"""Realization in the browser: the HR desk, a project's page, a manager's
approvals, and one small page per action.

Each action has its own URL. Its form may sit on the project page (short
ones) or on its own page (GET); a POST that fails validation, or that the
service refuses, shows that form again with its errors. A user who may not
act gets a 403; an object they may not see, a 404.

Where things are: ``pages`` (the desk, a project, the approvals),
``outcomes`` (outcomes and time allocations), ``plan`` (the plan, its
tranches, reviews and closing) and ``helpers`` (the shared form page).
"""

from .helpers import FORM_TEMPLATE
from .outcomes import (
    allocation_decide,
    allocation_propose,
    outcome_add,
    outcome_remove,
)
from .pages import REALIZATION_PERMS, approvals, desk, project
from .plan import (
    close,
    plan_create,
    tranche_add,
    tranche_approve,
    tranche_cancel,
    tranche_edit,
    tranche_review,
    tranche_send_back,
)

__all__ = [
    "FORM_TEMPLATE",
    "REALIZATION_PERMS",
    "allocation_decide",
    "allocation_propose",
    "approvals",
    "close",
    "desk",
    "outcome_add",
    "outcome_remove",
    "plan_create",
    "project",
    "tranche_add",
    "tranche_approve",
    "tranche_cancel",
    "tranche_edit",
    "tranche_review",
    "tranche_send_back",
]
