"""The lifecycle mechanism: tables are checked when declared, and the door
refuses clearly, saves only what it is told, and writes one row per change.

The ground floor has no model with a status; these tests borrow the team
invitation and the ideas app's ``StatusChange``.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from horserace.common.lifecycles import Lifecycle, Move, status_history, status_move
from ideas.models import JoinRequest, RequestStatus, StatusChange, TeamInvitation
from tests.factories import UserFactory, idea_draft

PENDING, ACCEPTED = RequestStatus.PENDING, RequestStatus.ACCEPTED


def _lifecycle(*moves):
    return Lifecycle(model=TeamInvitation, events=StatusChange, moves=moves)


def test_a_table_names_only_statuses_of_its_field():
    with pytest.raises(ValueError, match="unknown statuses"):
        _lifecycle(Move("accept", (PENDING,), "welcomed"))


def test_a_move_is_declared_once():
    with pytest.raises(ValueError, match="declared twice"):
        _lifecycle(
            Move("accept", (PENDING,), ACCEPTED),
            Move("accept", (PENDING,), RequestStatus.DECLINED),
        )


def test_the_table_reads_as_data():
    lifecycle = _lifecycle(Move("accept", (PENDING,), ACCEPTED))
    assert lifecycle.statuses == RequestStatus.values
    assert lifecycle.allows("accept", PENDING)
    assert not lifecycle.allows("accept", ACCEPTED)
    assert not lifecycle.allows("ignore", PENDING)
    assert lifecycle.transitions() == {("accept", PENDING, ACCEPTED)}


@pytest.fixture
def invitation(db):
    idea = idea_draft()
    return TeamInvitation.objects.create(
        idea=idea, invitee=UserFactory(), invited_by=idea.author, message="Join us"
    )


def test_the_door_saves_the_status_the_fields_named_and_one_row(invitation):
    lifecycle = _lifecycle(Move("accept", (PENDING,), ACCEPTED))
    invitation.message = "Not saved: not named."
    before = invitation.updated_at
    row = status_move(lifecycle, invitation, "accept", reason="Welcome")
    stored = TeamInvitation.objects.get(pk=invitation.pk)
    assert stored.status == ACCEPTED
    assert stored.message == "Join us"
    assert stored.updated_at > before
    assert list(status_history(lifecycle, invitation)) == [row]
    assert row.actor is None  # tasks move without a person
    assert str(row).endswith("pending → accepted (accept)")


def test_the_door_refuses_with_a_clear_message_and_the_transaction_goes_on(
    invitation,
):
    lifecycle = _lifecycle(Move("accept", (PENDING,), ACCEPTED))
    TeamInvitation.objects.filter(pk=invitation.pk).update(status=ACCEPTED)
    invitation.refresh_from_db()
    with transaction.atomic():
        with pytest.raises(ValidationError) as refused:
            status_move(lifecycle, invitation, "accept")
        # The refusal came before any write: the transaction is still usable.
        assert TeamInvitation.objects.filter(pk=invitation.pk).exists()
    assert refused.value.code == "status_move_not_allowed"
    assert refused.value.messages == [
        "This team invitation is “Accepted”: it cannot be moved to “Accepted”."
    ]
    assert not StatusChange.objects.exists()


def test_a_move_not_in_the_table_or_a_foreign_model_is_a_programming_error(
    invitation,
):
    lifecycle = _lifecycle(Move("accept", (PENDING,), ACCEPTED))
    with pytest.raises(ValueError, match="no move 'ignore'"):
        status_move(lifecycle, invitation, "ignore")
    other = JoinRequest(idea=invitation.idea, requester=UserFactory())
    with pytest.raises(TypeError):
        status_move(lifecycle, other, "accept")
