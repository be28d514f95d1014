"""The entrants: ideas, their teams and stage history, and the work that
follows the screening: gestation (resources, trainers, milestones, the final
proposal) and realization (outcomes and staged investment).

An idea's ``stage`` is changed only by ``ideas.funnel``; nothing else assigns it.
"""

from .access import IdeaAccess
from .base import (
    Attachment,
    Idea,
    IdeaQuerySet,
    JoinRequest,
    Registration,
    RequestStatus,
    Stage,
    StageTransition,
    TeamInvitation,
    TeamMembership,
    Visibility,
    attachment_path,
)
from .discussion import Comment, CommentReport, Follow, IdeaView
from .gestation import (
    FinalProposal,
    Milestone,
    ProgressUpdate,
    ProposalExtension,
    ResourceRequest,
    ResourceRequestMessage,
    TrainerAssignment,
    TrainerSession,
)
from .lifecycles import StatusChange
from .realization import InvestmentPlan, Ledger, Outcome, TimeAllocation, Tranche

__all__ = [
    "Attachment",
    "Comment",
    "CommentReport",
    "Follow",
    "IdeaView",
    "FinalProposal",
    "Idea",
    "IdeaAccess",
    "IdeaQuerySet",
    "InvestmentPlan",
    "Ledger",
    "JoinRequest",
    "Milestone",
    "Outcome",
    "ProgressUpdate",
    "ProposalExtension",
    "Registration",
    "RequestStatus",
    "ResourceRequest",
    "ResourceRequestMessage",
    "Stage",
    "StageTransition",
    "StatusChange",
    "TeamInvitation",
    "TeamMembership",
    "TimeAllocation",
    "TrainerAssignment",
    "TrainerSession",
    "Tranche",
    "Visibility",
    "attachment_path",
]
