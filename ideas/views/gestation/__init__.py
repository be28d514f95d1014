"""Gestation in the browser: the team workspace, a resource request, the
final proposal, the trainer's teams and the racecourse's gestation desk.

Parse, call one service, redirect with a message; a refusal the form can show
re-renders the page with the form's errors (never a 500). Someone who may see
the idea but not this page gets a 403; someone who may not see it, a 404.

Where things are: ``workspace`` (the workspace and the team's actions),
``resources`` (one resource request), ``proposal``, ``trainers``, ``desk``
(HR's extensions and eliminations, the racecourse's desk) and ``helpers``.
"""

from .desk import desk, eliminate, extension_grant
from .proposal import proposal, proposal_file_delete, proposal_file_upload
from .resources import request_detail
from .trainers import (
    assignment_detail,
    assignment_end,
    trainer_assign,
    trainer_decline,
    trainer_home,
)
from .workspace import (
    milestone_create,
    milestone_delete,
    milestone_done,
    request_create,
    trainer_request,
    update_create,
    workspace,
)

__all__ = [
    "assignment_detail",
    "assignment_end",
    "desk",
    "eliminate",
    "extension_grant",
    "milestone_create",
    "milestone_delete",
    "milestone_done",
    "proposal",
    "proposal_file_delete",
    "proposal_file_upload",
    "request_create",
    "request_detail",
    "trainer_assign",
    "trainer_decline",
    "trainer_home",
    "trainer_request",
    "update_create",
    "workspace",
]
