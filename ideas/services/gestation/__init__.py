"""Gestation: resource requests and grants, milestones and progress, the final
proposal, and HR's extensions.

Budget rule: a grant locks the ``ResourceBudget`` row of its resource on the
idea's racecourse, sums what is already granted there and refuses to go past
the budget, so two grants at the same moment cannot overdraw it. With no
budget row nothing can be granted. Trainers live in
``ideas.services.trainers``.

Where things are: ``resources`` (requests and grants, ``granted_total``),
``progress`` (milestones and updates), ``proposal`` (the final proposal,
extensions, elimination) and ``helpers`` (locks, who to tell, field
errors), which ``trainers`` uses too.
"""

from .helpers import (
    captains_of,
    field_error,
    lock_idea,
    managers_of,
    notify,
    required_text,
    team_of,
    trainers_of,
    workspace_url,
)
from .progress import (
    milestone_create,
    milestone_delete,
    milestone_set_done,
    progress_update_post,
)
from .proposal import (
    final_proposal_submit,
    gestation_eliminate,
    proposal_extension_grant,
)
from .resources import (
    MAX_AMOUNT,
    OPEN,
    granted_total,
    resource_request_answer,
    resource_request_ask,
    resource_request_cancel,
    resource_request_create,
    resource_request_decline,
    resource_request_grant,
)

__all__ = [
    "MAX_AMOUNT",
    "OPEN",
    "captains_of",
    "field_error",
    "final_proposal_submit",
    "gestation_eliminate",
    "granted_total",
    "lock_idea",
    "managers_of",
    "milestone_create",
    "milestone_delete",
    "milestone_set_done",
    "notify",
    "progress_update_post",
    "proposal_extension_grant",
    "required_text",
    "resource_request_answer",
    "resource_request_ask",
    "resource_request_cancel",
    "resource_request_create",
    "resource_request_decline",
    "resource_request_grant",
    "team_of",
    "trainers_of",
    "workspace_url",
]
