"""Teams: invitations, join requests, leaving and handing over captaincy.

Changes to one team lock the idea's row, so two colleagues accepting the last
free seat at the same moment cannot both get it.

Lock order. Every service here takes its row locks in one order, so two of
them racing on the same team wait for each other instead of deadlocking:

1. the idea's row, through ``lock_idea``; with ``season=True`` (every change
   that adds a member or counts seats) the same statement also locks its
   racecourse and season rows;
2. then the one invitation or join request being answered, and only that row
   (``_lock_pending`` locks ``of=("self",)``: a plain ``select_for_update``
   with ``select_related("idea")`` would lock the idea too, out of order);
3. then memberships and the other requests of that idea, which ``_add_member``
   writes.

Answering a request never locks the request before its idea: accepting an
invitation while the captain cancels it (or while the invitee declines it in
another tab) used to lock idea → invitation on one side and invitation →
idea on the other, and PostgreSQL aborted one of them with a deadlock.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contests.models import Season
from horserace.accounts.models import User
from horserace.notifications.services import event_send
from ideas import events

from .. import lifecycles
from ..funnel import FINAL
from ..models import Idea, JoinRequest, RequestStatus, TeamInvitation, TeamMembership
from .common import lock_idea, require


def check_team_limit_per_person(*, user, season: Season) -> None:
    """Refuse a new team when the person is already on the season's maximum."""
    count = (
        TeamMembership.objects.filter(user=user, idea__racecourse__season=season)
        .filter(idea__in=Idea.objects.active())
        .count()
    )
    if count >= season.teams_per_person:
        raise ValidationError(
            _(
                "%(name)s is already on %(count)d teams this season, the most "
                "one person may join."
            )
            % {"name": user, "count": count},
            code="team_limit_per_person",
        )


def _check_seat(idea: Idea) -> None:
    limit = idea.racecourse.team_size_limit
    if idea.memberships.count() >= limit:
        raise ValidationError(
            _("The team is full (at most %(limit)d people on this racecourse).")
            % {"limit": limit},
            code="team_full",
        )


def _add_member(idea: Idea, user: User, actor: User) -> TeamMembership:
    if idea.memberships.filter(user=user).exists():
        raise ValidationError(_("%(name)s is already on the team.") % {"name": user})
    _check_seat(idea)
    check_team_limit_per_person(user=user, season=idea.racecourse.season)
    membership = TeamMembership.objects.create(
        idea=idea, user=user, role=TeamMembership.Role.MEMBER
    )
    # Any other open request between this person and this team is now moot.
    # The idea is locked; these rows come third in the lock order.
    now = timezone.now()
    pending: list[TeamInvitation | JoinRequest] = [
        *TeamInvitation.objects.select_for_update(of=("self",))
        .filter(idea=idea, invitee=user, status=RequestStatus.PENDING)
        .order_by("pk"),
        *JoinRequest.objects.select_for_update(of=("self",))
        .filter(idea=idea, requester=user, status=RequestStatus.PENDING)
        .order_by("pk"),
    ]
    for request in pending:
        request.responded_at = now
        lifecycles.move(request, "accept", actor=actor, update_fields=["responded_at"])
    return membership


@transaction.atomic
def team_invite(
    *, idea: Idea, actor: User, invitee, message: str = ""
) -> TeamInvitation:
    """The captain invites a colleague; the colleague is notified."""
    idea = lock_idea(idea, season=True)
    require(actor, "ideas.manage_team", idea)
    if invitee.pk == actor.pk or idea.memberships.filter(user=invitee).exists():
        raise ValidationError(
            {"invitee": _("%(name)s is already on the team.") % {"name": invitee}}
        )
    if not invitee.is_active:
        raise ValidationError({"invitee": _("This account is not active.")})
    if TeamInvitation.objects.filter(
        idea=idea, invitee=invitee, status=RequestStatus.PENDING
    ).exists():
        raise ValidationError(
            {"invitee": _("%(name)s has already been invited.") % {"name": invitee}}
        )
    _check_seat(idea)
    invitation = TeamInvitation.objects.create(
        idea=idea, invitee=invitee, invited_by=actor, message=message.strip()
    )
    event_send(
        events.TeamInvited,
        about=invitation,
        url=idea.get_absolute_url(),
        invitation=invitation.pk,
        who=str(actor),
        idea=idea.title,
        message=message,
    )
    return invitation


