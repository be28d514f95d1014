"""The panel meeting: projects in calibrated order, the discussion, decisions.

``panel_board`` reads everything the meeting page shows in a constant number
of queries: the racecourse's projects in offline evaluation and those already
decided, each with its submitted scorecards, raw statistics, calibrated score
(``aggregation.calibrate`` over every submitted card of the racecourse), the
employees' screening result and the flags. Cards of an evaluator who has
since become conflicted are set aside (counted, never used or shown).

``panel_decide`` records the chair's decision (HR or a racecourse admin who
may see the project and has no conflict with it), stores the calibrated
score of the moment, moves the idea through the funnel (``idea_select`` or
``idea_eliminate``, the feedback as the reason) and tells the team. It locks
the idea's row first, so a second decision, or a scorecard submitted at the
same moment, waits and is then refused.

``evaluation_story`` is what the idea page shows after the decision: the
whole story (feedback, each card's scores and team comment, evaluators
anonymous) to the team, HR and the racecourse's admins; the outcome alone to
everyone else who may see the idea.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contests.models import Criterion, Racecourse, Rubric, WindowStage
from horserace.core.permissions import can
from horserace.notifications.services import notification_send
from ideas import funnel
from ideas.models import Idea, Stage, TeamMembership
from ideas.rules import is_team_member

from ..models import Assignment, PanelComment, PanelDecision, Scorecard, Tally
from ..selectors import Refusal, visible_idea_ids
from . import aggregation
from .aggregation import Calibration, ProjectStats, card_score, project_stats
from .conflicts import conflict_map, is_conflicted
from .scorecards import (
    COMMENT_MAX,
    CardView,
    card_views,
    criterion_specs,
    has_submitted,
    rubric_of,
    scorecard_of,
)

FLAG_DISAGREEMENT = "disagreement"
FLAG_VOTE_MISMATCH = "vote_mismatch"


# --- Who sees what, in batch ----------------------------------------------------


def _board_ideas(racecourse: Racecourse):
    """The racecourse's projects in evaluation and those the panel decided."""
    return Idea.objects.filter(racecourse_id=racecourse.pk).filter(
        Q(stage=Stage.EVALUATION) | Q(panel_decision__isnull=False)
    )


def _viewer_conflicts(user, ideas: list[Idea], conflicts: dict[int, set[int]]):
    """Ids of the ideas ``user`` is conflicted with (``is_conflicted`` in batch).

    ``ideas`` have their memberships (with users) prefetched; ``conflicts`` is
    ``conflict_map`` of them (team, manager, pool department, declared).
    """
    found = set()
    for idea in ideas:
        if user.pk in conflicts.get(idea.pk, set()):
            found.add(idea.pk)
            continue
        members = list(idea.memberships.all())
        captain = next(
            (m.user for m in members if m.role == TeamMembership.Role.CAPTAIN),
            idea.author,
        )
        if any(m.user_id == user.pk for m in members) or captain.manager_id == user.pk:
            found.add(idea.pk)
        elif (
            idea.racecourse.conflict_same_department
            and captain.department_id is not None
            and captain.department_id == user.department_id
        ):
            found.add(idea.pk)
    return found


# --- Cards and numbers ------------------------------------------------------------


def _assignments(idea_ids):
    return (
        Assignment.objects.filter(idea_id__in=idea_ids)
        .select_related("evaluator", "scorecard")
        .prefetch_related("scorecard__scores")
        .order_by("idea_id", "pk")
    )


def _usable_cards(assignments, conflicts: dict[int, set[int]], specs):
    """``(evaluator id, idea id, score)`` of every submitted card to count.

    Also returns, per idea, how many submitted cards were set aside because
    their evaluator is now conflicted with the project.
    """
    cards, set_aside = [], {}
    for assignment in assignments:
        card = scorecard_of(assignment)
        if card is None or card.status != Scorecard.Status.SUBMITTED:
            continue
        if assignment.evaluator_id in conflicts.get(assignment.idea_id, set()):
            set_aside[assignment.idea_id] = set_aside.get(assignment.idea_id, 0) + 1
            continue
        values = {s.criterion_id: s.value for s in card.scores.all()}
        score = card_score(values, specs)
        if score is not None:
            cards.append((assignment.evaluator_id, assignment.idea_id, score))
    return cards, set_aside


def racecourse_calibration(*, racecourse: Racecourse) -> Calibration:
    """The calibration of every counted card of the racecourse's projects."""
    ideas = list(_board_ideas(racecourse).select_related("racecourse"))
    rubric = rubric_of(racecourse)
    specs = criterion_specs(rubric.criteria.all() if rubric else [])
    conflicts = conflict_map(ideas=ideas)
    cards, _aside = _usable_cards(_assignments([i.pk for i in ideas]), conflicts, specs)
    return aggregation.calibrate(cards)


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
    hidden: str = ""  # why the viewer sees no details: "conflict", "confidential"
    stats: ProjectStats = field(default_factory=lambda: project_stats([]))
    calibrated: float | None = None
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
    def undecided(self) -> int:
        return sum(1 for row in self.rows if row.decision is None)


