"""The tally tasks: thin, idempotent, and found by the names beat uses."""

import pytest
from celery import current_app

from contests.models import WindowStage
from tests.factories import StageWindowFactory, UserFactory
from voting import tasks
from voting.models import Choice, Tally
from voting.services.ballots import ballot_cast

from .factories import closed_round, during, screening_idea, screening_round

pytestmark = pytest.mark.django_db


def test_tally_window_tallies_one_round():
    window = screening_round()
    idea = screening_idea(window)
    screening_idea(window)
    ballot_cast(voter=UserFactory(), idea=idea, choice=Choice.SUPPORT)
    assert tasks.tally_window(window.pk) == 2
    assert tasks.tally_window(window.pk) == 2
    assert Tally.objects.filter(window=window).count() == 2
    assert Tally.objects.get(idea=idea).supports == 1


def test_tally_window_ignores_unknown_and_non_screening_windows():
    registration = StageWindowFactory(stage=WindowStage.REGISTRATION)
    assert tasks.tally_window(registration.pk) == 0
    assert tasks.tally_window(999_999) == 0
    assert not Tally.objects.exists()


def test_tally_open_windows_covers_open_rounds_and_finishes_closed_ones():
    open_now = screening_round()
    screening_idea(open_now)
    closed = closed_round()
    idea = screening_idea(closed)
    ballot_cast(
        voter=UserFactory(), idea=idea, choice=Choice.OPPOSE, when=during(closed)
    )
    assert tasks.tally_open_windows() == 2
    final = Tally.objects.get(window=closed)
    assert (final.opposes, final.rank) == (1, 1)
    assert final.computed_at >= closed.closes_at

    # The closed round is final now: only the open one is tallied again.
    assert tasks.tally_open_windows() == 1
    assert Tally.objects.get(window=closed).computed_at == final.computed_at


def test_tasks_are_registered_under_the_names_beat_uses():
    names = current_app.tasks.keys()
    assert "voting.tasks.tally_open_windows" in names
    assert "voting.tasks.tally_window" in names
    window = screening_round()
    screening_idea(window)
    assert tasks.tally_window.delay(window.pk).get() == 1
    assert tasks.tally_open_windows.delay().get() == 1
