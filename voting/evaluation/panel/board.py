"""The panel meeting's board: projects in calibrated order, with cards and flags."""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contests.models import Criterion, Racecourse, Rubric, WindowStage
from horserace.common.permissions import can
from ideas.models import Idea, Stage, TeamMembership
from ideas.visibility import Viewer
from voting.evaluation.conflicts.automatic import conflict_map, conflicted_idea_ids
from voting.evaluation.scorecards.selectors import (
    CardView,
    card_views,
    criterion_specs,
    rubric_of,
    scorecard_of,
)
from voting.selectors.ballots import visible_idea_ids

from ...models import Assignment, PanelComment, PanelDecision, Scorecard, Tally
from .. import aggregation
from ..aggregation import ProjectStats, project_stats
from .cards import board_ideas, panel_assignments, usable_cards

FLAG_DISAGREEMENT = "disagreement"
FLAG_VOTE_MISMATCH = "vote_mismatch"


# --- Who sees what, in batch ----------------------------------------------------


def _viewer_conflicts(user, ideas: list[Idea], conflicts: dict[int, set[int]]):
    """Ids of the ideas ``user`` is conflicted with (``is_conflicted`` in batch).

    ``conflicts`` is ``conflict_map`` of them; the viewer may be outside the
    pool (an admin), so what the map leaves to the pool is asked as well.
    """
    found = {idea.pk for idea in ideas if user.pk in conflicts.get(idea.pk, set())}
    rest = [idea for idea in ideas if idea.pk not in found]
    return found | conflicted_idea_ids(user=user, ideas=rest)


# --- Screening results ------------------------------------------------------------


@dataclass(frozen=True)
class ScreeningResult:
    """An idea's standing in the employees' online screening."""

    racecourse: str
    rank: int | None
    support_rate: float
    supports: int
    opposes: int
    voters: int

    @property
    def rate_pct(self) -> float:
        return round(100 * self.support_rate, 1)

    @property
    def sort_key(self) -> tuple:
        """Smaller is better: the rank, then the support rate."""
        return (self.rank if self.rank is not None else 10**9, -self.support_rate)


def screening_results(ideas: list[Idea]) -> dict[int, ScreeningResult]:
    """idea id → its screening result, in one query.

    The screening of the idea's own racecourse when it was judged there,
    otherwise the one of the department racecourse it was promoted from.
    """
    home = {i.pk: (i.racecourse_id, i.promoted_from_id) for i in ideas}
    best: dict[int, tuple[int, Tally]] = {}
    tallies = Tally.objects.filter(
        idea_id__in=list(home), window__stage=WindowStage.SCREENING
    ).select_related("window__racecourse")
    for tally in tallies:
        racecourse_id, promoted_from = home[tally.idea_id]
        if tally.window.racecourse_id == racecourse_id:
            preference = 0
        elif tally.window.racecourse_id == promoted_from:
            preference = 1
        else:
            preference = 2
        if tally.idea_id not in best or preference < best[tally.idea_id][0]:
            best[tally.idea_id] = (preference, tally)
    return {
        idea_id: ScreeningResult(
            racecourse=tally.window.racecourse.name,
            rank=tally.rank,
            support_rate=tally.support_rate,
            supports=tally.supports,
            opposes=tally.opposes,
            voters=tally.voters,
        )
        for idea_id, (_pref, tally) in best.items()
    }


# --- The board --------------------------------------------------------------------


@dataclass
class PanelRow:
    """One project at the panel meeting."""

    idea: Idea
    position: int | None  # None for a hidden row
    reads_proposal: bool = False
    hidden: str = ""  # why the viewer sees no details: "conflict", "confidential"
    stats: ProjectStats = field(default_factory=lambda: project_stats([]))
    calibrated: float | None = None
    group: int | None = None  # its part of the evaluator–project graph
    cards: list[CardView] = field(default_factory=list)
    assigned: int = 0
    submitted: int = 0
    set_aside: int = 0
    screening: ScreeningResult | None = None
    flags: list[str] = field(default_factory=list)
    decision: PanelDecision | None = None
    comments: list[PanelComment] = field(default_factory=list)
    team: list[TeamMembership] = field(default_factory=list)
    can_decide: bool = False
    can_comment: bool = False

    @property
    def undecided(self) -> bool:
        return self.decision is None


@dataclass
class EvaluatorSummary:
    evaluator: object
    cards: int
    bias: float | None


@dataclass
class PanelBoard:
    racecourse: Racecourse
    rubric: Rubric | None
    criteria: list[Criterion]
    rows: list[PanelRow]
    components: int
    evaluators: list[EvaluatorSummary]

    @property
    def connected(self) -> bool:
        """Every scored project shares evaluators, directly or through others,
        with every other: calibrated scores compare across the whole panel."""
        return self.components <= 1

    @property
    def connectivity(self) -> str:
        """What the graph's connectivity means for the scores, in a sentence."""
        if self.components == 0:
            return _("No scorecards are submitted yet: there is nothing to calibrate.")
        if self.connected:
            return _(
                "The evaluators and projects form one connected group: every "
                "calibrated score compares with every other."
            )
        return ngettext(
            "The panel's evaluators and projects form %(n)d separate group: "
            "calibrated scores are comparable only within a group.",
            "The panel's evaluators and projects form %(n)d separate groups: "
            "calibrated scores are comparable only within a group. Assign "
            "evaluators across groups to connect them.",
            self.components,
        ) % {"n": self.components}

    @property
    def undecided(self) -> int:
        """Projects this viewer may judge that still wait for a decision."""
        return sum(1 for row in self.rows if not row.hidden and row.decision is None)


