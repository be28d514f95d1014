"""Reads for ideas, and who may see them.

``idea_list_visible`` is the queryset form of the ``ideas.view_idea`` rule;
both must agree (``ideas/tests/test_selectors.py`` checks every combination).
"""

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from contests.models import Racecourse
from horserace.core.permissions import can

from ..models import (
    Attachment,
    Idea,
    JoinRequest,
    RequestStatus,
    Stage,
    StageTransition,
    TeamInvitation,
    TeamMembership,
    Visibility,
)
from ..services.ideas import idea_content
from ..services.registration import content_fingerprint


def _visible_q(user) -> Q:
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_hr_admin or user.is_superuser:
        return Q()
    member = Q(memberships__user=user)
    invited = Q(invitations__invitee=user, invitations__status=RequestStatus.PENDING)
    audience = Q(racecourse__kind__in=[Racecourse.Kind.MAIN, Racecourse.Kind.FARM]) | Q(
        racecourse__department__isnull=True
    )
    if user.department_id is not None:
        own_and_above = [user.department_id] + [
            d.pk for d in user.department.ancestors()
        ]
        audience |= Q(racecourse__department_id__in=own_and_above)
    admin = Q(racecourse__admins=user)
    shared = Q(visibility=Visibility.EVERYONE) | Q(
        Q(visibility=Visibility.RACECOURSE) & (audience | admin)
    )
    if user.is_evaluator:
        shared |= Q(visibility=Visibility.CONFIDENTIAL)
    if user.is_mentor:
        # A team's trainer, now or before, reads its idea whatever its visibility.
        member |= Q(
            trainer_assignments__trainer__user=user,
            trainer_assignments__status__in=["active", "ended"],
        )
    return member | invited | (~Q(stage=Stage.DRAFT) & shared)


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
        qs = qs.filter(
            Q(title__icontains=search)
            | Q(pitch__icontains=search)
            | Q(problem__icontains=search)
        )
    visible_ids = Idea.objects.filter(_visible_q(user)).values("pk")
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


def idea_get_visible(*, user, pk: int) -> Idea:
    """The idea with everything its page needs, or 404 if the user may not see it."""
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
    visible_ids = Idea.objects.filter(_visible_q(user)).values("pk")
    return dict(
        Idea.objects.filter(racecourse=racecourse, pk__in=visible_ids)
        .exclude(stage=Stage.DRAFT)
        .order_by()
        .values_list("stage")
        .annotate(n=Count("pk"))
    )
