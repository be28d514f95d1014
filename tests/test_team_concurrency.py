"""Answering one invitation or join request from two sides at the same moment.

The invitee accepts while the captain cancels (or while the invitee declines
in another tab); the captain accepts a join request while the requester
withdraws it. Each race runs many times on PostgreSQL's real row locks: no
exception other than the loser's "already answered", exactly one answer wins,
and the team and the request agree about which one it was. Before the team
services took their locks in one order, these races deadlocked and the loser
got a 500.
"""

from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from ideas.models import (
    JoinRequest,
    RequestStatus,
    Stage,
    TeamInvitation,
    TeamMembership,
)
from ideas.services.teams import (
    invitation_accept,
    invitation_cancel,
    invitation_decline,
    join_request_accept,
    join_request_create,
    join_request_decline,
    join_request_withdraw,
    team_invite,
)
from tests.factories import UserFactory, idea_in_stage, open_racecourse
from tests.threads import run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency tests need PostgreSQL (set DATABASE_URL)",
    ),
]

ROUNDS = 25


@pytest.fixture
def idea():
    """A registered idea (open to join requests) with room for every round."""
    return idea_in_stage(
        Stage.REGISTERED, racecourse=open_racecourse(team_size_limit=50)
    )


def _one_winner(results):
    """Exactly one call succeeded; the other lost with "already answered"."""
    winners = [i for i, (outcome, _v) in enumerate(results) if outcome == "ok"]
    losers = [value for outcome, value in results if outcome == "error"]
    assert len(winners) == 1, results
    assert len(losers) == 1, results
    assert isinstance(losers[0], ValidationError), repr(losers[0])
    assert losers[0].code == "not_pending", losers[0]
    return winners[0]


def _race_invitation(idea, other):
    """Race ``invitation_accept`` against ``other(invitation, invitee)``.

    Returns how many rounds the accept won.
    """
    accepted = 0
    for _round in range(ROUNDS):
        invitee = UserFactory()
        invitation = team_invite(idea=idea, actor=idea.author, invitee=invitee)
        results = run_together(
            [
                partial(invitation_accept, invitation=invitation, actor=invitee),
                partial(other, invitation, invitee),
            ]
        )
        winner = _one_winner(results)
        invitation.refresh_from_db()
        on_team = TeamMembership.objects.filter(idea=idea, user=invitee).count()
        if winner == 0:
            accepted += 1
            assert invitation.status == RequestStatus.ACCEPTED
            assert on_team == 1
        else:
            assert invitation.status != RequestStatus.ACCEPTED
            assert invitation.status != RequestStatus.PENDING
            assert on_team == 0
        assert invitation.responded_at is not None
    assert TeamInvitation.objects.filter(status=RequestStatus.PENDING).count() == 0
    return accepted


def test_accepting_while_the_captain_cancels_one_of_them_wins(idea):
    """Accept against cancel, many times: no deadlock, one outcome, one state."""
    captain = idea.author
    accepted = _race_invitation(
        idea, lambda inv, _user: invitation_cancel(invitation=inv, actor=captain)
    )
    assert TeamMembership.objects.filter(idea=idea).count() == 1 + accepted


def test_accepting_while_declining_in_another_tab_one_of_them_wins(idea):
    """Accept against decline by the same invitee: one outcome, one state."""
    accepted = _race_invitation(
        idea, lambda inv, user: invitation_decline(invitation=inv, actor=user)
    )
    assert TeamMembership.objects.filter(idea=idea).count() == 1 + accepted


@pytest.mark.parametrize("other", ["withdraw", "decline"])
def test_accepting_a_join_request_while_it_is_answered_otherwise(idea, other):
    """The captain accepts a join request while it is withdrawn or declined."""
    captain = idea.author
    accepted = 0
    for _round in range(ROUNDS):
        requester = UserFactory()
        join_request = join_request_create(idea=idea, actor=requester)
        if other == "withdraw":

            def answer(jr=join_request, who=requester):
                return join_request_withdraw(join_request=jr, actor=who)
        else:

            def answer(jr=join_request):
                return join_request_decline(join_request=jr, actor=captain)

        results = run_together(
            [
                partial(join_request_accept, join_request=join_request, actor=captain),
                answer,
            ]
        )
        winner = _one_winner(results)
        join_request.refresh_from_db()
        on_team = TeamMembership.objects.filter(idea=idea, user=requester).count()
        if winner == 0:
            accepted += 1
            assert join_request.status == RequestStatus.ACCEPTED
            assert on_team == 1
        else:
            assert join_request.status in {
                RequestStatus.CANCELLED,
                RequestStatus.DECLINED,
            }
            assert on_team == 0
    assert JoinRequest.objects.filter(status=RequestStatus.PENDING).count() == 0
    assert TeamMembership.objects.filter(idea=idea).count() == 1 + accepted
