"""Scorecards: an assigned evaluator scores a project; who sees which scores.

An evaluator fills one ``Scorecard`` per assignment: a ``Score`` per rubric
criterion, a comment for the team and a private note for the panel.
``scorecard_save`` keeps a draft (any criteria may be left empty);
``scorecard_submit`` needs every criterion scored within its scale. A
submitted card may be submitted again (revised) until the panel decides on
the project or the racecourse's evaluation window, if it has one, closes.

Who may score is decided in one place, ``scoring_refusal``: the assigned
evaluator, not conflicted, while the project is in offline evaluation and
undecided. Other evaluators' cards and the panel's discussion are shown to
an evaluator only once their own card is submitted (so nobody anchors on the
others), and never to anyone with a conflict of interest. In blind mode
(``Racecourse.blind_evaluation``, or an anonymous idea) evaluators see no
team names and no author.

Writes lock the idea's row (as ``panel_decide`` does, so a card cannot be
submitted past a decision) and the rubric's (so a scale cannot change under
a card being submitted).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from contests.models import Criterion, Rubric, StageWindow, WindowStage
from contests.selectors import window_get
from horserace.core.permissions import can
from ideas.models import Attachment, Idea, Stage, TeamMembership

from ..models import Assignment, PanelComment, PanelDecision, Score, Scorecard
from ..selectors import Refusal
from .aggregation import CriterionSpec, card_score
from .conflicts import is_conflicted

COMMENT_MAX = 4000


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


# --- Writes ---------------------------------------------------------------------


def _raise(refusal: Refusal) -> None:
    if refusal.forbidden:
        raise PermissionDenied(refusal.message)
    raise ValidationError(refusal.message, code=refusal.code)


def _clean_values(
    scores: Mapping, criteria: list[Criterion], *, complete: bool
) -> dict[int, int]:
    """Check each value against its criterion's scale; errors per criterion.

    Errors are keyed ``score_<criterion id>`` (the scorecard form's fields).
    """
    by_id = {c.pk: c for c in criteria}
    errors: dict[str, list[str]] = {}
    values: dict[int, int] = {}
    for key, value in scores.items():
        try:
            criterion_id = int(key)
        except (TypeError, ValueError):
            criterion_id = None
        if criterion_id not in by_id:
            errors.setdefault("scores", []).append(
                _("%(key)s is not a criterion of this rubric.") % {"key": key}
            )
            continue
        if value is None or value == "":
            continue
        criterion = by_id[criterion_id]
        if isinstance(value, bool) or not isinstance(value, int | str):
            errors[f"score_{criterion_id}"] = [_("Enter a whole number.")]
            continue
        try:
            number = int(value)
        except ValueError:
            errors[f"score_{criterion_id}"] = [_("Enter a whole number.")]
            continue
        if not criterion.scale_min <= number <= criterion.scale_max:
            errors[f"score_{criterion_id}"] = [
                _("“%(name)s” is scored from %(low)d to %(high)d.")
                % {
                    "name": criterion.name,
                    "low": criterion.scale_min,
                    "high": criterion.scale_max,
                }
            ]
            continue
        values[criterion_id] = number
    if complete:
        for criterion in criteria:
            key = f"score_{criterion.pk}"
            if criterion.pk not in values and key not in errors:
                errors[key] = [
                    _("Score “%(name)s” before submitting.") % {"name": criterion.name}
                ]
    if errors:
        raise ValidationError(errors)
    return values


def _clean_text(value: str, field_name: str) -> str:
    value = (value or "").strip()
    if len(value) > COMMENT_MAX:
        raise ValidationError(
            {field_name: _("At most %(n)d characters.") % {"n": COMMENT_MAX}}
        )
    return value


def _write(
    *,
    actor,
    idea: Idea,
    scores: Mapping,
    team_comment: str,
    panel_note: str,
    submit: bool,
    when: datetime | None,
) -> Scorecard:
    # FOR NO KEY UPDATE on the idea alone: it waits for (and blocks) a
    # decision, which takes FOR UPDATE, but lets assignments be inserted.
    locked = (
        Idea.objects.select_for_update(no_key=True, of=("self",))
        .select_related("racecourse")
        .prefetch_related("racecourse__windows")
        .get(pk=idea.pk)
    )
    assignment = assignment_of(user=actor, idea=locked)
    refusal = scoring_refusal(user=actor, idea=locked, assignment=assignment, when=when)
    if refusal is not None:
        _raise(refusal)
    rubric = (
        Rubric.objects.select_for_update()
        .filter(racecourse_id=locked.racecourse_id)
        .first()
    )
    criteria = list(rubric.criteria.order_by("position", "pk")) if rubric else []
    if not criteria:
        raise ValidationError(
            _(
                "This racecourse has no rubric to score with yet; HR or the "
                "racecourse admin sets it up."
            ),
            code="no_rubric",
        )
    values = _clean_values(scores or {}, criteria, complete=submit)
    team_comment = _clean_text(team_comment, "team_comment")
    panel_note = _clean_text(panel_note, "panel_note")

    card, _created = Scorecard.objects.select_for_update().get_or_create(
        assignment=assignment
    )
    if not submit and card.status == Scorecard.Status.SUBMITTED:
        raise ValidationError(
            _(
                "Your scorecard is already submitted. Submit it again to change "
                "it; it cannot go back to a draft."
            ),
            code="already_submitted",
        )
    card.scores.all().delete()
    Score.objects.bulk_create(
        Score(scorecard=card, criterion_id=criterion_id, value=value)
        for criterion_id, value in values.items()
    )
    card.team_comment, card.panel_note = team_comment, panel_note
    if submit:
        card.status = Scorecard.Status.SUBMITTED
        card.submitted_at = when or timezone.now()
    card.save()
    return card


@transaction.atomic
def scorecard_save(
    *,
    actor,
    idea: Idea,
    scores: Mapping,
    team_comment: str = "",
    panel_note: str = "",
    when: datetime | None = None,
) -> Scorecard:
    """Save the actor's scorecard for ``idea`` as a draft.

    ``scores`` maps criterion ids to values (``None`` or missing: not scored
    yet) and replaces what the draft held. Each given value must lie in its
    criterion's scale. A submitted card is changed by submitting it again,
    never turned back into a draft.
    """
    return _write(
        actor=actor,
        idea=idea,
        scores=scores,
        team_comment=team_comment,
        panel_note=panel_note,
        submit=False,
        when=when,
    )


@transaction.atomic
def scorecard_submit(
    *,
    actor,
    idea: Idea,
    scores: Mapping,
    team_comment: str = "",
    panel_note: str = "",
    when: datetime | None = None,
) -> Scorecard:
    """Submit (or revise) the actor's scorecard: every criterion scored.

    The other evaluators' cards and the panel's discussion open to the
    evaluator from then on. ``submitted_at`` is the latest submission.
    """
    return _write(
        actor=actor,
        idea=idea,
        scores=scores,
        team_comment=team_comment,
        panel_note=panel_note,
        submit=True,
        when=when,
    )


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
    return (
        Assignment.objects.filter(idea=idea)
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
        if not can(user, "ideas.view_idea", idea):
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
    if page.submitted:
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
