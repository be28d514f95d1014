"""Reads for ideas, and who may see them.

``idea_list_visible`` filters by ``ideas.visibility.visible_q``, the queryset
form of the ``ideas.view_idea`` rule; both must agree
(``tests/ideas/test_selectors.py`` checks every combination).
"""

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from contests.models import Racecourse
from horserace.accounts.rules import is_hr_admin
from horserace.common.permissions import can

from ..models import (
    Attachment,
    Idea,
    IdeaAccess,
    JoinRequest,
    RequestStatus,
    Stage,
    StageTransition,
    TeamInvitation,
    TeamMembership,
)
from ..services.ideas import idea_content
from ..services.registration import content_fingerprint
from ..visibility import content_q, is_team_member, visible_q


def idea_search_q(*, user, text: str) -> Q:
    """Ideas whose title, or whose body where the user may read it, has ``text``.

    A match in a confidential pitch the user may not read would tell what it
    says, so the body is searched only among the ideas they may read.
    """
    body_ids = Idea.objects.filter(content_q(user)).values("pk")
    return Q(title__icontains=text) | (
        (Q(pitch__icontains=text) | Q(problem__icontains=text)) & Q(pk__in=body_ids)
    )


def idea_list_visible(
    *,
    user,
    racecourse: Racecourse | None = None,
    season=None,
    stage: str | None = None,
    challenge_id: int | None = None,
    search: str | None = None,
) -> QuerySet[Idea]:
    """Ideas the user may see, newest first, ready for list pages."""
    qs = Idea.objects.all()
    if racecourse is not None:
        qs = qs.filter(racecourse=racecourse)
    if season is not None:
        qs = qs.filter(racecourse__season=season)
    if stage:
        qs = qs.filter(stage=stage)
    if challenge_id:
        qs = qs.filter(challenge_id=challenge_id)
    if search:
        qs = qs.filter(idea_search_q(user=user, text=search))
    visible_ids = Idea.objects.filter(visible_q(user)).values("pk")
    # Counted per idea in a subquery, not by grouping the whole list: a page
    # of a big racecourse then sorts and cuts the ideas without grouping them.
    team_size = (
        TeamMembership.objects.filter(idea=OuterRef("pk"))
        .order_by()
        .values("idea")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        qs.filter(pk__in=visible_ids)
        # registration__season: the registration's code shows the season's year.
        .select_related("racecourse", "challenge", "author", "registration__season")
        .annotate(team_size=Coalesce(Subquery(team_size), 0))
        .order_by("-created_at", "-pk")
    )


class IdeaSealed(Http404):
    """The user may know the idea exists but not read it yet: a confidential
    idea HR or its racecourse's admin has not opened (``ideas.visibility``).
    A 404 wherever it is not caught; the idea page offers to open it."""

    def __init__(self, idea: Idea):
        super().__init__("sealed")
        self.idea = idea


def idea_list_manageable(*, user) -> QuerySet[Idea]:
    """Ideas whose desks (gestation, realization, panel) the user may work on:
    all for HR; for anyone else those they may read, so a racecourse admin
    finds a confidential project on a desk only once they opened it."""
    qs = idea_list_visible(user=user)
    if is_hr_admin(user):
        return qs
    return qs.filter(pk__in=Idea.objects.filter(content_q(user)).values("pk"))


def idea_get_visible(*, user, pk: int, content: bool = True) -> Idea:
    """The idea with everything its page needs, or 404 if the user may not see it.

    With ``content`` (the default: every page shows some of the body) the user
    must also be allowed to read it; ``IdeaSealed`` says they may only know
    it exists.
    """
    try:
        idea = (
            Idea.objects.select_related(
                "racecourse__season",
                "racecourse__department",
                "challenge",
                "author",
                "registration__season",
                "merged_into",
            )
            .prefetch_related(
                Prefetch(
                    "memberships",
                    queryset=TeamMembership.objects.select_related("user__department"),
                ),
                Prefetch(
                    "transitions",
                    queryset=StageTransition.objects.select_related("actor"),
                ),
                # The idea's own files; the final proposal's are its own list.
                Prefetch(
                    "attachments",
                    queryset=Attachment.objects.filter(kind=Attachment.Kind.IDEA),
                ),
            )
            .get(pk=pk)
        )
    except (Idea.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can(user, "ideas.view_idea", idea):
        raise Http404
    if content and not can(user, "ideas.read_content", idea):
        raise IdeaSealed(idea)
    return idea


def idea_changed_since_registration(*, idea: Idea) -> bool:
    registration = getattr(idea, "registration", None)
    if registration is None:
        return False
    return content_fingerprint(idea_content(idea)) != registration.fingerprint


def ideas_of_user(*, user) -> QuerySet[TeamMembership]:
    """The user's team memberships with their ideas, newest idea first."""
    return (
        TeamMembership.objects.filter(user=user)
        .select_related(
            "idea__racecourse__season", "idea__registration", "idea__challenge"
        )
        .annotate(
            team_size=Count("idea__memberships", distinct=True),
            pending_requests=Count(
                "idea__join_requests",
                filter=Q(idea__join_requests__status=RequestStatus.PENDING),
                distinct=True,
            ),
        )
        .order_by("-idea__created_at")
    )


def invitations_pending(*, user) -> QuerySet[TeamInvitation]:
    return TeamInvitation.objects.filter(
        invitee=user, status=RequestStatus.PENDING
    ).select_related("idea__racecourse", "invited_by")


def invitation_list(*, user) -> QuerySet[TeamInvitation]:
    """Invitations the user received or may manage as captain."""
    return (
        TeamInvitation.objects.filter(
            Q(invitee=user)
            | Q(
                idea__memberships__user=user,
                idea__memberships__role=TeamMembership.Role.CAPTAIN,
            )
        )
        .select_related("idea", "invitee", "invited_by")
        .distinct()
    )


def join_request_list(*, user) -> QuerySet[JoinRequest]:
    """Join requests the user made, or that wait on the user as captain."""
    return (
        JoinRequest.objects.filter(
            Q(requester=user)
            | Q(
                idea__memberships__user=user,
                idea__memberships__role=TeamMembership.Role.CAPTAIN,
            )
        )
        .select_related("idea", "requester", "decided_by")
        .distinct()
    )


def team_pending(*, idea: Idea) -> dict:
    """Open invitations and join requests of one team, for its captain."""
    return {
        "invitations": list(
            idea.invitations.filter(status=RequestStatus.PENDING).select_related(
                "invitee"
            )
        ),
        "join_requests": list(
            idea.join_requests.filter(status=RequestStatus.PENDING).select_related(
                "requester"
            )
        ),
    }


def idea_stage_counts(*, user, racecourse: Racecourse) -> dict[str, int]:
    """How many ideas the user can see in each stage (drafts left out)."""
    visible_ids = Idea.objects.filter(visible_q(user)).values("pk")
    return dict(
        Idea.objects.filter(racecourse=racecourse, pk__in=visible_ids)
        .exclude(stage=Stage.DRAFT)
        .order_by()
        .values_list("stage")
        .annotate(n=Count("pk"))
    )


def idea_access_log(*, idea: Idea, user) -> list[IdeaAccess]:
    """Who opened or unmasked the idea, for its team and for HR (else empty)."""
    if not (can(user, "ideas.view_access_log") or is_team_member(user, idea)):
        return []
    return list(idea.access_log.select_related("user"))


def access_log_list() -> QuerySet[IdeaAccess]:
    """Every opening and unmasking, newest first (HR's review)."""
    return IdeaAccess.objects.select_related("user", "idea__racecourse")
