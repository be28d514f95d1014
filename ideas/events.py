"""The ideas' notification events: teams, invitations, stage changes,
promotions, access to confidential or anonymous ideas, and reminders.

Each event says who is told (``recipients``, from what the event is about)
and what it takes; the service that makes it happen sends it
(``event_send(Event, about=..., url=..., **params)``). Names and titles are
captured when the event is sent, to people who could read them then; stages
are stored as codes and read in the reader's language. Registered when
``ideas`` is ready.
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from contests.models import StageWindow, WindowStage
from horserace.common.notes import note_text
from horserace.notifications.events import Event, ToPeople, register, register_area

from .models import (
    Idea,
    IdeaAccess,
    JoinRequest,
    Stage,
    StageTransition,
    TeamInvitation,
    TeamMembership,
)
from .people import captains_of, team_of

register_area("ideas.team", _("Teams"))
register_area("ideas.stage", _("Your ideas"))
register_area("ideas.idea", _("Your ideas"))
register_area("ideas.access", _("Confidential ideas"))
register_area("ideas.approvals", _("Requests to approve"))
register_area("ideas.window", _("Deadlines"))

#: The ideas whose teams a closing window concerns, by the window's stage
#: (``WindowClosingSoon``). Evaluation is left out: its teams have nothing
#: left to do.
TEAM_STAGE = {
    WindowStage.REGISTRATION: Stage.DRAFT,
    WindowStage.SCREENING: Stage.SCREENING,
    WindowStage.GESTATION: Stage.GESTATION,
}

_TEAM = {"who": "Ada Lovelace", "idea": "Solar roofs"}


@register
class TeamInvited(Event):
    """To the invitee; the body is the inviter's message."""

    kind = "ideas.team.invited"
    label = _("An invitation to join a team")
    params = ("invitation", "who", "idea", "message")
    key = ("invitation",)
    subject = _("{who} invites you to join the team of “{idea}”")
    body = "{message}"
    example = {**_TEAM, "invitation": 1, "message": "Join us!"}

    @classmethod
    def recipients(cls, invitation: TeamInvitation):
        return [invitation.invitee]


@register
class TeamInvitationAccepted(Event):
    """To the captains."""

    kind = "ideas.team.invitation_accepted"
    label = _("An invitation was accepted")
    params = ("invitation", "who", "idea")
    key = ("invitation",)
    subject = _("{who} joined the team of “{idea}”")
    example = {**_TEAM, "invitation": 1}

    @classmethod
    def recipients(cls, invitation: TeamInvitation):
        return captains_of(invitation.idea)


@register
class TeamInvitationDeclined(Event):
    """To whoever sent the invitation."""

    kind = "ideas.team.invitation_declined"
    label = _("An invitation was declined")
    params = ("invitation", "who", "idea")
    key = ("invitation",)
    subject = _("{who} declined to join “{idea}”")
    email = False
    example = {**_TEAM, "invitation": 1}

    @classmethod
    def recipients(cls, invitation: TeamInvitation):
        return [invitation.invited_by]


@register
class TeamJoinRequested(Event):
    """To the captains; the body is the requester's message."""

    kind = "ideas.team.join_requested"
    label = _("Someone asks to join your team")
    params = ("join_request", "who", "idea", "message")
    key = ("join_request",)
    subject = _("{who} asks to join the team of “{idea}”")
    body = "{message}"
    example = {**_TEAM, "join_request": 1, "message": "I can help."}

    @classmethod
    def recipients(cls, join_request: JoinRequest):
        return captains_of(join_request.idea)


@register
class TeamJoinAccepted(Event):
    """To the requester."""

    kind = "ideas.team.join_accepted"
    label = _("Your request to join was accepted")
    params = ("join_request", "idea")
    key = ("join_request",)
    subject = _("You are now on the team of “{idea}”")
    example = {"join_request": 1, "idea": "Solar roofs"}

    @classmethod
    def recipients(cls, join_request: JoinRequest):
        return [join_request.requester]


@register
class TeamJoinDeclined(Event):
    """To the requester."""

    kind = "ideas.team.join_declined"
    label = _("Your request to join was declined")
    params = ("join_request", "idea")
    key = ("join_request",)
    subject = _("Your request to join “{idea}” was declined")
    email = False
    example = {"join_request": 1, "idea": "Solar roofs"}

    @classmethod
    def recipients(cls, join_request: JoinRequest):
        return [join_request.requester]


@register
class TeamMemberLeft(Event):
    """To the captains (``membership``: the id of the membership that ended)."""

    kind = "ideas.team.member_left"
    label = _("A member left your team")
    params = ("membership", "who", "idea")
    key = ("membership",)
    subject = _("{who} left the team of “{idea}”")
    email = False
    example = {**_TEAM, "membership": 1}

    @classmethod
    def recipients(cls, membership: TeamMembership):
        return captains_of(membership.idea)


@register
class TeamMemberRemoved(Event):
    """To the member removed (``membership``: the id of the one that ended)."""

    kind = "ideas.team.member_removed"
    label = _("You were removed from a team")
    params = ("membership", "idea")
    key = ("membership",)
    subject = _("You were removed from the team of “{idea}”")
    example = {"membership": 1, "idea": "Solar roofs"}

    @classmethod
    def recipients(cls, membership: TeamMembership):
        return [membership.user]


@register
class TeamCaptaincyGiven(Event):
    """To the new captain. Captaincy can come back: every send is new."""

    kind = "ideas.team.captaincy_given"
    label = _("You became a captain")
    params = ("idea",)
    subject = _("You are now captain of “{idea}”")
    example = {"idea": "Solar roofs"}

    @classmethod
    def recipients(cls, membership: TeamMembership):
        return [membership.user]


