"""The people an event declares (``Event.recipients``) are exactly who is told.

The services say what happened (``about``); the event chooses the people.
"""

import pytest

from horserace.notifications.models import Notification
from ideas import funnel
from ideas.discussion import events as discussion_events
from ideas.discussion.services import comment_post, follow_set
from ideas.events import StageChanged, TeamInvitationAccepted, TeamInvited
from ideas.models import Stage, StageTransition
from ideas.notifications import stage_change_notify_team
from ideas.services.teams import invitation_accept, team_invite
from tests.factories import UserFactory, draft_with_members, idea_draft

from .discussion.helpers import idea_with_team

pytestmark = pytest.mark.django_db


def _told(kind):
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True)
    )


def _ids(people):
    return sorted(u.pk for u in people)


def test_an_invitation_tells_the_invitee_only():
    idea = idea_draft(title="Cold chain")
    bystander, invitee = UserFactory(), UserFactory()
    invitation = team_invite(idea=idea, actor=idea.author, invitee=invitee)

    assert list(TeamInvited.recipients(invitation)) == [invitee]
    assert _told(TeamInvited.kind) == [invitee.pk]
    assert bystander.pk not in _told(TeamInvited.kind)

    invitation_accept(invitation=invitation, actor=invitee)
    assert list(TeamInvitationAccepted.recipients(invitation)) == [idea.author]
    assert _told(TeamInvitationAccepted.kind) == [idea.author.pk]


def test_a_stage_change_tells_the_team_but_whoever_made_it():
    idea, members = draft_with_members()
    funnel.idea_transition(
        idea=idea, to=Stage.WITHDRAWN, actor=members[0], reason="Pausing"
    )
    transition = StageTransition.objects.filter(idea=idea).last()

    declared = _ids(StageChanged.recipients(transition))
    assert declared == _ids([idea.author, members[1]])
    assert stage_change_notify_team(transition_id=transition.pk) == 2
    assert _told(StageChanged.kind) == declared


def test_a_comment_tells_each_person_once_by_the_first_reason():
    """Mentioned, then the author answered, then the team and followers; the
    writer never."""
    idea, captain, member = idea_with_team()
    fan = UserFactory()
    follow_set(actor=fan, idea=idea, on=True)
    first = comment_post(idea=idea, actor=fan, body="Nice")
    Notification.objects.all().delete()

    comment_post(idea=idea, actor=member, body="Thanks @zed, see above", parent=first)

    assert _told(discussion_events.CommentMentioned.kind) == [captain.pk]
    assert _told(discussion_events.CommentReplied.kind) == [fan.pk]
    assert _told(discussion_events.CommentPosted.kind) == []
    assert member.pk not in {n.recipient_id for n in Notification.objects.all()}
