"""Raw and calibrated panel scores, and the flags the panel meeting shows (pure).

No ORM here: the functions take plain numbers and ids, so they are easy to
test by hand and with generated data.

**A card's score.** Each criterion's value is normalised by its own scale to
0–1 (``(value − min) / (max − min)``), the card's score is the weighted mean of
those, times 100. A 1–5 criterion and a 0–10 criterion thus count by their
weights only, and every card lands on one 0–100 scale.

**Raw statistics per project.** Over its submitted cards: ``n``, the mean,
the median, the sample standard deviation (``None`` with fewer than two
cards) and the range (highest − lowest).

**Calibrated score: additive evaluator bias, fitted by alternating least
squares.** The model is ``score(e, p) ≈ quality(p) + bias(e)``: a lenient
evaluator adds a few points to everything they score, a harsh one takes
some off. We fit it by least squares, whose solution is the fixed point of
alternating two exact steps (``calibrate`` solves for it directly):

* quality step: ``quality(p) = mean over p's cards of (score − bias(e))``;
* bias step: ``bias(e) = mean over e's cards of (score − quality(p))``, for
  evaluators with at least two cards, then shifted so the estimated biases of
  each connected part of the evaluator–project graph sum to zero (the exact
  constrained least-squares step, see ``_bias_step``).

The calibrated score of a project is its fitted ``quality``. Why this and not
z-scores: each evaluator writes only a handful of cards (at most L), and a
z-score divides by a standard deviation estimated from those few numbers, so
one unusual card swings it wildly and two cards of the same value divide by
zero; it also assumes every evaluator saw projects of the same average
quality, which the assignment does not guarantee. The additive model uses the
other evaluators of the same projects to tell "this evaluator is harsh" from
"this evaluator got the weak projects", and it stays on the card's own
0–100 scale, so a calibrated 72 reads like a raw 72.

Identifiability: only differences inside one connected part of the
evaluator–project graph are determined, so biases are centred to mean zero
in each part ("the average evaluator is unbiased"), and the assignment keeps
the graph connected so every project is comparable. An evaluator with a
single card gets no bias estimate (their bias would soak up their one card
entirely): they count as unbiased. When every evaluator has two or more cards
and the graph is connected, adding a constant to all of one evaluator's
scores shifts every calibrated score by the same amount (the order does not
change); when evaluators show no bias (they agree on every project, or every
evaluator scored every project) the calibrated score equals the raw mean.
Calibrated scores are not clipped to 0–100: a fitted quality of 101 is
possible for a project that only lenient evaluators loved.

**Flags.** ``DISAGREEMENT_RANGE`` / ``DISAGREEMENT_SD`` mark projects whose
cards disagree strongly; ``vote_mismatches`` marks projects whose place in the
panel's order and in the employees' screening differ by more than half the
field.
"""

import statistics
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

#: A project whose cards span this many points (0–100) or more is flagged:
#: on a 1–5 rubric it is the gap between "fair" and "very good" on every
#: criterion, which the panel should talk through before deciding.
DISAGREEMENT_RANGE = 30.0
#: ... or whose cards' sample standard deviation reaches this.
DISAGREEMENT_SD = 15.0


@dataclass(frozen=True)
class CriterionSpec:
    """What a card's score needs to know about a criterion."""

    id: int
    scale_min: int
    scale_max: int
    weight: float | Decimal = 1


def card_score(
    values: Mapping[int, int | None], criteria: Sequence[CriterionSpec]
) -> float | None:
    """The card's weighted score on 0–100; ``None`` when nothing is scored.

    Criteria the card has no value for are left out of the weighted mean (a
    submitted card has them all). Values outside a scale are clamped to it.
    """
    total = 0.0
    weights = 0.0
    for criterion in criteria:
        value = values.get(criterion.id)
        if value is None:
            continue
        span = criterion.scale_max - criterion.scale_min
        if span <= 0:
            continue
        value = min(max(value, criterion.scale_min), criterion.scale_max)
        weight = float(criterion.weight)
        total += weight * (value - criterion.scale_min) / span
        weights += weight
    if weights <= 0:
        return None
    return 100.0 * total / weights


