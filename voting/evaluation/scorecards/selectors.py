"""Reads for scoring: the evaluator's card, the rubric, who may score, the page."""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from contests.models import Criterion, Rubric, StageWindow, WindowStage
from contests.selectors import window_get
from horserace.common.permissions import can
from ideas.models import Attachment, Idea, Stage, TeamMembership
from voting.evaluation.conflicts.automatic import (
    conflicted_evaluator_ids,
    is_conflicted,
)
from voting.selectors.rounds import Refusal

from ...models import Assignment, PanelComment, PanelDecision, Scorecard
from ..aggregation import CriterionSpec, card_score

# --- Reads shared by the services, the rules and the pages -----------------------


def assignment_of(*, user, idea: Idea) -> Assignment | None:
    """The user's assignment to ``idea`` with its scorecard, or None."""
    if not user.is_authenticated or idea is None or idea.pk is None:
        return None
    return (
        Assignment.objects.filter(idea_id=idea.pk, evaluator_id=user.pk)
        .select_related("scorecard")
        .first()
    )


def scorecard_of(assignment: Assignment | None) -> Scorecard | None:
    if assignment is None:
        return None
    try:
        return assignment.scorecard
    except Scorecard.DoesNotExist:
        return None


def has_submitted(*, user, idea: Idea) -> bool:
    card = scorecard_of(assignment_of(user=user, idea=idea))
    return card is not None and card.status == Scorecard.Status.SUBMITTED


def is_decided(idea: Idea) -> bool:
    return PanelDecision.objects.filter(idea_id=idea.pk).exists()


def evaluation_window(idea: Idea) -> StageWindow | None:
    """The racecourse's evaluation window (prefetched windows are used)."""
    return window_get(racecourse=idea.racecourse, stage=WindowStage.EVALUATION)


def window_closed(idea: Idea, when: datetime | None = None) -> bool:
    window = evaluation_window(idea)
    return window is not None and (when or timezone.now()) >= window.closes_at


def rubric_of(racecourse) -> Rubric | None:
    """The racecourse's rubric with its criteria in order, or None."""
    return (
        Rubric.objects.filter(racecourse_id=racecourse.pk)
        .prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.order_by("position", "pk"))
        )
        .first()
    )


def criterion_specs(criteria) -> list[CriterionSpec]:
    return [CriterionSpec(c.pk, c.scale_min, c.scale_max, c.weight) for c in criteria]


def is_blind(idea: Idea) -> bool:
    """Do evaluators judge this project without knowing who is on the team?"""
    return bool(idea.racecourse.blind_evaluation or idea.anonymous)


def scoring_refusal(
    *,
    user,
    idea: Idea,
    assignment: Assignment | None = None,
    decided: bool | None = None,
    when: datetime | None = None,
) -> Refusal | None:
    """Why ``user`` may not write a scorecard for ``idea`` now, or None.

    ``forbidden`` refusals are about the person (403), the rest about the
    project or the calendar (400). ``assignment``/``decided`` may be passed
    when the caller has read them.
    """
    if not user.is_authenticated or not user.is_active:
        return Refusal(_("Log in to score projects."), "not_logged_in", True)
    if assignment is None:
        assignment = assignment_of(user=user, idea=idea)
    if assignment is None:
        return Refusal(
            _("You are not assigned to evaluate this project."), "not_assigned", True
        )
    if is_conflicted(user=user, idea=idea):
        return Refusal(
            _(
                "You have a conflict of interest with this project, so you may "
                "not score it."
            ),
            "conflicted",
            True,
        )
    if decided is None:
        decided = is_decided(idea)
    if decided:
        return Refusal(
            _("The panel has decided on this project; its scorecards are closed."),
            "decided",
        )
    if idea.stage != Stage.EVALUATION:
        return Refusal(
            _("Only projects in offline evaluation can be scored."), "wrong_stage"
        )
    window = evaluation_window(idea)
    if window is not None and (when or timezone.now()) >= window.closes_at:
        return Refusal(
            _("Offline evaluation closed on %(date)s; scorecards can no longer change.")
            % {
                "date": date_format(
                    timezone.localtime(window.closes_at), "DATETIME_FORMAT"
                )
            },
            "closed",
        )
    return None


# --- The scorecard page ---------------------------------------------------------


@dataclass
class CardView:
    """One submitted scorecard as the panel sees it."""

    scorecard: Scorecard
    evaluator: object
    label: str
    rows: list[tuple[Criterion, int | None]]
    score: float | None
    team_comment: str
    panel_note: str

    @property
    def submitted_at(self):
        return self.scorecard.submitted_at


