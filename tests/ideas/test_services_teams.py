"""Teams: invitations, join requests, leaving, removing and handing over captaincy."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from horserace.notifications.models import Notification
from ideas import funnel
from ideas.models import (
    JoinRequest,
    RequestStatus,
    Stage,
    TeamInvitation,
    TeamMembership,
    Visibility,
)
from ideas.services.ideas import idea_withdraw
from ideas.services.teams import (
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
from tests.factories import UserFactory, idea_draft, idea_in_stage, open_racecourse

pytestmark = pytest.mark.django_db


@pytest.fixture
def idea():
    """A registered idea on a racecourse that seats up to three people."""
    return idea_in_stage(
        Stage.REGISTERED, racecourse=open_racecourse(team_size_limit=3)
    )


@pytest.fixture
def captain(idea):
    return idea.author


def _join(idea, user=None):
    """Put a colleague on the team the way the platform does: invite, accept."""
    user = user or UserFactory()
    invitation = team_invite(idea=idea, actor=_captain_of(idea), invitee=user)
    invitation_accept(invitation=invitation, actor=user)
    return user


def _captain_of(idea):
    return idea.memberships.get(role=TeamMembership.Role.CAPTAIN).user


def _team(idea):
    return {(m.user, m.role) for m in TeamMembership.objects.filter(idea=idea)}


def _notes_for(user):
    return list(Notification.objects.filter(recipient=user))


# --- invitations ----------------------------------------------------------------------


def test_captain_invites_and_the_colleague_is_notified(
    idea, captain, django_capture_on_commit_callbacks
):
    """An invitation waits; the invitee is notified now and mailed on commit."""
    colleague = UserFactory()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        invitation = team_invite(
            idea=idea, actor=captain, invitee=colleague, message="  Join us!  "
        )

    assert invitation.status == RequestStatus.PENDING
    assert (invitation.invited_by, invitation.message) == (captain, "Join us!")
    [note] = _notes_for(colleague)
    assert idea.title in note.subject
    assert note.url == idea.get_absolute_url()
    assert [m.to for m in mail.outbox] == [[colleague.email]]


def test_accepting_an_invitation_puts_the_invitee_on_the_team(idea, captain):
    """The invitee becomes a member; the invitation is marked accepted."""
    colleague = UserFactory()
    invitation = team_invite(idea=idea, actor=captain, invitee=colleague)

    membership = invitation_accept(invitation=invitation, actor=colleague)

    assert (membership.user, membership.role) == (colleague, TeamMembership.Role.MEMBER)
    invitation.refresh_from_db()
    assert invitation.status == RequestStatus.ACCEPTED
    assert invitation.responded_at is not None
    assert any("joined" in n.subject for n in _notes_for(captain))


def test_accepting_an_invitation_settles_a_pending_join_request(idea, captain):
    """Someone invited who had also asked to join has no request left hanging."""
    colleague = UserFactory()
    join_request = join_request_create(idea=idea, actor=colleague)
    invitation = team_invite(idea=idea, actor=captain, invitee=colleague)
    invitation_accept(invitation=invitation, actor=colleague)
    join_request.refresh_from_db()
    assert join_request.status == RequestStatus.ACCEPTED


def test_declining_an_invitation_tells_the_captain(idea, captain):
    """A declined invitation is closed and the captain hears of it."""
    colleague = UserFactory()
    invitation = team_invite(idea=idea, actor=captain, invitee=colleague)

    invitation_decline(invitation=invitation, actor=colleague)

    invitation.refresh_from_db()
    assert invitation.status == RequestStatus.DECLINED
    assert invitation.responded_at is not None
    assert (colleague, TeamMembership.Role.MEMBER) not in _team(idea)
    assert any("declined" in n.subject for n in _notes_for(captain))


def test_captain_can_cancel_an_invitation(idea, captain):
    """A cancelled invitation can no longer be accepted."""
    colleague = UserFactory()
    invitation = team_invite(idea=idea, actor=captain, invitee=colleague)

    invitation_cancel(invitation=invitation, actor=captain)

    invitation.refresh_from_db()
    assert invitation.status == RequestStatus.CANCELLED
    with pytest.raises(ValidationError) as excinfo:
        invitation_accept(invitation=invitation, actor=colleague)
    assert excinfo.value.code == "not_pending"


def test_a_declined_colleague_can_be_invited_again(idea, captain):
    """Only one pending invitation per person; answered ones do not block a new one."""
    colleague = UserFactory()
    invitation_decline(
        invitation=team_invite(idea=idea, actor=captain, invitee=colleague),
        actor=colleague,
    )
    again = team_invite(idea=idea, actor=captain, invitee=colleague)
    assert again.status == RequestStatus.PENDING


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("accept", "accept"),
        ("accept", "decline"),
        ("accept", "cancel"),
        ("decline", "accept"),
        ("decline", "decline"),
        ("decline", "cancel"),
        ("cancel", "accept"),
        ("cancel", "decline"),
        ("cancel", "cancel"),
    ],
)
def test_answered_invitations_cannot_be_answered_again(idea, captain, first, second):
    """Once accepted, declined or cancelled, an invitation is closed for good."""
    colleague = UserFactory()
    invitation = team_invite(idea=idea, actor=captain, invitee=colleague)
    answer = {
        "accept": lambda: invitation_accept(invitation=invitation, actor=colleague),
        "decline": lambda: invitation_decline(invitation=invitation, actor=colleague),
        "cancel": lambda: invitation_cancel(invitation=invitation, actor=captain),
    }
    answer[first]()
    status = TeamInvitation.objects.get(pk=invitation.pk).status
    team = _team(idea)

    with pytest.raises(ValidationError) as excinfo:
        answer[second]()

    assert excinfo.value.code == "not_pending"
    assert TeamInvitation.objects.get(pk=invitation.pk).status == status
    assert _team(idea) == team


def test_only_the_invitee_may_answer(idea, captain):
    """Someone else cannot accept or decline an invitation."""
    invitation = team_invite(idea=idea, actor=captain, invitee=UserFactory())
    intruder = UserFactory()
    with pytest.raises(PermissionDenied):
        invitation_accept(invitation=invitation, actor=intruder)
    with pytest.raises(PermissionDenied):
        invitation_decline(invitation=invitation, actor=intruder)
    with pytest.raises(PermissionDenied):
        invitation_accept(invitation=invitation, actor=captain)
    assert TeamInvitation.objects.get(pk=invitation.pk).status == RequestStatus.PENDING
    assert not TeamMembership.objects.filter(idea=idea, user=intruder).exists()


def test_non_captains_cannot_invite_or_cancel(idea, captain):
    """Inviting and cancelling are the captain's, refused to members and others."""
    member = _join(idea)
    invitation = team_invite(idea=idea, actor=captain, invitee=UserFactory())
    for actor in (member, UserFactory(), UserFactory(is_hr_admin=True)):
        with pytest.raises(PermissionDenied):
            team_invite(idea=idea, actor=actor, invitee=UserFactory())
        with pytest.raises(PermissionDenied):
            invitation_cancel(invitation=invitation, actor=actor)
    assert TeamInvitation.objects.filter(idea=idea).count() == 2


