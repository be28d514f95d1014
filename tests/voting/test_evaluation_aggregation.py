"""Raw and calibrated panel scores and the flags: hand-computed examples and
properties checked on generated panels (hypothesis)."""

import random
import statistics
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voting.evaluation.aggregation import (
    DISAGREEMENT_RANGE,
    DISAGREEMENT_SD,
    CriterionSpec,
    calibrate,
    card_score,
    panel_order,
    project_stats,
    vote_mismatches,
)

RUBRIC = [
    CriterionSpec(1, 1, 5, Decimal(2)),
    CriterionSpec(2, 1, 5, Decimal(1)),
    CriterionSpec(3, 0, 10, Decimal(1)),
]


# --- A card's score ----------------------------------------------------------------


def test_card_score_normalises_each_criterion_by_its_scale_and_weighs_them():
    """(4−1)/4 weighs 2, (2−1)/4 and 5/10 weigh 1: (1.5 + 0.25 + 0.5) / 4 = 56.25."""
    assert card_score({1: 4, 2: 2, 3: 5}, RUBRIC) == pytest.approx(56.25)


def test_card_score_ends_of_the_scales_are_0_and_100():
    """The lowest value everywhere is 0, the highest 100."""
    assert card_score({1: 1, 2: 1, 3: 0}, RUBRIC) == 0
    assert card_score({1: 5, 2: 5, 3: 10}, RUBRIC) == 100


def test_card_score_leaves_out_unscored_criteria_and_is_none_when_empty():
    """A draft's missing criteria do not count; no values at all give None."""
    assert card_score({3: 10}, RUBRIC) == 100
    assert card_score({1: None, 3: 0}, RUBRIC) == 0
    assert card_score({}, RUBRIC) is None


def test_card_score_clamps_values_outside_the_scale():
    """A value past the scale counts as its end (the services refuse them anyway)."""
    assert card_score({3: 12}, RUBRIC) == 100


# --- Raw statistics ----------------------------------------------------------------


def test_project_stats_of_three_cards():
    """Mean, median, sample standard deviation and range, by hand."""
    stats = project_stats([50, 65, 80])
    assert stats.n == 3
    assert stats.mean == pytest.approx(65)
    assert stats.median == pytest.approx(65)
    assert stats.sd == pytest.approx(15)
    assert stats.range == pytest.approx(30)


def test_project_stats_with_one_card_and_none():
    """One card has no spread to speak of; no cards, no numbers."""
    one = project_stats([70])
    assert (one.n, one.mean, one.median, one.sd, one.range) == (1, 70, 70, None, 0)
    assert not one.disagreement
    none = project_stats([])
    assert (none.n, none.mean, none.sd) == (0, None, None)
    assert not none.disagreement


@pytest.mark.parametrize(
    "scores, flagged",
    [
        ([60, 70, 75], False),  # range 15, sd 7.6
        ([50, 65, 80], True),  # range 30 reaches DISAGREEMENT_RANGE (sd 15 too)
        ([50, 79], True),  # range 29, but sd 20.5 reaches DISAGREEMENT_SD
        ([40, 55, 55, 55, 69], False),  # range 29, sd 10.3
    ],
)
def test_disagreement_flag_thresholds(scores, flagged):
    """Flagged from a range of 30 points or a standard deviation of 15."""
    assert (DISAGREEMENT_RANGE, DISAGREEMENT_SD) == (30.0, 15.0)
    assert project_stats(scores).disagreement is flagged


# --- Calibration -------------------------------------------------------------------


def test_calibration_by_hand():
    """A scores P1 60 and P2 80; B scores P2 60 and P3 40.

    On P2 they differ by 20, so A is 10 points lenient and B 10 harsh
    (biases sum to 0): P1 = 60 − 10 = 50, P2 = 70, P3 = 40 + 10 = 50.
    The raw means were 60, 70 and 40.
    """
    result = calibrate([("A", 1, 60), ("A", 2, 80), ("B", 2, 60), ("B", 3, 40)])
    assert result.quality == pytest.approx({1: 50, 2: 70, 3: 50})
    assert result.bias == pytest.approx({"A": 10, "B": -10})
    assert result.components == 1


def test_calibration_single_card_evaluators_get_no_bias_and_count_as_unbiased():
    """C wrote one card (P3: 40): no estimate (None), C counts as unbiased.

    Unknowns q1..q3 and bA = −bB (biases sum to 0), bC = 0. Least squares:
    q2 = 70 from A's 80 and B's 60; q3 = 40 + bA/2 from B's 40 and C's 40; the squared residuals 2(bA − 10)² + bA²/2 are least at
    bA = 8. So A is +8, B −8, P1 = 52, P2 = 70, P3 = 44.
    """
    result = calibrate(
        [("A", 1, 60), ("A", 2, 80), ("B", 2, 60), ("B", 3, 40), ("C", 3, 40)]
    )
    assert result.bias["C"] is None
    assert result.bias["A"] == pytest.approx(8)
    assert result.bias["B"] == pytest.approx(-8)
    assert result.quality == pytest.approx({1: 52, 2: 70, 3: 44})


def test_calibration_counts_disconnected_groups():
    """Two panels that share no evaluator or project are two components."""
    result = calibrate([("A", 1, 60), ("A", 2, 70), ("B", 3, 40), ("B", 4, 50)])
    assert result.components == 2
    # Inside each part the lone estimated evaluator is centred to 0: raw scores.
    assert result.quality == pytest.approx({1: 60, 2: 70, 3: 40, 4: 50})


def test_calibration_of_nothing():
    result = calibrate([])
    assert result.quality == {} and result.bias == {} and result.components == 0


