"""Reads for gestation: budgets, requests, trainers, progress and the proposal.

Who sees what is decided here, once, from ``ideas.rules``: resource requests
and grants are for the team, the racecourse's admins and HR; trainer sessions
for the team, its trainers (a past trainer sees their own sessions) and HR;
milestones, updates and the proposal for whoever may see the idea.

Where things are: ``resources`` (budgets and requests), ``trainers``,
``progress`` (milestones, updates, ``gestation_progress_list``),
``proposal`` (deadline, extensions, files), ``desk`` (the racecourse's
gestation desk) and ``pages`` (``gestation_story`` for the idea page,
``gestation_workspace`` for the team).
"""

from .desk import gestation_desk, gestation_projects
from .pages import (
    gestation_idea_get,
    gestation_story,
    gestation_workspace,
    reached_gestation,
)
from .progress import (
    gestation_progress_list,
    milestone_list,
    progress_update_list,
    with_progress,
)
from .proposal import (
    extension_active,
    final_proposal_get,
    proposal_attachments,
    proposal_deadline,
)
from .resources import (
    OPEN,
    budget_list,
    grant_queue,
    resource_request_list,
    resource_requests_visible,
)
from .trainers import (
    trainer_assignment_list,
    trainer_assignments_visible,
    trainer_pool,
    trainer_sessions_visible,
    trainer_teams,
)

__all__ = [
    "OPEN",
    "budget_list",
    "extension_active",
    "final_proposal_get",
    "gestation_desk",
    "gestation_progress_list",
    "gestation_projects",
    "gestation_story",
    "gestation_workspace",
    "grant_queue",
    "milestone_list",
    "progress_update_list",
    "proposal_attachments",
    "proposal_deadline",
    "gestation_idea_get",
    "reached_gestation",
    "resource_request_list",
    "resource_requests_visible",
    "trainer_assignment_list",
    "trainer_assignments_visible",
    "trainer_pool",
    "trainer_sessions_visible",
    "trainer_teams",
    "with_progress",
]