def test_cannot_invite_a_team_member_or_oneself(idea, captain):
    """People already on the team are not invited."""
    member = _join(idea)
    for invitee in (member, captain):
        with pytest.raises(ValidationError) as excinfo:
            team_invite(idea=idea, actor=captain, invitee=invitee)
        assert "invitee" in excinfo.value.message_dict


def test_cannot_invite_twice_while_pending(idea, captain):
    """A second invitation while the first waits is refused."""
    colleague = UserFactory()
    team_invite(idea=idea, actor=captain, invitee=colleague)
    with pytest.raises(ValidationError):
        team_invite(idea=idea, actor=captain, invitee=colleague)
    assert TeamInvitation.objects.filter(invitee=colleague).count() == 1


def test_cannot_invite_a_deactivated_account(idea, captain):
    """People who left the company are not invited."""
    with pytest.raises(ValidationError):
        team_invite(idea=idea, actor=captain, invitee=UserFactory(is_active=False))


@pytest.mark.parametrize("stage", [Stage.WITHDRAWN, Stage.ELIMINATED])
def test_teams_of_finished_ideas_cannot_invite(stage):
    """Managing the team ends when the idea leaves the race."""
    idea = idea_in_stage(stage)
    with pytest.raises(PermissionDenied):
        team_invite(idea=idea, actor=idea.author, invitee=UserFactory())


def test_invitation_to_an_idea_that_left_the_race_cannot_be_accepted(idea, captain):
    """An invitation accepted after the idea was withdrawn is refused."""
    colleague = UserFactory()
    invitation = team_invite(idea=idea, actor=captain, invitee=colleague)
    idea_withdraw(idea=idea, actor=captain)
    with pytest.raises(ValidationError):
        invitation_accept(invitation=invitation, actor=colleague)
    assert not TeamMembership.objects.filter(idea=idea, user=colleague).exists()


