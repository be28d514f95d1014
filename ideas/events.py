"""The ideas' notification events: teams, invitations, stage changes,
promotions and access to confidential or anonymous ideas.

Each event says in its docstring who is told; the service that makes it
happen sends it (``event_send``). Names and titles are captured when the event
is sent, to people who could read them then; stages are stored as codes and
read in the reader's language. Registered when ``ideas`` is ready.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from contests.models import WindowStage
from horserace.common.notes import note_text
from horserace.notifications.events import Event, register

from .models import Stage

_TEAM = {"who": "Ada Lovelace", "idea": "Solar roofs"}


@register
class TeamInvited(Event):
    """To the invitee; the body is the inviter's message."""

    kind = "ideas.team.invited"
    params = ("invitation", "who", "idea", "message")
    key = ("invitation",)
    subject = _("{who} invites you to join the team of “{idea}”")
    body = "{message}"
    example = {**_TEAM, "invitation": 1, "message": "Join us!"}


@register
class TeamInvitationAccepted(Event):
    """To the captains."""

    kind = "ideas.team.invitation_accepted"
    params = ("invitation", "who", "idea")
    key = ("invitation",)
    subject = _("{who} joined the team of “{idea}”")
    example = {**_TEAM, "invitation": 1}


@register
class TeamInvitationDeclined(Event):
    """To whoever sent the invitation."""

    kind = "ideas.team.invitation_declined"
    params = ("invitation", "who", "idea")
    key = ("invitation",)
    subject = _("{who} declined to join “{idea}”")
    email = False
    example = {**_TEAM, "invitation": 1}


@register
class TeamJoinRequested(Event):
    """To the captains; the body is the requester's message."""

    kind = "ideas.team.join_requested"
    params = ("join_request", "who", "idea", "message")
    key = ("join_request",)
    subject = _("{who} asks to join the team of “{idea}”")
    body = "{message}"
    example = {**_TEAM, "join_request": 1, "message": "I can help."}


@register
class TeamJoinAccepted(Event):
    """To the requester."""

    kind = "ideas.team.join_accepted"
    params = ("join_request", "idea")
    key = ("join_request",)
    subject = _("You are now on the team of “{idea}”")
    example = {"join_request": 1, "idea": "Solar roofs"}


@register
class TeamJoinDeclined(Event):
    """To the requester."""

    kind = "ideas.team.join_declined"
    params = ("join_request", "idea")
    key = ("join_request",)
    subject = _("Your request to join “{idea}” was declined")
    email = False
    example = {"join_request": 1, "idea": "Solar roofs"}


@register
class TeamMemberLeft(Event):
    """To the captains (``membership``: the id of the membership that ended)."""

    kind = "ideas.team.member_left"
    params = ("membership", "who", "idea")
    key = ("membership",)
    subject = _("{who} left the team of “{idea}”")
    email = False
    example = {**_TEAM, "membership": 1}


@register
class TeamMemberRemoved(Event):
    """To the member removed (``membership``: the id of the one that ended)."""

    kind = "ideas.team.member_removed"
    params = ("membership", "idea")
    key = ("membership",)
    subject = _("You were removed from the team of “{idea}”")
    example = {"membership": 1, "idea": "Solar roofs"}


@register
class TeamCaptaincyGiven(Event):
    """To the new captain. Captaincy can come back: every send is new."""

    kind = "ideas.team.captaincy_given"
    params = ("idea",)
    subject = _("You are now captain of “{idea}”")
    example = {"idea": "Solar roofs"}


@register
class StageChanged(Event):
    """To the team but whoever moved the idea; the body is the reason."""

    kind = "ideas.stage.changed"
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


@register
class IdeaPromoted(Event):
    """To the team; the body is the reason."""

    kind = "ideas.idea.promoted"
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


@register
class IdeaOpened(Event):
    """To the team of a confidential idea HR or an admin opened."""

    kind = "ideas.access.opened"
    params = ("access", "who", "idea", "reason")
    key = ("access",)
    subject = _("{who} opened your confidential idea “{idea}”")
    body = "{reason}"
    example = {**_TEAM, "access": 1, "reason": "Audit."}


@register
class TeamUnmasked(Event):
    """To the team of an anonymous idea whose team HR unmasked."""

    kind = "ideas.access.unmasked"
    params = ("access", "who", "idea", "reason")
    key = ("access",)
    subject = _("{who} unmasked the team of your anonymous idea “{idea}”")
    body = "{reason}"
    example = {**_TEAM, "access": 1, "reason": "Audit."}


# --- Reminders (sent by the periodic tasks of ``ideas.tasks``) ----------------


@register
class WindowClosingSoon(Event):
    """To the active members of the teams whose ideas a window closing within a
    day concerns (``ideas.reminders``). Once per window and person a day."""

    kind = "ideas.window.closing_soon"
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


#: The kinds of requests ``ApprovalsWaiting`` counts.
APPROVAL_KINDS = (
    "resource_requests",
    "trainer_requests",
    "tranche_reviews",
    "time_allocations",
)


@register
class ApprovalsWaiting(Event):
    """To the approvers (racecourse admins, HR, a member's manager) with
    requests older than a day (``ideas.reminders``): a count only, no idea's
    content. Once per kind of request and person a day."""

    kind = "ideas.approvals.waiting"
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