@dataclass(frozen=True)
class ProjectStats:
    """Raw statistics of one project's card scores (0–100)."""

    n: int
    mean: float | None
    median: float | None
    sd: float | None
    range: float | None

    @property
    def disagreement(self) -> bool:
        """Do the cards disagree strongly (see ``DISAGREEMENT_RANGE``/``_SD``)?"""
        if self.n < 2:
            return False
        return (self.range or 0) >= DISAGREEMENT_RANGE or (
            self.sd or 0
        ) >= DISAGREEMENT_SD


def project_stats(scores: Iterable[float]) -> ProjectStats:
    """``n``, mean, median, sample standard deviation and range of ``scores``."""
    values = [float(s) for s in scores]
    if not values:
        return ProjectStats(0, None, None, None, None)
    return ProjectStats(
        n=len(values),
        mean=statistics.fmean(values),
        median=statistics.median(values),
        sd=statistics.stdev(values) if len(values) > 1 else None,
        range=max(values) - min(values),
    )


@dataclass
class Calibration:
    """The fitted model: project → calibrated score, evaluator → bias.

    ``bias`` is ``None`` for an evaluator with a single card (no estimate).
    ``components`` counts the connected parts of the evaluator–project graph;
    scores are comparable only inside one part. ``groups`` numbers each
    project's part from 1, in the order of the parts' first projects (by id).
    """

    quality: dict[Hashable, float] = field(default_factory=dict)
    bias: dict[Hashable, float | None] = field(default_factory=dict)
    components: int = 0
    groups: dict[Hashable, int] = field(default_factory=dict)

    @property
    def connected(self) -> bool:
        """Whether every calibrated score compares with every other."""
        return self.components <= 1


def _components(cards: Sequence[tuple[Hashable, Hashable, float]]) -> dict:
    """Union-find over the bipartite graph: node → representative."""
    parent: dict = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for evaluator, project, _score in cards:
        a, b = find(("e", evaluator)), find(("p", project))
        if a != b:
            parent[a] = b
    return {node: find(node) for node in list(parent)}