# --- the team-size limit of the racecourse --------------------------------------------


def test_team_size_limit_refuses_invitations_when_full(idea, captain):
    """A full team (three seats on this racecourse) takes no more invitations."""
    _join(idea)
    _join(idea)
    assert len(_team(idea)) == 3
    with pytest.raises(ValidationError) as excinfo:
        team_invite(idea=idea, actor=captain, invitee=UserFactory())
    assert excinfo.value.code == "team_full"


def test_team_size_limit_refuses_accepting_the_last_seat_twice(idea, captain):
    """Several invitations may wait; only as many as there are seats can accept."""
    _join(idea)
    late, later = UserFactory(), UserFactory()
    first = team_invite(idea=idea, actor=captain, invitee=late)
    second = team_invite(idea=idea, actor=captain, invitee=later)
    invitation_accept(invitation=first, actor=late)

    with pytest.raises(ValidationError) as excinfo:
        invitation_accept(invitation=second, actor=later)

    assert excinfo.value.code == "team_full"
    assert TeamInvitation.objects.get(pk=second.pk).status == RequestStatus.PENDING
    assert len(_team(idea)) == 3


def test_team_size_limit_is_per_racecourse():
    """Another racecourse with a bigger limit seats more people."""
    small = idea_draft(racecourse=open_racecourse(team_size_limit=1))
    with pytest.raises(ValidationError):
        team_invite(idea=small, actor=small.author, invitee=UserFactory())
    big = idea_draft(racecourse=open_racecourse(team_size_limit=4))
    for _ in range(3):
        _join(big)
    assert big.memberships.count() == 4


def test_join_request_accept_respects_the_team_size_limit(idea, captain):
    """A captain cannot accept a join request into a full team."""
    asker = UserFactory()
    join_request = join_request_create(idea=idea, actor=asker)
    _join(idea)
    _join(idea)
    with pytest.raises(ValidationError) as excinfo:
        join_request_accept(join_request=join_request, actor=captain)
    assert excinfo.value.code == "team_full"
    assert JoinRequest.objects.get(pk=join_request.pk).status == RequestStatus.PENDING


# --- the teams-per-person limit of the season -----------------------------------------


def _person_on_limit(season_limit=2):
    """A season allowing ``season_limit`` teams, and someone already on that many."""
    racecourse = open_racecourse(season__teams_per_person=season_limit)
    busy = UserFactory()
    for _ in range(season_limit):
        idea_draft(author=busy, racecourse=racecourse)
    return racecourse, busy


def test_accepting_an_invitation_beyond_the_season_limit_is_refused():
    """Nobody joins more teams in a season than the season allows."""
    racecourse, busy = _person_on_limit()
    other = idea_draft(racecourse=racecourse)
    invitation = team_invite(idea=other, actor=other.author, invitee=busy)
    with pytest.raises(ValidationError) as excinfo:
        invitation_accept(invitation=invitation, actor=busy)
    assert excinfo.value.code == "team_limit_per_person"
    assert not TeamMembership.objects.filter(idea=other, user=busy).exists()


def test_asking_to_join_beyond_the_season_limit_is_refused():
    """A join request from someone on the maximum of teams is refused at once."""
    racecourse, busy = _person_on_limit()
    other = idea_in_stage(Stage.REGISTERED, racecourse=racecourse)
    with pytest.raises(ValidationError) as excinfo:
        join_request_create(idea=other, actor=busy)
    assert excinfo.value.code == "team_limit_per_person"


def test_leaving_a_team_frees_a_place_under_the_season_limit():
    """After leaving one team a person on the limit can join another."""
    racecourse = open_racecourse(season__teams_per_person=1)
    first = idea_draft(racecourse=racecourse)
    second = idea_draft(racecourse=racecourse)
    person = UserFactory()
    _join(first, person)
    invitation = team_invite(idea=second, actor=second.author, invitee=person)
    with pytest.raises(ValidationError):
        invitation_accept(invitation=invitation, actor=person)
    team_leave(idea=first, actor=person)
    invitation_accept(invitation=invitation, actor=person)
    assert TeamMembership.objects.filter(idea=second, user=person).exists()


# --- join requests --------------------------------------------------------------------


def test_join_request_is_created_and_the_captain_notified(idea, captain):
    """A colleague's request waits for the captain, who is told about it."""
    asker = UserFactory()
    join_request = join_request_create(idea=idea, actor=asker, message=" Me too ")
    assert join_request.status == RequestStatus.PENDING
    assert join_request.message == "Me too"
    assert any("asks to join" in n.subject for n in _notes_for(captain))


