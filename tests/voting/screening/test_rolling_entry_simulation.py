"""Rolling entry keeps exposure fair: a simulation in the database.

Voters arrive one after another over an open screening round; each opens
their judging queue (``judging_order``, the SQL the page runs) and judges the
first few ideas they have not judged (an impression and a ballot each,
through the services). Halfway through, a new idea is registered through the
registration service: it joins the open round at once (rolling entry), and by
the close it has been seen at least as often as the median idea.

The same arrivals with a plain random order (each voter's MD5 order, no
exposure bands, no catching up) leave the late idea far behind: the check can
fail.
"""

import statistics

import pytest

from contests.models import WindowStage
from ideas.models import Stage, StageTransition
from ideas.services.registration import idea_register
from tests.factories import UserFactory, idea_draft
from voting.models import Impression
from voting.screening.selectors.queue import judging_order, shuffle_position
from voting.screening.services.ballots import ballot_cast, impression_record

from .. import factories

pytestmark = pytest.mark.django_db

IDEAS, VOTERS, JUDGED = 10, 60, 3


def _random_order(*, user, window):
    """The voter's plain random order: the MD5 shuffle alone."""
    return sorted(
        ((pk, None) for pk, _choice in judging_order(user=user, window=window)),
        key=lambda row: shuffle_position(
            voter_id=user.pk, window_id=window.pk, idea_id=row[0]
        ),
    )


def _run_round(order) -> tuple[int, float, int]:
    """Play the round; return the late idea's impressions, the median, the late id."""
    window = factories.screening_round()
    # The round opened a day ago: every idea below entered it late but the
    # first ones, which joined it when it opened.
    early = [factories.screening_idea(window) for _ in range(IDEAS)]
    StageTransition.objects.filter(idea__in=early, to_stage=Stage.SCREENING).update(
        created_at=window.opens_at
    )
    late = None
    for n in range(VOTERS):
        if n == VOTERS // 2:
            late = idea_draft(racecourse=window.racecourse)
            idea_register(idea=late, actor=late.author)
            late.refresh_from_db()
            assert late.stage == Stage.SCREENING  # joined at once
        voter = UserFactory()
        todo = [pk for pk, choice in order(user=voter, window=window) if choice is None]
        for i, pk in enumerate(todo[:JUDGED]):
            idea = window.racecourse.ideas.get(pk=pk)
            impression_record(voter=voter, idea=idea, window=window)
            ballot_cast(voter=voter, idea=idea, choice="support" if i else "oppose")
    assert late is not None
    counts = {
        idea.pk: Impression.objects.filter(window=window, idea=idea).count()
        for idea in [*early, late]
    }
    return counts[late.pk], statistics.median(counts.values()), late.pk


def test_a_late_idea_reaches_the_median_before_the_close():
    """60 voters judge 3 of 11 ideas each; the idea registered after the 30th
    voter joins the open round at once and is seen at least as often as the
    median idea by the close."""
    late, median, _pk = _run_round(judging_order)
    assert late >= median


def test_a_plain_random_order_leaves_the_late_idea_behind():
    """Without the fair order the late idea stays below the median: it gets
    about half the median's looks (30 voters × 3 of 11 ideas: 8 ± 2.4,
    against a median near 16)."""
    late, median, _pk = _run_round(_random_order)
    assert late < median


def test_the_late_idea_is_in_the_round_of_its_racecourse():
    """Rolling entry puts the idea in the round's queue, not only its stage."""
    window = factories.screening_round()
    assert window.stage == WindowStage.SCREENING
    idea = idea_draft(racecourse=window.racecourse)
    idea_register(idea=idea, actor=idea.author)
    voter = UserFactory()
    assert idea.pk in [pk for pk, _c in judging_order(user=voter, window=window)]