def panel_board(*, racecourse: Racecourse, user) -> PanelBoard:
    """The panel meeting page's data for ``user`` (HR or a racecourse admin).

    Constant queries, whatever the number of projects and cards.
    """
    ideas = list(
        _board_ideas(racecourse)
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
    assignments = list(_assignments(ids))
    cards, set_aside = _usable_cards(assignments, conflicts, specs)
    calibration = aggregation.calibrate(cards)

    # HR sees every project; a racecourse admin those they may see (not the
    # confidential ones), as ``panel_manager`` in ``voting.rules``.
    is_hr = can(user, "contests.manage_season")
    is_admin = is_hr or can(user, "contests.manage_racecourse", racecourse)
    visible = visible_idea_ids(user=user, ids=set(ids)) if not is_hr else set(ids)
    viewer_conflicts = _viewer_conflicts(user, ideas, conflicts)
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
        row = PanelRow(idea=idea, position=None, decision=decision)
        # A project the viewer may not judge goes last, with no place: its
        # place in the order would tell how the panel scored it.
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
        own = by_idea.get(pk, [])
        counted = [a for a in own if a.evaluator_id not in conflicts.get(pk, set())]
        row.stats = stats[pk]
        row.calibrated = calibration.quality.get(pk)
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
        # Anonymity hides the team from everyone but itself and HR
        # (``ideas.see_team``); blind evaluation hides it from evaluators only.
        row.team = list(idea.memberships.all()) if is_hr or not idea.anonymous else []
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
        rows=rows + hidden,
        components=calibration.components,
        evaluators=summaries,
    )


# --- The discussion ----------------------------------------------------------------


def _manager_of(user, idea: Idea) -> bool:
    """HR, or an admin of the idea's racecourse who may see the idea."""
    if can(user, "contests.manage_season"):
        return True
    return can(user, "contests.manage_racecourse", idea.racecourse) and can(
        user, "ideas.view_idea", idea
    )


def comment_refusal(*, user, idea: Idea) -> Refusal | None:
    """Why ``user`` may not add to the project's panel discussion now, or None."""
    if not user.is_authenticated or not user.is_active:
        return Refusal(_("Log in to take part in the discussion."), "login", True)
    if is_conflicted(user=user, idea=idea):
        return Refusal(
            _("You have a conflict of interest with this project."), "conflicted", True
        )
    if not (_manager_of(user, idea) or has_submitted(user=user, idea=idea)):
        return Refusal(
            _(
                "The project's evaluators join the discussion once they have "
                "submitted their scorecard; HR and the racecourse's admins too."
            ),
            "not_panel",
            True,
        )
    if (
        PanelDecision.objects.filter(idea_id=idea.pk).exists()
        or idea.stage != Stage.EVALUATION
    ):
        return Refusal(
            _("The discussion is closed: the project is no longer being evaluated."),
            "closed",
        )
    return None


@transaction.atomic
def panel_comment_add(*, actor, idea: Idea, body: str) -> PanelComment:
    """Add to the panel's discussion of ``idea`` (never seen by the team)."""
    refusal = comment_refusal(user=actor, idea=idea)
    if refusal is not None:
        if refusal.forbidden:
            raise PermissionDenied(refusal.message)
        raise ValidationError(refusal.message, code=refusal.code)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a comment.")})
    if len(body) > COMMENT_MAX:
        raise ValidationError(
            {"body": _("At most %(n)d characters.") % {"n": COMMENT_MAX}}
        )
    return PanelComment.objects.create(idea=idea, author=actor, body=body)


def panel_comments_visible(*, user, idea: Idea) -> list[PanelComment]:
    """The discussion of ``idea``, for those who hold ``voting.see_discussion``."""
    if not can(user, "voting.see_discussion", idea):
        raise PermissionDenied(
            _(
                "You read the panel's discussion once you have submitted your "
                "scorecard (and never with a conflict of interest)."
            )
        )
    return list(PanelComment.objects.filter(idea=idea).select_related("author"))


# --- The decision -------------------------------------------------------------------


def decide_refusal(*, user, idea: Idea) -> Refusal | None:
    """Why ``user`` may not record the panel's decision on ``idea``, or None."""
    if not user.is_authenticated or not user.is_active or not _manager_of(user, idea):
        return Refusal(
            _("Only HR or this racecourse's admins record the panel's decisions."),
            "not_manager",
            True,
        )
    if is_conflicted(user=user, idea=idea):
        return Refusal(
            _(
                "You have a conflict of interest with this project: another "
                "admin or HR records the decision."
            ),
            "conflicted",
            True,
        )
    existing = (
        PanelDecision.objects.filter(idea_id=idea.pk)
        .select_related("decided_by")
        .first()
    )
    if existing is not None:
        return Refusal(
            _(
                "The panel has already decided on this project (%(outcome)s, "
                "recorded by %(who)s on %(date)s)."
            )
            % {
                "outcome": existing.get_outcome_display(),
                "who": existing.decided_by,
                "date": date_format(existing.created_at, "DATE_FORMAT"),
            },
            "already_decided",
        )
    if idea.stage != Stage.EVALUATION:
        return Refusal(
            _("Only projects in offline evaluation can be decided."), "wrong_stage"
        )
    return None


