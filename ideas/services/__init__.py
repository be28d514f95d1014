"""Writes for ideas. Every function is keyword-only, typed and atomic.

Services check permissions themselves (through ``ideas.rules``), so the
browser and the API cannot disagree about who may do what.
"""

from .access import idea_access_request
from .attachments import attachment_add, attachment_remove
from .ideas import idea_content, idea_create, idea_update, idea_withdraw
from .registration import content_fingerprint, idea_register
from .teams import (
    invitation_accept,
    invitation_cancel,
    invitation_decline,
    join_request_accept,
    join_request_create,
    join_request_decline,
    join_request_withdraw,
    team_invite,
    team_leave,
    team_remove_member,
    team_transfer_captaincy,
)

__all__ = [
    "attachment_add",
    "idea_access_request",
    "attachment_remove",
    "content_fingerprint",
    "idea_content",
    "idea_create",
    "idea_register",
    "idea_update",
    "idea_withdraw",
    "invitation_accept",
    "invitation_cancel",
    "invitation_decline",
    "join_request_accept",
    "join_request_create",
    "join_request_decline",
    "join_request_withdraw",
    "team_invite",
    "team_leave",
    "team_remove_member",
    "team_transfer_captaincy",
]