def test_calibration_solves_long_chains_exactly():
    """A chain of 80 evaluators each bridging two projects (slow for plain
    alternation) is solved exactly: known biases are recovered."""
    quality = {p: 40 + (p * 7) % 50 for p in range(81)}
    bias = {e: ((e * 13) % 21) - 10 for e in range(80)}
    mean_bias = statistics.fmean(bias.values())
    cards = [(e, p, quality[p] + bias[e]) for e in range(80) for p in (e, e + 1)]
    result = calibrate(cards)
    for p in quality:
        assert result.quality[p] == pytest.approx(quality[p] + mean_bias, abs=1e-6)


# --- Order and flags ---------------------------------------------------------------


def test_panel_order_calibrated_then_raw_then_id_and_unscored_last():
    order = panel_order({1: 70.0, 2: 80.0, 3: None, 4: 70.0, 5: 70.0}, {4: 90, 1: 60})
    assert order == [2, 4, 1, 5, 3]


def test_vote_mismatch_flags_places_more_than_half_the_field_apart():
    """Five projects: the panel's best was 5th in the vote (4 places > 2.5),
    the panel's last was the vote's best; the middle one stays put."""
    panel = [10, 20, 30, 40, 50]
    screening = {10: (5, 0), 20: (2, 0), 30: (3, 0), 40: (4, 0), 50: (1, 0)}
    assert vote_mismatches(panel, screening) == {10, 50}


def test_vote_mismatch_counts_places_inside_the_field_only():
    """Projects without a screening result are not in the field; ranks from
    rounds of different sizes compare by place (rank 40 is last of three)."""
    panel = [1, 2, 3, 4]
    screening = {1: (40, 0), 2: (2, 0), 4: (1, 0)}
    # Field: 1, 2, 4 → panel places 1, 2, 3; vote places 3, 2, 1; 2 > 1.5.
    assert vote_mismatches(panel, screening) == {1, 4}
    assert vote_mismatches([1], {1: (1, 0)}) == set()


def test_vote_mismatch_ties_on_rank_go_to_the_higher_support_rate():
    panel = [1, 2, 3]
    screening = {1: (1, -0.2), 2: (1, -0.9), 3: (2, 0)}
    # By vote: 2 (rate .9), 1, 3 → places differ by 1 at most: no flag.
    assert vote_mismatches(panel, screening) == set()


# --- Properties --------------------------------------------------------------------


@st.composite
def connected_panels(draw, min_cards_each=2):
    """A connected evaluator–project graph, every evaluator with ≥ 2 cards.

    A ring of evaluators (each shares a project with the next) plus random
    extra cards; scores are integers-ish on 0–100.
    """
    n_eval = draw(st.integers(min_value=2, max_value=7))
    n_proj = draw(st.integers(min_value=n_eval, max_value=12))
    rng = random.Random(draw(st.integers(min_value=0, max_value=10_000)))
    pairs = set()
    for e in range(n_eval):
        pairs.add((e, e % n_proj))
        pairs.add((e, (e + 1) % n_proj))
    for p in range(n_proj):
        if not any(q == p for _e, q in pairs):
            pairs.add((rng.randrange(n_eval), p))
    for _ in range(draw(st.integers(min_value=0, max_value=15))):
        pairs.add((rng.randrange(n_eval), rng.randrange(n_proj)))
    return [(e, p, float(rng.randint(0, 100))) for e, p in sorted(pairs)]


@settings(max_examples=80, deadline=None)
@given(cards=connected_panels(), shift=st.floats(min_value=-30, max_value=30))
def test_property_a_constant_added_to_one_evaluator_keeps_the_order(cards, shift):
    """A lenient or harsh evaluator (all their scores + c) moves every
    calibrated score by the same amount: the order does not change."""
    target = cards[0][0]
    before = calibrate(cards).quality
    after = calibrate(
        [(e, p, s + shift if e == target else s) for e, p, s in cards]
    ).quality
    moves = [after[p] - before[p] for p in before]
    assert max(moves) - min(moves) == pytest.approx(0, abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(
    quality=st.lists(st.floats(min_value=0, max_value=100), min_size=2, max_size=8),
    n_eval=st.integers(min_value=2, max_value=5),
    seed=st.integers(min_value=0, max_value=1000),
)
def test_property_without_bias_calibrated_equals_raw(quality, n_eval, seed):
    """When evaluators agree on every project (no bias), calibrated = raw mean."""
    rng = random.Random(seed)
    cards = []
    for p, q in enumerate(quality):
        for e in rng.sample(range(n_eval), rng.randint(1, n_eval)):
            cards.append((e, p, q))
    result = calibrate(cards)
    for p, q in enumerate(quality):
        assert result.quality[p] == pytest.approx(q, abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(
    scores=st.lists(
        st.lists(st.integers(min_value=0, max_value=100), min_size=3, max_size=3),
        min_size=2,
        max_size=6,
    )
)
def test_property_when_everyone_scores_everything_calibrated_equals_raw(scores):
    """A complete design: every bias hits every project alike, so the
    calibrated score is the raw mean."""
    cards = [(e, p, s) for p, row in enumerate(scores) for e, s in enumerate(row)]
    result = calibrate(cards)
    for p, row in enumerate(scores):
        assert result.quality[p] == pytest.approx(statistics.fmean(row), abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(cards=connected_panels(), seed=st.integers(min_value=0, max_value=1000))
def test_property_calibration_is_deterministic_in_any_order(cards, seed):
    shuffled = cards[:]
    random.Random(seed).shuffle(shuffled)
    assert calibrate(shuffled).quality == pytest.approx(calibrate(cards).quality)


@settings(max_examples=40, deadline=None)
@given(cards=connected_panels())
def test_property_biases_sum_to_zero(cards):
    biases = [b for b in calibrate(cards).bias.values() if b is not None]
    assert sum(biases) == pytest.approx(0, abs=1e-6)