def _solve(matrix: list[list[float]], rhs: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the systems are small)."""
    n = len(rhs)
    a = [row[:] + [rhs[i]] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        if abs(a[pivot][col]) < 1e-12:
            continue  # no information about this unknown: it stays 0
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(n):
            if r != col and a[r][col] != 0.0:
                factor = a[r][col] / a[col][col]
                row, top = a[r], a[col]
                for c in range(col, n + 1):
                    row[c] -= factor * top[c]
    return [a[i][n] / a[i][i] if abs(a[i][i]) >= 1e-12 else 0.0 for i in range(n)]


def calibrate(cards: Iterable[tuple[Hashable, Hashable, float]]) -> Calibration:
    """Fit ``score ≈ quality(project) + bias(evaluator)``; see the module docs.

    ``cards`` are ``(evaluator, project, score)`` triples, one per submitted
    card. The least-squares fit is what alternating the quality step and the
    bias step converges to; we solve for that fixed point directly instead
    of iterating, because alternation crawls on long chains of evaluators
    (thousands of rounds) while the direct solve is one small linear system
    per connected part: putting the quality step into the bias step gives,
    for each evaluator ``e`` with a bias estimate,

        Σ_{p ∈ P(e)} (b_e − mean_{f ∈ E(p)} b_f) + λ = Σ_{p ∈ P(e)} (s_ep − s̄_p)

    plus ``Σ b_e = 0`` (biases of single-card evaluators are fixed at 0 and
    ``λ`` is the constraint's multiplier). Then
    ``quality(p) = mean over p's cards of (score − bias)``.
    Deterministic: the same cards give the same numbers in any order.
    """
    cards = sorted(
        ((e, p, float(s)) for e, p, s in cards), key=lambda c: (repr(c[0]), repr(c[1]))
    )
    result = Calibration()
    if not cards:
        return result
    roots = _components(cards)
    result.components = len(set(roots.values()))
    numbers: dict = {}
    for project in sorted({p for _e, p, _s in cards}, key=lambda p: (str(type(p)), p)):
        root = roots[("p", project)]
        result.groups[project] = numbers.setdefault(root, len(numbers) + 1)
    by_project: dict[Hashable, list[tuple[Hashable, float]]] = defaultdict(list)
    by_evaluator: dict[Hashable, list[tuple[Hashable, float]]] = defaultdict(list)
    for evaluator, project, score in cards:
        by_project[project].append((evaluator, score))
        by_evaluator[evaluator].append((project, score))
    project_mean = {
        p: statistics.fmean(s for _e, s in own) for p, own in by_project.items()
    }
    estimated = [e for e, own in by_evaluator.items() if len(own) >= 2]
    groups: dict[Hashable, list[Hashable]] = defaultdict(list)
    for evaluator in estimated:
        groups[roots[("e", evaluator)]].append(evaluator)

    bias: dict[Hashable, float] = {e: 0.0 for e in by_evaluator}
    for members in groups.values():
        index = {e: i for i, e in enumerate(members)}
        size = len(members)
        matrix = [[0.0] * (size + 1) for _ in range(size + 1)]
        rhs = [0.0] * (size + 1)
        for e, i in index.items():
            row = matrix[i]
            for project, score in by_evaluator[e]:
                others = by_project[project]
                row[i] += 1.0
                rhs[i] += score - project_mean[project]
                share = 1.0 / len(others)
                for f, _s in others:
                    if f in index:
                        row[index[f]] -= share
            row[size] = 1.0
            matrix[size][i] = 1.0
        solution = _solve(matrix, rhs)
        for e, i in index.items():
            bias[e] = solution[i]

    result.quality = {
        p: statistics.fmean(s - bias[e] for e, s in own)
        for p, own in by_project.items()
    }
    has_estimate = set(estimated)
    result.bias = {e: (bias[e] if e in has_estimate else None) for e in by_evaluator}
    return result


def panel_order(
    calibrated: Mapping[Hashable, float | None],
    raw_mean: Mapping[Hashable, float | None] | None = None,
) -> list[Hashable]:
    """Projects best first: calibrated score, then raw mean, then id.

    Projects with no score come last, in id order.
    """
    raw_mean = raw_mean or {}

    def key(project):
        score = calibrated.get(project)
        raw = raw_mean.get(project)
        return (
            score is None,
            -(score if score is not None else 0.0),
            -(raw if raw is not None else 0.0),
            project,
        )

    return sorted(calibrated, key=key)


def vote_mismatches(
    panel_ranking: Sequence[Hashable], screening_key: Mapping[Hashable, tuple]
) -> set[Hashable]:
    """Projects the panel and the employees' vote place far apart.

    The field is the projects in ``panel_ranking`` (best first) that also
    have a screening result; ``screening_key`` maps a project to a sort key
    where smaller is better (its ``Tally.rank``, then support rate). Each
    project gets its place (1…N) in the field by either order; a project is
    flagged when the two places differ by more than N / 2. Places are counted
    inside the field because screening ranks come from rounds of different
    sizes (a project promoted from a department racecourse kept its rank
    there).
    """
    field_ = [p for p in panel_ranking if p in screening_key]
    n = len(field_)
    if n < 2:
        return set()
    panel_place = {p: i for i, p in enumerate(field_, start=1)}
    by_vote = sorted(field_, key=lambda p: (screening_key[p], p))
    vote_place = {p: i for i, p in enumerate(by_vote, start=1)}
    return {p for p in field_ if abs(panel_place[p] - vote_place[p]) > n / 2}
