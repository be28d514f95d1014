"""The scorecard's lifecycle: draft ──submit──▶ submitted, and nothing else."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from horserace.common.lifecycles import status_history
from tests.factories import UserFactory
from tests.factories_evaluation import assign, evaluator, idea_in_evaluation
from tests.factories_evaluation import racecourse_with_pool as racecourse
from voting import lifecycles
from voting.models import Scorecard, StatusChange

pytestmark = pytest.mark.django_db

SCORECARD = lifecycles.SCORECARD


def _card(status):
    idea = idea_in_evaluation(racecourse=racecourse(n=0))
    return Scorecard.objects.create(
        assignment=assign(idea, evaluator()),
        status=status,
        submitted_at=timezone.now(),
    )


@pytest.mark.parametrize("source", SCORECARD.statuses)
@pytest.mark.parametrize("move", list(SCORECARD.moves))
def test_a_move_works_from_its_sources_and_is_refused_from_any_other(move, source):
    card = _card(source)
    actor = UserFactory()
    target = SCORECARD.moves[move].target
    if source in SCORECARD.moves[move].sources:
        row = lifecycles.move(card, move, actor=actor)
        card.refresh_from_db()
        assert card.status == target
        assert list(status_history(SCORECARD, card)) == [row]
        assert (row.move, row.from_status, row.to_status) == (move, source, target)
        assert StatusChange.objects.count() == 1
    else:
        with pytest.raises(ValidationError) as refused:
            lifecycles.move(card, move, actor=actor)
        assert refused.value.code == "status_move_not_allowed"
        card.refresh_from_db()
        assert card.status == source
        assert not StatusChange.objects.exists()


def test_the_table_has_the_one_move():
    assert SCORECARD.transitions() == {
        ("submit", Scorecard.Status.DRAFT, Scorecard.Status.SUBMITTED)
    }