def _lock_pending(model, obj, *, season: bool = False):
    """Lock ``obj``'s idea, then ``obj`` itself; refuse unless it is pending.

    Returns ``(idea, obj)``, both read afresh. The idea comes first: see the
    lock order in the module docstring.
    """
    idea = lock_idea(Idea(pk=obj.idea_id), season=season)
    obj = model.objects.select_for_update(of=("self",)).get(pk=obj.pk)
    obj.idea = idea
    if obj.status != RequestStatus.PENDING:
        raise ValidationError(
            _("This has already been answered (%(status)s).")
            % {"status": obj.get_status_display()},
            code="not_pending",
        )
    return idea, obj


@transaction.atomic
def invitation_accept(*, invitation: TeamInvitation, actor: User) -> TeamMembership:
    idea, invitation = _lock_pending(TeamInvitation, invitation, season=True)
    if invitation.invitee_id != actor.pk:
        raise PermissionDenied(_("This invitation is for someone else."))
    if idea.stage in FINAL:
        raise ValidationError(_("This idea is no longer in the race."))
    membership = _add_member(idea, actor, actor)
    event_send(
        events.TeamInvitationAccepted,
        about=invitation,
        url=idea.get_absolute_url(),
        invitation=invitation.pk,
        who=str(actor),
        idea=idea.title,
    )
    return membership


@transaction.atomic
def invitation_decline(*, invitation: TeamInvitation, actor: User) -> TeamInvitation:
    assignment_idea, invitation = _lock_pending(TeamInvitation, invitation)
    if invitation.invitee_id != actor.pk:
        raise PermissionDenied(_("This invitation is for someone else."))
    invitation.responded_at = timezone.now()
    lifecycles.move(invitation, "decline", actor=actor, update_fields=["responded_at"])
    event_send(
        events.TeamInvitationDeclined,
        about=invitation,
        url=invitation.idea.get_absolute_url(),
        invitation=invitation.pk,
        who=str(actor),
        idea=invitation.idea.title,
    )
    return invitation


@transaction.atomic
def invitation_cancel(*, invitation: TeamInvitation, actor: User) -> TeamInvitation:
    assignment_idea, invitation = _lock_pending(TeamInvitation, invitation)
    require(actor, "ideas.manage_team", invitation.idea)
    invitation.responded_at = timezone.now()
    lifecycles.move(invitation, "cancel", actor=actor, update_fields=["responded_at"])
    return invitation


@transaction.atomic
def join_request_create(*, idea: Idea, actor: User, message: str = "") -> JoinRequest:
    """A colleague asks to join; the captain is notified."""
    idea = lock_idea(idea, season=True)
    require(
        actor,
        "ideas.request_join",
        idea,
        _("You cannot ask to join this team."),
    )
    if JoinRequest.objects.filter(
        idea=idea, requester=actor, status=RequestStatus.PENDING
    ).exists():
        raise ValidationError(_("You have already asked to join this team."))
    check_team_limit_per_person(user=actor, season=idea.racecourse.season)
    join_request = JoinRequest.objects.create(
        idea=idea, requester=actor, message=message.strip()
    )
    event_send(
        events.TeamJoinRequested,
        about=join_request,
        url=idea.get_absolute_url(),
        join_request=join_request.pk,
        who=str(actor),
        idea=idea.title,
        message=message,
    )
    return join_request


