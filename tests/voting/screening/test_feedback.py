"""Voters' reasons reach the team after the round is applied, never with names."""

import pytest
from django.urls import reverse

from tests.horserace.core.exports.world import FORMULA, apply_round, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return build()


def page(client, user, idea):
    client.force_login(user)
    return client.get(reverse("voting:feedback", args=[idea.pk]))


def test_before_the_close_the_team_reads_nothing(client, w):
    response = page(client, w.captain, w.idea)
    assert response.status_code == 200
    body = response.content.decode()
    assert "once the screening round has closed" in body
    assert "Useful for small sellers" not in body
    assert response.context["rounds"] == []


def test_after_the_close_reasons_counts_and_no_names(client, w):
    apply_round(w.window)
    for user in (w.captain, w.member, w.hr, w.admin_a):
        response = page(client, user, w.idea)
        assert response.status_code == 200
        (round_,) = response.context["rounds"]
        assert (round_.supports, round_.opposes, round_.with_reason) == (2, 2, 3)
        assert round_.support_reasons == ["Useful for small sellers"]
        assert round_.oppose_reasons == [FORMULA, "Already exists"]
        body = response.content.decode()
        for voter in w.voters:
            assert voter.display_name not in body
            assert voter.email not in body
        assert "Already exists" in body
    # The idea page links the team to it (from the round's final tally).
    from tests.factories_scoring import tally_for

    tally_for(w.idea, rank=1, window=w.window)
    client.force_login(w.captain)
    idea_page = client.get(w.idea.get_absolute_url()).content.decode()
    assert reverse("voting:feedback", args=[w.idea.pk]) in idea_page


def test_closed_but_not_applied_is_still_nothing(client, w):
    apply_round(w.window)
    w.window.applied_at = None
    w.window.save()
    assert page(client, w.captain, w.idea).context["rounds"] == []


def test_strangers_get_404(client, w):
    apply_round(w.window)
    assert page(client, w.employee, w.idea).status_code == 404
    assert page(client, w.voters[0], w.idea).status_code == 404
    assert page(client, w.admin_a, w.other).status_code == 404  # not their racecourse


def test_reasons_are_ordered_by_content_not_by_time(client, w):
    """Reversing the order ballots were cast in changes nothing."""
    from voting.models import Ballot
    from voting.screening.selectors.feedback import idea_feedback

    apply_round(w.window)
    first = idea_feedback(idea=w.idea)[0].reasons
    ballots = list(Ballot.objects.filter(idea=w.idea).order_by("pk"))
    Ballot.objects.filter(idea=w.idea).delete()
    for b in reversed(ballots):
        Ballot.objects.create(
            voter=b.voter,
            idea=b.idea,
            window=b.window,
            choice=b.choice,
            reason=b.reason,
        )
    assert idea_feedback(idea=w.idea)[0].reasons == first


def test_the_same_reason_from_several_voters_shows_once_with_a_count(client, w):
    from voting.models import Ballot

    Ballot.objects.filter(idea=w.idea, reason="").update(
        reason="Useful for small sellers"
    )
    apply_round(w.window)
    (round_,) = page(client, w.captain, w.idea).context["rounds"]
    assert round_.support_groups == [("Useful for small sellers", 2)]
    assert round_.oppose_groups == [(FORMULA, 1), ("Already exists", 1)]
    body = page(client, w.captain, w.idea).content.decode()
    assert "×2" in body