def test_captain_accepts_a_join_request(idea, captain):
    """An accepted request puts the requester on the team and tells them."""
    asker = UserFactory()
    join_request = join_request_create(idea=idea, actor=asker)

    membership = join_request_accept(join_request=join_request, actor=captain)

    assert membership.user == asker
    join_request.refresh_from_db()
    assert join_request.status == RequestStatus.ACCEPTED
    assert join_request.decided_by == captain
    assert join_request.responded_at is not None
    assert any("now on the team" in n.subject for n in _notes_for(asker))


def test_captain_declines_a_join_request(idea, captain):
    """A declined request records who decided; the requester is told."""
    asker = UserFactory()
    join_request = join_request_create(idea=idea, actor=asker)

    join_request_decline(join_request=join_request, actor=captain)

    join_request.refresh_from_db()
    assert join_request.status == RequestStatus.DECLINED
    assert join_request.decided_by == captain
    assert not TeamMembership.objects.filter(idea=idea, user=asker).exists()
    assert any("declined" in n.subject for n in _notes_for(asker))


def test_requester_withdraws_a_join_request(idea):
    """The requester can take a pending request back; nobody else can."""
    asker = UserFactory()
    join_request = join_request_create(idea=idea, actor=asker)
    with pytest.raises(PermissionDenied):
        join_request_withdraw(join_request=join_request, actor=UserFactory())
    join_request_withdraw(join_request=join_request, actor=asker)
    join_request.refresh_from_db()
    assert join_request.status == RequestStatus.CANCELLED


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("accept", "accept"),
        ("accept", "decline"),
        ("accept", "withdraw"),
        ("decline", "accept"),
        ("decline", "withdraw"),
        ("withdraw", "accept"),
        ("withdraw", "decline"),
    ],
)
def test_answered_join_requests_cannot_be_answered_again(idea, captain, first, second):
    """Once accepted, declined or withdrawn, a join request is closed for good."""
    asker = UserFactory()
    join_request = join_request_create(idea=idea, actor=asker)
    answer = {
        "accept": lambda: join_request_accept(join_request=join_request, actor=captain),
        "decline": lambda: join_request_decline(
            join_request=join_request, actor=captain
        ),
        "withdraw": lambda: join_request_withdraw(
            join_request=join_request, actor=asker
        ),
    }
    answer[first]()
    status = JoinRequest.objects.get(pk=join_request.pk).status
    with pytest.raises(ValidationError) as excinfo:
        answer[second]()
    assert excinfo.value.code == "not_pending"
    assert JoinRequest.objects.get(pk=join_request.pk).status == status


def test_non_captains_cannot_decide_join_requests(idea, captain):
    """Members, the requester and strangers cannot accept or decline."""
    member = _join(idea)
    asker = UserFactory()
    join_request = join_request_create(idea=idea, actor=asker)
    for actor in (member, asker, UserFactory()):
        with pytest.raises(PermissionDenied):
            join_request_accept(join_request=join_request, actor=actor)
        with pytest.raises(PermissionDenied):
            join_request_decline(join_request=join_request, actor=actor)
    assert JoinRequest.objects.get(pk=join_request.pk).status == RequestStatus.PENDING


def test_members_cannot_ask_to_join_their_own_team(idea, captain):
    """The captain and members are already on the team."""
    member = _join(idea)
    for actor in (captain, member):
        with pytest.raises(PermissionDenied):
            join_request_create(idea=idea, actor=actor)


def test_cannot_ask_twice_while_pending(idea):
    """One pending request per person and team."""
    asker = UserFactory()
    join_request_create(idea=idea, actor=asker)
    with pytest.raises(ValidationError):
        join_request_create(idea=idea, actor=asker)


def test_cannot_ask_to_join_an_idea_one_cannot_see():
    """A confidential idea, or someone's draft, is not open to join requests."""
    secret = idea_in_stage(Stage.REGISTERED, visibility=Visibility.CONFIDENTIAL)
    draft = idea_draft()
    for target in (secret, draft):
        with pytest.raises(PermissionDenied):
            join_request_create(idea=target, actor=UserFactory())


@pytest.mark.parametrize("stage", [Stage.ELIMINATED, Stage.WITHDRAWN])
def test_cannot_ask_to_join_an_idea_that_left_the_race(stage):
    """Finished ideas take no new members."""
    idea = idea_in_stage(stage)
    with pytest.raises(PermissionDenied):
        join_request_create(idea=idea, actor=UserFactory())


