"""Shared by the discussion's tests: an idea with a team, people, notes."""

from horserace.notifications.models import Notification
from ideas.models import Stage
from ideas.services.teams import invitation_accept, team_invite
from tests.factories import UserFactory, idea_in_stage


def idea_with_team(stage=Stage.REGISTERED, *, first=True, **kwargs):
    """A registered idea with a captain and one member (the first such idea
    of a test has the well-known names and addresses)."""
    names = {"display_name": "Captain Zed", "email": "zed@example.com"}
    captain = UserFactory(**names) if first else UserFactory()
    idea = idea_in_stage(stage, author=captain, **kwargs)
    names = {"display_name": "Member Yara", "email": "yara@example.com"}
    member = UserFactory(**names) if first else UserFactory()
    invitation_accept(
        invitation=team_invite(idea=idea, actor=captain, invitee=member), actor=member
    )
    return idea, captain, member


def notes(user, kind=None):
    qs = Notification.objects.filter(recipient=user)
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs)