@transaction.atomic
def join_request_accept(*, join_request: JoinRequest, actor: User) -> TeamMembership:
    idea, join_request = _lock_pending(JoinRequest, join_request, season=True)
    require(actor, "ideas.manage_team", idea)
    membership = _add_member(idea, join_request.requester, actor)
    JoinRequest.objects.filter(pk=join_request.pk).update(decided_by=actor)
    event_send(
        events.TeamJoinAccepted,
        about=join_request,
        url=idea.get_absolute_url(),
        join_request=join_request.pk,
        idea=idea.title,
    )
    return membership


@transaction.atomic
def join_request_decline(*, join_request: JoinRequest, actor: User) -> JoinRequest:
    assignment_idea, join_request = _lock_pending(JoinRequest, join_request)
    require(actor, "ideas.manage_team", join_request.idea)
    join_request.decided_by = actor
    join_request.responded_at = timezone.now()
    lifecycles.move(
        join_request,
        "decline",
        actor=actor,
        update_fields=["decided_by", "responded_at"],
    )
    event_send(
        events.TeamJoinDeclined,
        about=join_request,
        url=join_request.idea.get_absolute_url(),
        join_request=join_request.pk,
        idea=join_request.idea.title,
    )
    return join_request


@transaction.atomic
def join_request_withdraw(*, join_request: JoinRequest, actor: User) -> JoinRequest:
    assignment_idea, join_request = _lock_pending(JoinRequest, join_request)
    if join_request.requester_id != actor.pk:
        raise PermissionDenied(_("Only the person who asked can withdraw the request."))
    join_request.responded_at = timezone.now()
    lifecycles.move(
        join_request, "withdraw", actor=actor, update_fields=["responded_at"]
    )
    return join_request


@transaction.atomic
def team_leave(*, idea: Idea, actor: User) -> None:
    """A member leaves. The captain must hand over captaincy first."""
    idea = lock_idea(idea, season=True)
    membership = idea.memberships.filter(user=actor).first()
    if membership is None:
        raise ValidationError(_("You are not on this team."))
    if membership.role == TeamMembership.Role.CAPTAIN:
        raise ValidationError(
            _("Hand over captaincy to a team member before you leave.")
        )
    ended = membership.pk
    membership.delete()
    event_send(
        events.TeamMemberLeft,
        about=membership,
        url=idea.get_absolute_url(),
        membership=ended,
        who=str(actor),
        idea=idea.title,
    )


@transaction.atomic
def team_remove_member(*, idea: Idea, actor: User, user) -> None:
    idea = lock_idea(idea, season=True)
    require(actor, "ideas.manage_team", idea)
    membership = idea.memberships.filter(user=user).first()
    if membership is None:
        raise ValidationError(_("%(name)s is not on the team.") % {"name": user})
    if membership.role == TeamMembership.Role.CAPTAIN:
        raise ValidationError(_("The captain cannot be removed."))
    ended = membership.pk
    membership.delete()
    event_send(
        events.TeamMemberRemoved,
        about=membership,
        url=idea.get_absolute_url(),
        membership=ended,
        idea=idea.title,
    )


@transaction.atomic
def team_transfer_captaincy(*, idea: Idea, actor: User, to_user) -> TeamMembership:
    """Hand the captaincy to another member; the old captain stays a member."""
    idea = lock_idea(idea, season=True)
    require(actor, "ideas.manage_team", idea)
    new = idea.memberships.filter(user=to_user).first()
    if new is None:
        raise ValidationError(
            {"user": _("%(name)s is not on the team.") % {"name": to_user}}
        )
    if new.role == TeamMembership.Role.CAPTAIN:
        return new
    # Demote first: the one-captain constraint holds at every statement.
    idea.memberships.filter(role=TeamMembership.Role.CAPTAIN).update(
        role=TeamMembership.Role.MEMBER
    )
    new.role = TeamMembership.Role.CAPTAIN
    new.save(update_fields=["role", "updated_at"])
    event_send(
        events.TeamCaptaincyGiven,
        about=new,
        url=idea.get_absolute_url(),
        idea=idea.title,
    )
    return new
