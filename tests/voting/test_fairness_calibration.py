"""Calibration recovers a planted ranking better than the raw mean (simulation).

Forty projects have a planted true quality; twenty evaluators score them,
each project by four of them (a seeded random design, at most ten projects
each). A third of the evaluators are harsh (−15 points on everything), a
third lenient (+15), a third fair, and every card carries noise (σ = 4).
Kendall's τ between the true order and each estimate (computed here: scipy
is not a dependency): raw mean τ = 0.77, calibrated panel score τ = 0.90.
"""

import itertools
import random
import statistics

from voting.evaluation.aggregation import calibrate

PROJECTS, EVALUATORS, PER_PROJECT, MAX_LOAD = 40, 20, 4, 10
BIAS = {0: -15.0, 1: 15.0, 2: 0.0}  # evaluator id % 3 → harsh, lenient, fair
NOISE = 4.0


def kendall_tau(a: dict, b: dict) -> float:
    """τ-a of two scorings of the same keys (no ties in continuous scores)."""
    keys = sorted(a)
    concordant = discordant = 0
    for x, y in itertools.combinations(keys, 2):
        sign = (a[x] - a[y]) * (b[x] - b[y])
        if sign > 0:
            concordant += 1
        elif sign < 0:
            discordant += 1
    pairs = len(keys) * (len(keys) - 1) / 2
    return (concordant - discordant) / pairs


def _panel(seed: int = 2026):
    rng = random.Random(seed)
    truth = {p: rng.uniform(30, 80) for p in range(PROJECTS)}
    load = dict.fromkeys(range(EVALUATORS), 0)
    cards = []
    for p in range(PROJECTS):
        free = [e for e in load if load[e] < MAX_LOAD]
        chosen = rng.sample(free, PER_PROJECT)
        for e in chosen:
            load[e] += 1
            score = truth[p] + BIAS[e % 3] + rng.gauss(0, NOISE)
            cards.append((e, p, score))
    return truth, cards


def test_kendall_tau_by_hand():
    assert kendall_tau({1: 1, 2: 2, 3: 3}, {1: 10, 2: 20, 3: 30}) == 1.0
    assert kendall_tau({1: 1, 2: 2, 3: 3}, {1: 30, 2: 20, 3: 10}) == -1.0
    assert kendall_tau({1: 1, 2: 2, 3: 3}, {1: 1, 2: 3, 3: 2}) == 1 / 3


def test_calibrated_score_recovers_the_planted_ranking_better_than_the_raw_mean():
    """τ(raw mean) = 0.77 < τ(calibrated) = 0.90 on harsh and lenient
    evaluators, on one connected panel."""
    truth, cards = _panel()
    raw = {
        p: statistics.fmean(s for _e, q, s in cards if q == p) for p in range(PROJECTS)
    }
    calibration = calibrate(cards)
    assert calibration.components == 1
    tau_raw = kendall_tau(truth, raw)
    tau_calibrated = kendall_tau(truth, calibration.quality)
    assert round(tau_raw, 2) == 0.77
    assert round(tau_calibrated, 2) == 0.90
    assert tau_calibrated > tau_raw + 0.1


def test_calibration_wins_on_other_seeds_too():
    """Not one lucky draw: on ten seeds the calibrated τ beats the raw τ."""
    for seed in range(10):
        truth, cards = _panel(seed)
        raw = {
            p: statistics.fmean(s for _e, q, s in cards if q == p)
            for p in range(PROJECTS)
        }
        calibrated = calibrate(cards).quality
        assert kendall_tau(truth, calibrated) > kendall_tau(truth, raw), seed