@transaction.atomic
def panel_decide(*, actor, idea: Idea, outcome: str, feedback: str) -> PanelDecision:
    """Record the chair's decision on ``idea`` and move it on.

    ``outcome`` is ``selected`` (→ realization) or ``eliminated``; the
    feedback is required: the team reads it with its scorecards' comments.
    """
    # The racecourse first, then the idea: the order the assignment services
    # and the funnel (which locks both) use, so no two of them deadlock.
    Racecourse.objects.select_for_update().filter(pk=idea.racecourse_id).first()
    locked = (
        Idea.objects.select_for_update(of=("self",))
        .select_related("racecourse")
        .get(pk=idea.pk)
    )
    refusal = decide_refusal(user=actor, idea=locked)
    if refusal is not None:
        if refusal.forbidden:
            raise PermissionDenied(refusal.message)
        raise ValidationError(refusal.message, code=refusal.code)
    if outcome not in PanelDecision.Outcome.values:
        raise ValidationError(
            {"outcome": _("Choose: selected for realization, or eliminated.")}
        )
    feedback = (feedback or "").strip()
    if not feedback:
        raise ValidationError(
            {
                "feedback": _(
                    "Write feedback for the team: they read it with the decision."
                )
            }
        )
    if len(feedback) > COMMENT_MAX:
        raise ValidationError(
            {"feedback": _("At most %(n)d characters.") % {"n": COMMENT_MAX}}
        )
    calibration = racecourse_calibration(racecourse=locked.racecourse)
    decision = PanelDecision.objects.create(
        idea=locked,
        outcome=outcome,
        feedback=feedback,
        calibrated_score=calibration.quality.get(locked.pk),
        decided_by=actor,
    )
    # The caller's instance goes to the funnel, which updates it in place.
    if outcome == PanelDecision.Outcome.SELECTED:
        funnel.idea_select(idea=idea, actor=actor, reason=feedback)
    else:
        funnel.idea_eliminate(idea=idea, actor=actor, reason=feedback)
    members = [m.user for m in locked.memberships.select_related("user")]
    # The funnel's stage-change notice mails the feedback; this one (in the
    # app only) points the team to its scorecards' comments.
    notification_send(
        recipients=members,
        subject=format_lazy(
            gettext_lazy("The panel's decision on “{idea}”: {outcome}"),
            idea=locked.title,
            outcome=PanelDecision.Outcome(outcome).label,
        ),
        body=gettext_lazy(
            "Read the panel's feedback and the evaluators' comments on the "
            "project's page."
        ),
        url=f"{locked.get_absolute_url()}#evaluation",
        email=False,
    )
    return decision


# --- The idea page ----------------------------------------------------------------


def evaluation_story(*, idea: Idea, user) -> dict | None:
    """The panel's decision for the idea page, or None before it (or unseen).

    The team, HR and the racecourse's admins get the whole story: outcome,
    feedback and each submitted card's per-criterion scores and comment for
    the team, evaluators named "Evaluator 1", "Evaluator 2"… (never the
    panel's private notes or discussion). Anyone else who may see the idea
    gets the outcome only. A constant handful of queries; the team check asks
    none when the idea's memberships are prefetched (as on the idea page).
    Cards of evaluators now conflicted are left out, as on the panel page.
    """
    decision = PanelDecision.objects.filter(idea_id=idea.pk).first()
    if decision is None or not can(user, "ideas.view_idea", idea):
        return None
    story = {
        "outcome": decision.outcome,
        "outcome_label": decision.get_outcome_display(),
        "selected": decision.outcome == PanelDecision.Outcome.SELECTED,
        "decided_at": decision.created_at,
        "full": False,
    }
    if not (_is_member(user, idea) or _manager_of(user, idea)):
        return story
    rubric = rubric_of(idea.racecourse)
    criteria = list(rubric.criteria.all()) if rubric else []
    specs = criterion_specs(criteria)
    conflicted = conflict_map(ideas=[idea])[idea.pk]
    counted = [a for a in _assignments([idea.pk]) if a.evaluator_id not in conflicted]
    cards = []
    for number, view in enumerate(card_views(counted, criteria), start=1):
        values = {c.pk: v for c, v in view.rows}
        cards.append(
            {
                "label": _("Evaluator %(n)d") % {"n": number},
                "score": card_score(values, specs),
                "team_comment": view.team_comment,
                "scores": [
                    {
                        "criterion": c.name,
                        "value": v,
                        "scale_min": c.scale_min,
                        "scale_max": c.scale_max,
                    }
                    for c, v in view.rows
                ],
            }
        )
    story |= {
        "full": True,
        "feedback": decision.feedback,
        "calibrated_score": decision.calibrated_score,
        "criteria": [
            {"name": c.name, "scale_min": c.scale_min, "scale_max": c.scale_max}
            for c in criteria
        ],
        "cards": cards,
    }
    return story


def _is_member(user, idea: Idea) -> bool:
    return bool(is_team_member(user, idea))