def panel_board(*, racecourse: Racecourse, user) -> PanelBoard:
    """The panel meeting page's data for ``user`` (HR or a racecourse admin).

    Constant queries, whatever the number of projects and cards.
    """
    ideas = list(
        board_ideas(racecourse)
        .select_related(
            "racecourse",
            "author",
            "final_proposal",
            "panel_decision__decided_by",
            "registration__season",
        )
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=TeamMembership.objects.select_related("user").order_by(
                    "role", "pk"
                ),
            )
        )
    )
    ids = [idea.pk for idea in ideas]
    rubric = rubric_of(racecourse)
    criteria = list(rubric.criteria.all()) if rubric else []
    specs = criterion_specs(criteria)
    conflicts = conflict_map(ideas=ideas)
    assignments = list(panel_assignments(ids))
    cards, set_aside = usable_cards(assignments, conflicts, specs)
    calibration = aggregation.calibrate(cards)

    # HR sees every project; a racecourse admin those they may read (a
    # confidential one once opened), as ``panel_manager`` in ``voting.rules``.
    is_hr = can(user, "contests.manage_season")
    is_admin = is_hr or can(user, "contests.manage_racecourse", racecourse)
    visible = (
        visible_idea_ids(user=user, ids=set(ids), content=True)
        if not is_hr
        else set(ids)
    )
    viewer_conflicts = _viewer_conflicts(user, ideas, conflicts)
    viewer = Viewer(user)
    screening = screening_results(ideas)
    comments: dict[int, list[PanelComment]] = {}
    for comment in PanelComment.objects.filter(idea_id__in=ids).select_related(
        "author"
    ):
        comments.setdefault(comment.idea_id, []).append(comment)
    by_idea: dict[int, list[Assignment]] = {}
    for assignment in assignments:
        by_idea.setdefault(assignment.idea_id, []).append(assignment)

    scores_of: dict[int, list[float]] = {}
    for _evaluator, idea_id, score in cards:
        scores_of.setdefault(idea_id, []).append(score)
    stats = {idea.pk: project_stats(scores_of.get(idea.pk, [])) for idea in ideas}
    order = aggregation.panel_order(
        {idea.pk: calibration.quality.get(idea.pk) for idea in ideas},
        {pk: s.mean for pk, s in stats.items()},
    )
    mismatched = aggregation.vote_mismatches(
        [pk for pk in order if pk in calibration.quality],
        {pk: r.sort_key for pk, r in screening.items()},
    )

    ideas_by_id = {idea.pk: idea for idea in ideas}
    rows, hidden = [], []
    for pk in order:
        idea = ideas_by_id[pk]
        decision = getattr(idea, "panel_decision", None)
        row = PanelRow(idea=idea, position=None)
        # A project the viewer may not judge goes last, with no place and no
        # decision: its place in the order, or the decision's feedback and
        # score, would tell how the panel judged it.
        if not (is_admin and pk in visible):
            row.hidden = "confidential"
            hidden.append(row)
            continue
        if pk in viewer_conflicts:
            row.hidden = "conflict"
            hidden.append(row)
            continue
        rows.append(row)
        row.position = len(rows)
        row.decision = decision
        own = by_idea.get(pk, [])
        counted = [a for a in own if a.evaluator_id not in conflicts.get(pk, set())]
        row.stats = stats[pk]
        row.calibrated = calibration.quality.get(pk)
        row.group = calibration.groups.get(pk)
        row.cards = card_views(counted, criteria)
        row.assigned = len(own)
        row.submitted = sum(
            1
            for a in own
            if (card := scorecard_of(a)) and card.status == Scorecard.Status.SUBMITTED
        )
        row.set_aside = set_aside.get(pk, 0)
        row.screening = screening.get(pk)
        row.flags = [
            flag
            for flag, on in (
                (FLAG_DISAGREEMENT, row.stats.disagreement),
                (FLAG_VOTE_MISMATCH, pk in mismatched),
            )
            if on
        ]
        row.comments = comments.get(pk, [])
        # Who is behind it and what it proposes, as ``ideas.visibility``
        # decides: an anonymous team needs unmasking, a confidential proposal
        # opening, HR's chair included.
        row.team = list(idea.memberships.all()) if viewer.sees_names(idea) else []
        row.reads_proposal = viewer.reads_content(idea)
        open_ = idea.stage == Stage.EVALUATION and decision is None
        row.can_decide = open_
        row.can_comment = open_

    evaluators = {}
    for assignment in assignments:
        evaluators.setdefault(assignment.evaluator_id, assignment.evaluator)
    counts: dict[int, int] = {}
    for evaluator_id, _idea, _score in cards:
        counts[evaluator_id] = counts.get(evaluator_id, 0) + 1
    summaries = sorted(
        (
            EvaluatorSummary(evaluators[e], counts[e], calibration.bias.get(e))
            for e in counts
        ),
        key=lambda s: (str(s.evaluator), s.evaluator.pk),
    )
    return PanelBoard(
        racecourse=racecourse,
        rubric=rubric,
        criteria=criteria,
        # Hidden rows in title order: calibrated order would rank them.
        rows=rows + sorted(hidden, key=lambda r: (r.idea.title, r.idea.pk)),
        components=calibration.components,
        evaluators=summaries,
    )