# --- leaving and removing -------------------------------------------------------------


def test_member_leaves_and_the_captain_is_told(idea, captain):
    """A member who leaves is off the team; the captain hears of it."""
    member = _join(idea)
    team_leave(idea=idea, actor=member)
    assert _team(idea) == {(captain, TeamMembership.Role.CAPTAIN)}
    assert any("left" in n.subject for n in _notes_for(captain))


def test_captain_cannot_leave_without_handing_over(idea, captain):
    """The team always has a captain."""
    with pytest.raises(ValidationError):
        team_leave(idea=idea, actor=captain)
    assert (captain, TeamMembership.Role.CAPTAIN) in _team(idea)


def test_leaving_a_team_one_is_not_on_is_refused(idea):
    """Only members can leave."""
    with pytest.raises(ValidationError):
        team_leave(idea=idea, actor=UserFactory())


def test_a_member_who_left_can_be_invited_again(idea, captain):
    """Leaving is not a ban."""
    member = _join(idea)
    team_leave(idea=idea, actor=member)
    _join(idea, member)
    assert (member, TeamMembership.Role.MEMBER) in _team(idea)


def test_captain_removes_a_member_who_is_told(idea, captain):
    """The captain can remove a member; the member is notified."""
    member = _join(idea)
    team_remove_member(idea=idea, actor=captain, user=member)
    assert _team(idea) == {(captain, TeamMembership.Role.CAPTAIN)}
    assert any("removed" in n.subject for n in _notes_for(member))


def test_removing_refuses_the_captain_and_non_members(idea, captain):
    """The captain cannot be removed, and strangers are not on the team."""
    with pytest.raises(ValidationError):
        team_remove_member(idea=idea, actor=captain, user=captain)
    with pytest.raises(ValidationError):
        team_remove_member(idea=idea, actor=captain, user=UserFactory())


def test_only_the_captain_removes_members(idea, captain):
    """A member cannot remove another member."""
    one, two = _join(idea), _join(idea)
    with pytest.raises(PermissionDenied):
        team_remove_member(idea=idea, actor=one, user=two)
    assert (two, TeamMembership.Role.MEMBER) in _team(idea)


# --- captaincy ------------------------------------------------------------------------


def test_captaincy_is_handed_over(idea, captain):
    """The new captain leads; the old captain stays on as a member and may leave."""
    member = _join(idea)

    team_transfer_captaincy(idea=idea, actor=captain, to_user=member)

    assert _team(idea) == {
        (member, TeamMembership.Role.CAPTAIN),
        (captain, TeamMembership.Role.MEMBER),
    }
    assert any("captain" in n.subject for n in _notes_for(member))
    # The permissions follow the role.
    with pytest.raises(PermissionDenied):
        team_invite(idea=idea, actor=captain, invitee=UserFactory())
    team_leave(idea=idea, actor=captain)
    assert _team(idea) == {(member, TeamMembership.Role.CAPTAIN)}


def test_handing_captaincy_to_the_captain_changes_nothing(idea, captain):
    """Handing over to oneself is a harmless no-op."""
    team_transfer_captaincy(idea=idea, actor=captain, to_user=captain)
    assert _team(idea) == {(captain, TeamMembership.Role.CAPTAIN)}


def test_captaincy_goes_only_to_a_team_member(idea, captain):
    """A stranger cannot be made captain."""
    with pytest.raises(ValidationError) as excinfo:
        team_transfer_captaincy(idea=idea, actor=captain, to_user=UserFactory())
    assert "user" in excinfo.value.message_dict


def test_only_the_captain_hands_over_captaincy(idea, captain):
    """A member cannot make themselves captain."""
    member = _join(idea)
    with pytest.raises(PermissionDenied):
        team_transfer_captaincy(idea=idea, actor=member, to_user=member)
    assert (captain, TeamMembership.Role.CAPTAIN) in _team(idea)


def test_team_management_ends_when_the_idea_is_out():
    """After elimination nobody can change the team, not even the captain."""
    idea = idea_draft()
    member = _join(idea)
    funnel.idea_register(idea=idea, actor=idea.author)
    funnel.idea_open_screening(idea=idea)
    funnel.idea_eliminate(idea=idea, reason="Voted down")
    with pytest.raises(PermissionDenied):
        team_remove_member(idea=idea, actor=idea.author, user=member)
    with pytest.raises(PermissionDenied):
        team_transfer_captaincy(idea=idea, actor=idea.author, to_user=member)
