"""The Wilson score interval and the ranking order."""

import datetime as dt
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voting.screening.ranking import rank_key, ranked, wilson_interval


@pytest.mark.parametrize(
    ("supports", "n", "lower", "upper"),
    [
        (8, 10, 0.4902, 0.9433),
        (1, 1, 0.2065, 1.0),
        (0, 1, 0.0, 0.7935),
        (5, 10, 0.2366, 0.7634),
        (50, 100, 0.4038, 0.5962),
        (90, 100, 0.8256, 0.9448),
        (0, 10, 0.0, 0.2775),
        (10, 10, 0.7225, 1.0),
    ],
)
def test_wilson_interval_matches_published_values(supports, n, lower, upper):
    """95% Wilson bounds agree with the textbook values to four places."""
    got = wilson_interval(supports, n)
    assert got == pytest.approx((lower, upper), abs=5e-5)


def test_nobody_voted_is_zero_zero():
    assert wilson_interval(0, 0) == (0.0, 0.0)


def test_no_support_is_exactly_zero_whatever_the_sample():
    """0 of 3 and 0 of 50 tie at exactly 0, so the voters tie-break decides."""
    assert wilson_interval(0, 3)[0] == 0.0
    assert wilson_interval(0, 50)[0] == 0.0
    assert wilson_interval(7, 7)[1] == 1.0


def test_a_wider_z_widens_the_interval():
    lo95, hi95 = wilson_interval(8, 10)
    lo99, hi99 = wilson_interval(8, 10, z=2.576)
    assert lo99 < lo95 and hi99 > hi95


def test_impossible_counts_are_refused():
    with pytest.raises(ValueError):
        wilson_interval(11, 10)


@given(n=st.integers(1, 5000), data=st.data())
def test_interval_holds_the_rate_inside_zero_one(n, data):
    supports = data.draw(st.integers(0, n))
    lower, upper = wilson_interval(supports, n)
    assert 0.0 <= lower <= supports / n <= upper <= 1.0


@given(n=st.integers(1, 2000), data=st.data())
def test_more_support_never_lowers_the_bound(n, data):
    supports = data.draw(st.integers(0, n - 1))
    assert wilson_interval(supports + 1, n)[0] > wilson_interval(supports, n)[0]


def entry(idea_id, supports, voters, registered_at=None):
    return SimpleNamespace(
        idea_id=idea_id,
        voters=voters,
        wilson_lower=wilson_interval(supports, voters)[0],
        registered_at=registered_at,
    )


def test_rank_key_orders_by_bound_then_voters_then_registration_then_id():
    t0 = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    strong = entry(9, 80, 100, t0)
    small_sample = entry(1, 8, 10, t0)  # higher rate, lower bound
    zero_many = entry(2, 0, 5, t0)
    zero_few = entry(3, 0, 2, t0)
    tie_early = entry(7, 3, 4, t0)
    tie_late = entry(4, 3, 4, t0 + dt.timedelta(hours=1))
    tie_unregistered = entry(5, 3, 4, None)
    tie_same_time = entry(8, 3, 4, t0)
    order = sorted(
        [
            zero_few,
            tie_unregistered,
            tie_same_time,
            tie_late,
            small_sample,
            zero_many,
            tie_early,
            strong,
        ],
        key=rank_key,
    )
    assert [e.idea_id for e in order] == [9, 1, 7, 8, 4, 5, 2, 3]


def test_ranked_takes_registrations_from_a_map():
    t0 = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    a, b = entry(1, 2, 3), entry(2, 2, 3)
    registered = {1: t0 + dt.timedelta(minutes=5), 2: t0}
    assert [e.idea_id for e in ranked([a, b], registered)] == [2, 1]
