"""The idea page's screening section: each round's counts, when they are visible."""

import pytest
from django.utils import timezone

from tests.factories import UserFactory
from voting.models import Choice
from voting.selectors.results import screening_story
from voting.services.ballots import ballot_cast
from voting.services.tallies import tally_round

from .factories import closed_round, screening_idea, screening_round, voters

pytestmark = pytest.mark.django_db


def _judged(window, supports: int, opposes: int, **fields):
    idea = screening_idea(window, **fields)
    for person in voters(supports):
        ballot_cast(voter=person, idea=idea, choice=Choice.SUPPORT)
    for person in voters(opposes):
        ballot_cast(voter=person, idea=idea, choice=Choice.OPPOSE)
    return idea


def test_a_closed_round_shows_counts_and_rank_to_everyone(client):
    """After the close anyone who may see the idea reads its numbers and place."""
    window = screening_round()
    best = _judged(window, 3, 0, title="Best")
    _judged(window, 1, 2, title="Second")
    tally_round(window=window)
    window.closes_at = timezone.now()
    window.opens_at = window.closes_at - timezone.timedelta(days=3)
    window.save(update_fields=["opens_at", "closes_at"])

    viewer = UserFactory()
    [entry] = screening_story(idea=best, user=viewer)
    assert entry["tally"].supports == 3
    assert entry["tally"].rank == 1
    assert entry["field"] == 2
    client.force_login(viewer)
    page = client.get(best.get_absolute_url()).content.decode()
    assert "ranked 1 of 2" in page
    assert "100% support rate" in page


def test_an_open_round_with_hidden_counts_hides_them_from_voters(client):
    window = screening_round(hide_counts=True)
    idea = _judged(window, 2, 1)
    tally_round(window=window)
    viewer = UserFactory()
    [entry] = screening_story(idea=idea, user=viewer)
    assert entry["tally"] is None
    client.force_login(viewer)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "The counts are shown when the round closes." in page
    # HR sees live counts, as on the results page.
    assert screening_story(idea=idea, user=UserFactory(is_hr_admin=True))[0]["tally"]


def test_an_idea_never_screened_has_no_section(client):
    idea = screening_idea(closed_round())
    assert screening_story(idea=idea, user=UserFactory()) == []