@register
class StageChanged(Event):
    """To the team but whoever moved the idea; the body is the reason."""

    kind = "ideas.stage.changed"
    label = _("Your idea moved to another stage")
    params = ("transition", "idea", "stage", "reason", "reason_note")
    key = ("transition",)
    subject = _("“{idea}” is now at stage: {stage}")
    body = "{reason}"
    example = {"transition": 1, "idea": "Solar roofs", "stage": "screening"} | {
        "reason": "Registration closed.",
        "reason_note": "",
    }

    @classmethod
    def context(cls, params):
        stage = params["stage"]
        label = Stage(stage).label if stage in Stage.values else stage
        # A system note is read in the reader's language (horserace.common.notes);
        # notifications sent before notes carry no reason_note.
        reason = note_text(params.get("reason_note"), params.get("reason", ""))
        return {**params, "stage": label, "reason": reason}

    @classmethod
    def recipients(cls, transition: StageTransition):
        return [u for u in team_of(transition.idea) if u.pk != transition.actor_id]


@register
class IdeaPromoted(Event):
    """To the team; the body is the reason."""

    kind = "ideas.idea.promoted"
    label = _("Your idea was promoted")
    params = ("idea_id", "racecourse_id", "idea", "racecourse", "reason")
    key = ("idea_id", "racecourse_id")
    subject = _("“{idea}” moved up to {racecourse}")
    body = "{reason}"
    example = {
        "idea_id": 1,
        "racecourse_id": 2,
        "idea": "Solar roofs",
        "racecourse": "Main",
        "reason": "Best of its track.",
    }

    @classmethod
    def recipients(cls, idea: Idea):
        return team_of(idea)


@register
class IdeaOpened(Event):
    """To the team of a confidential idea HR or an admin opened."""

    kind = "ideas.access.opened"
    label = _("HR or an admin opened your confidential idea")
    params = ("access", "who", "idea", "reason")
    key = ("access",)
    subject = _("{who} opened your confidential idea “{idea}”")
    body = "{reason}"
    example = {**_TEAM, "access": 1, "reason": "Audit."}

    @classmethod
    def recipients(cls, access: IdeaAccess):
        return team_of(access.idea)


@register
class TeamUnmasked(Event):
    """To the team of an anonymous idea whose team HR unmasked."""

    kind = "ideas.access.unmasked"
    label = _("Your anonymous team was unmasked")
    params = ("access", "who", "idea", "reason")
    key = ("access",)
    subject = _("{who} unmasked the team of your anonymous idea “{idea}”")
    body = "{reason}"
    example = {**_TEAM, "access": 1, "reason": "Audit."}

    # --- Reminders (sent by the periodic tasks of ``ideas.tasks``) ----------------

    @classmethod
    def recipients(cls, access: IdeaAccess):
        return team_of(access.idea)


@register
class WindowClosingSoon(Event):
    """To the active members of the teams whose ideas the window (``about``),
    closing within a day, concerns (``ideas.reminders``). Once per window and
    person a day."""

    kind = "ideas.window.closing_soon"
    label = _("A stage of your team’s idea closes within a day")
    params = ("window", "day", "racecourse", "stage")
    key = ("window", "day")
    subject = _("The {stage} window of {racecourse} closes within 24 hours")
    body = _("Check that your team has done what this stage asks before it closes.")
    example = {"window": 1, "day": "2026-12-07", "racecourse": "Main"}
    example = example | {"stage": "screening"}

    @classmethod
    def context(cls, params):
        stage = params["stage"]
        label = WindowStage(stage).label if stage in WindowStage.values else stage
        return {**params, "stage": label}

    @classmethod
    def recipients(cls, window: StageWindow):
        stage = TEAM_STAGE[WindowStage(window.stage)]
        ideas = Idea.objects.filter(racecourse_id=window.racecourse_id, stage=stage)
        return (
            get_user_model()
            .objects.filter(is_active=True, memberships__idea__in=ideas.values("pk"))
            .distinct()
            .only("pk", "email", "locale")
        )


#: The kinds of requests ``ApprovalsWaiting`` counts.
APPROVAL_KINDS = (
    "resource_requests",
    "trainer_requests",
    "tranche_reviews",
    "time_allocations",
)


@register
class ApprovalsWaiting(ToPeople):
    """To the approvers (racecourse admins, HR, a member's manager) with
    requests older than a day (``ideas.reminders``): a count only, no idea's
    content. ``about`` is the approvers with this ``n`` (each person's count
    is theirs: the reminder's query chooses them). Once per kind of request
    and person a day."""

    kind = "ideas.approvals.waiting"
    label = _("Approvals waiting for you")
    params = ("what", "n", "day")
    key = ("what", "day")
    example = {"what": "resource_requests", "n": 2, "day": "2026-12-07"}

    @classmethod
    def render_subject(cls, params):
        n = params["n"]
        if params["what"] == "resource_requests":
            text = ngettext(
                "You have {n} resource request waiting for your decision for over a day",
                "You have {n} resource requests waiting for your decision for over a day",
                n,
            )
        elif params["what"] == "trainer_requests":
            text = ngettext(
                "{n} team has been waiting for a trainer for over a day",
                "{n} teams have been waiting for a trainer for over a day",
                n,
            )
        elif params["what"] == "tranche_reviews":
            text = ngettext(
                "{n} milestone review has been waiting for your decision for over a day",
                "{n} milestone reviews have been waiting for your decision for over a day",
                n,
            )
        else:
            text = ngettext(
                "{n} time allocation has been waiting for your approval for over a day",
                "{n} time allocations have been waiting for your approval for over a day",
                n,
            )
        return text.format(n=n)