def card_views(
    assignments, criteria: list[Criterion], *, exclude_user_id: int | None = None
) -> list[CardView]:
    """Submitted cards of ``assignments`` (with scorecard and scores loaded)."""
    specs = criterion_specs(criteria)
    views = []
    for assignment in assignments:
        card = scorecard_of(assignment)
        if card is None or card.status != Scorecard.Status.SUBMITTED:
            continue
        if assignment.evaluator_id == exclude_user_id:
            continue
        values = {s.criterion_id: s.value for s in card.scores.all()}
        views.append(
            CardView(
                scorecard=card,
                evaluator=assignment.evaluator,
                label=str(assignment.evaluator),
                rows=[(c, values.get(c.pk)) for c in criteria],
                score=card_score(values, specs),
                team_comment=card.team_comment,
                panel_note=card.panel_note,
            )
        )
    return views


def _assignments_with_cards(idea: Idea):
    """The idea's assignments with their cards, minus evaluators now conflicted.

    A conflict declared after scoring keeps the card as a record, but nobody
    reads it, as on the panel page and the idea page.
    """
    return (
        Assignment.objects.filter(idea=idea)
        .exclude(evaluator_id__in=conflicted_evaluator_ids(idea=idea))
        .select_related("evaluator", "scorecard")
        .prefetch_related("scorecard__scores")
        .order_by("pk")
    )


@dataclass
class ScorecardPage:
    """Everything the evaluator's scorecard page (and API) shows."""

    idea: Idea
    assignment: Assignment
    card: Scorecard | None
    values: dict[int, int]
    rubric: Rubric | None
    criteria: list[Criterion]
    proposal: object | None
    attachments: list[Attachment]
    blind: bool
    team: list[TeamMembership]
    refusal: Refusal | None
    window: StageWindow | None
    decision: PanelDecision | None
    others: list[CardView] = field(default_factory=list)
    discussion: list[PanelComment] = field(default_factory=list)

    @property
    def submitted(self) -> bool:
        return self.card is not None and self.card.status == Scorecard.Status.SUBMITTED

    @property
    def score(self) -> float | None:
        return card_score(self.values, criterion_specs(self.criteria))


def scorecard_page(*, user, pk: int) -> ScorecardPage:
    """The scorecard page of project ``pk`` for its assigned evaluator.

    404 for a project that does not exist, or that the user is neither
    assigned to nor allowed to see; 403 for one they may see but are not
    assigned to, and for an assigned evaluator with a conflict of interest.
    """
    try:
        idea = (
            Idea.objects.select_related(
                "racecourse__season", "author", "final_proposal", "panel_decision"
            )
            .prefetch_related("racecourse__windows")
            .get(pk=pk)
        )
    except (Idea.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    assignment = assignment_of(user=user, idea=idea)
    if assignment is None:
        if not can(user, "ideas.read_content", idea):
            raise Http404
        raise PermissionDenied(_("You are not assigned to evaluate this project."))
    if is_conflicted(user=user, idea=idea):
        raise PermissionDenied(
            _(
                "You have a conflict of interest with this project, so you may not see it."
            )
        )
    card = scorecard_of(assignment)
    values = (
        {s.criterion_id: s.value for s in card.scores.all()} if card is not None else {}
    )
    rubric = rubric_of(idea.racecourse)
    criteria = list(rubric.criteria.all()) if rubric else []
    decision = getattr(idea, "panel_decision", None)
    blind = is_blind(idea)
    page = ScorecardPage(
        idea=idea,
        assignment=assignment,
        card=card,
        values=values,
        rubric=rubric,
        criteria=criteria,
        proposal=getattr(idea, "final_proposal", None),
        attachments=list(
            idea.attachments.filter(kind=Attachment.Kind.PROPOSAL).order_by(
                "created_at", "pk"
            )
        ),
        blind=blind,
        team=[]
        if blind
        else list(idea.memberships.select_related("user").order_by("role", "pk")),
        refusal=scoring_refusal(
            user=user, idea=idea, assignment=assignment, decided=decision is not None
        ),
        window=evaluation_window(idea),
        decision=decision,
    )
    # The rule, not just "my card is in": it also ends with the project's
    # evaluation (a withdrawn project's cards are nobody's to read).
    if page.submitted and can(user, "voting.see_scores", idea):
        page.others = card_views(
            _assignments_with_cards(idea), criteria, exclude_user_id=user.pk
        )
        page.discussion = list(
            PanelComment.objects.filter(idea=idea).select_related("author")
        )
    return page


def scorecards_visible(*, user, idea: Idea) -> list[CardView]:
    """The submitted cards of ``idea`` that ``user`` may read (panel view).

    Raises ``PermissionDenied`` unless the user holds ``voting.see_scores``
    (an evaluator of the project who submitted, HR or the racecourse admin,
    none of them conflicted).
    """
    if not can(user, "voting.see_scores", idea):
        raise PermissionDenied(
            _(
                "You see the other scorecards once you have submitted your own "
                "(and never with a conflict of interest)."
            )
        )
    rubric = rubric_of(idea.racecourse)
    criteria = list(rubric.criteria.all()) if rubric else []
    return card_views(_assignments_with_cards(idea), criteria)
