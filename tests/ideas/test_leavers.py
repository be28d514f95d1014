"""A person who leaves the company: what they held in ideas is handed over.

``horserace.accounts.leavers.person_leave`` is the door; ideas registers
``ideas.leavers.idea_person_leave`` into it when the app is ready.
"""

import pytest

from horserace.accounts import leavers
from horserace.accounts.leavers import person_leave
from horserace.notifications.models import Notification
from ideas.gestation.services.trainers import trainer_assign
from ideas.leavers import idea_person_leave
from ideas.models import (
    Idea,
    RequestStatus,
    Stage,
    TeamInvitation,
    TeamMembership,
    TrainerAssignment,
)
from ideas.realization.services.allocations import time_allocation_propose
from ideas.services.teams import join_request_create, team_invite
from tests.factories import UserFactory, idea_in_stage, open_racecourse
from tests.factories_gestation import add_member, gestating_idea, trainer_for
from tests.factories_realization import realization_world

pytestmark = pytest.mark.django_db

CAPTAIN = TeamMembership.Role.CAPTAIN


def _idea(**kwargs):
    return idea_in_stage(
        Stage.REGISTERED, racecourse=open_racecourse(team_size_limit=4), **kwargs
    )


def _captain(idea):
    return TeamMembership.objects.get(idea=idea, role=CAPTAIN).user


def _kinds(handovers):
    return {(h.kind, h.to_user_id) for h in handovers}


def test_ideas_registers_its_handler():
    assert idea_person_leave in leavers.handlers()


def test_captaincy_goes_to_the_member_who_joined_first():
    idea = _idea()
    leaver = idea.author
    first, second = add_member(idea), add_member(idea)
    asker = UserFactory()
    join_request_create(idea=idea, actor=asker)
    handovers = person_leave(user=leaver, actor=None)
    assert _captain(idea) == first
    assert ("captaincy", first.pk) in _kinds(handovers)
    # The join request waiting for the captain is now the new captain's.
    assert ("join_request", first.pk) in _kinds(handovers)
    # The leaver stays on the team as a member; the idea stays theirs.
    assert TeamMembership.objects.get(idea=idea, user=leaver).role == "member"
    assert Idea.objects.get(pk=idea.pk).author == leaver
    assert second in [m.user for m in idea.memberships.all()]
    assert Notification.objects.filter(
        recipient=first, kind="ideas.team.captaincy_given"
    ).exists()
    leaver.refresh_from_db()
    assert not leaver.is_active


def test_a_lone_captains_team_goes_to_their_manager():
    manager = UserFactory()
    leaver = UserFactory(manager=manager)
    idea = _idea(author=leaver)
    handovers = person_leave(user=leaver, actor=None)
    assert _captain(idea) == manager
    assert _kinds(handovers) == {("captaincy", manager.pk)}


def test_a_named_successor_comes_before_the_manager():
    leaver = UserFactory(manager=UserFactory())
    successor = UserFactory()
    idea = _idea(author=leaver)
    person_leave(user=leaver, actor=None, successor=successor)
    assert _captain(idea) == successor


def test_with_nobody_to_take_it_the_captaincy_is_reported():
    leaver = UserFactory()
    idea = _idea(author=leaver)
    handovers = person_leave(user=leaver, actor=None)
    assert _kinds(handovers) == {("captaincy", None)}
    assert "appoint a captain" in handovers[0].note
    assert _captain(idea) == leaver


def test_an_inactive_member_is_not_made_captain():
    idea = _idea(author=UserFactory(manager=UserFactory()))
    gone = add_member(idea)
    person_leave(user=gone, actor=None)
    person_leave(user=idea.author, actor=None)
    assert _captain(idea) == idea.author.manager


def test_the_leavers_own_requests_are_closed():
    leaver = UserFactory()
    wanted = _idea()
    asked = _idea()
    invitation = team_invite(idea=wanted, actor=wanted.author, invitee=leaver)
    join = join_request_create(idea=asked, actor=leaver)
    handovers = person_leave(user=leaver, actor=None)
    invitation.refresh_from_db()
    join.refresh_from_db()
    assert invitation.status == RequestStatus.CANCELLED
    assert join.status == RequestStatus.CANCELLED
    assert _kinds(handovers) == {("invitation", None), ("join_request", None)}


def test_invitations_the_captain_sent_are_reported_to_the_new_captain():
    idea = _idea()
    member = add_member(idea)
    team_invite(idea=idea, actor=idea.author, invitee=UserFactory())
    handovers = person_leave(user=idea.author, actor=None)
    assert ("invitation", member.pk) in _kinds(handovers)
    assert TeamInvitation.objects.filter(
        idea=idea, status=RequestStatus.PENDING
    ).exists()


def test_a_trainer_who_leaves_ends_their_assignment():
    idea = gestating_idea()
    trainer = trainer_for(idea)
    hr = UserFactory(is_hr_admin=True)
    assignment = trainer_assign(idea=idea, actor=hr, trainer=trainer)
    handovers = person_leave(user=trainer.user, actor=hr)
    assignment.refresh_from_db()
    assert assignment.status == TrainerAssignment.Status.ENDED
    assert _kinds(handovers) == {("trainer_assignment", None)}


def test_time_allocations_waiting_for_the_leaver_go_to_the_successor():
    w = realization_world()
    allocation = time_allocation_propose(
        idea=w.idea, actor=w.captain, member=w.member, share=20
    )
    boss = UserFactory()
    w.manager.manager = boss
    w.manager.save()
    handovers = person_leave(user=w.manager, actor=w.hr)
    allocation.refresh_from_db()
    assert allocation.manager == boss
    assert ("time_allocation", boss.pk) in _kinds(handovers)


def test_finished_ideas_keep_their_captain():
    leaver = UserFactory(manager=UserFactory())
    idea = idea_in_stage(Stage.WITHDRAWN, author=leaver)
    assert person_leave(user=leaver, actor=None) == []
    assert _captain(idea) == leaver


def test_leaving_twice_does_nothing_more():
    idea = _idea()
    member = add_member(idea)
    assert person_leave(user=idea.author, actor=None)
    assert person_leave(user=idea.author, actor=None) == []
    assert _captain(idea) == member


def test_a_leaver_pushed_by_scim_hands_over_through_the_same_door():
    """An identity provider's ``active: false`` is a leaver like the import's."""
    from tests.horserace.accounts.test_scim import PATCH_OP, Scim, token_for

    idea = _idea()
    leaver = idea.author
    member = add_member(idea)
    scim = Scim(token_for(UserFactory(is_provisioner=True)))
    response = scim.call(
        "patch",
        f"Users/{leaver.scim_id}",
        {
            "schemas": [PATCH_OP],
            "Operations": [{"op": "replace", "path": "active", "value": False}],
        },
    )
    assert response.status_code == 200, response.content
    assert response.data["active"] is False
    assert _captain(idea) == member
    leaver.refresh_from_db()
    assert not leaver.is_active
