"""Writes: saving a scorecard as a draft, and submitting (or revising) it."""

from collections.abc import Mapping
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contests.models import Criterion, Rubric
from horserace.accounts.models import User
from ideas.models import Idea
from voting.screening.selectors.rounds import Refusal

from ... import lifecycles
from ...models import Score, Scorecard
from .selectors import assignment_of, scoring_refusal

COMMENT_MAX = 4000


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
    actor: User,
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
        card.submitted_at = when or timezone.now()
    if submit and card.status != Scorecard.Status.SUBMITTED:
        lifecycles.move(
            card,
            "submit",
            actor=actor,
            update_fields=["team_comment", "panel_note", "submitted_at"],
        )
    else:
        card.save()
    return card


@transaction.atomic
def scorecard_save(
    *,
    actor: User,
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
    actor: User,
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
