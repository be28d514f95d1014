"""The cards the panel counts, and the racecourse's calibration over them."""

from django.db.models import Q

from contests.models import Racecourse
from ideas.models import Idea, Stage
from voting.evaluation.conflicts.automatic import conflict_map
from voting.evaluation.scorecards.selectors import (
    criterion_specs,
    rubric_of,
    scorecard_of,
)

from ...models import Assignment, Scorecard
from .. import aggregation
from ..aggregation import Calibration, card_score


def board_ideas(racecourse: Racecourse):
    """The racecourse's projects in evaluation and those the panel decided."""
    return Idea.objects.filter(racecourse_id=racecourse.pk).filter(
        Q(stage=Stage.EVALUATION) | Q(panel_decision__isnull=False)
    )


def panel_assignments(idea_ids):
    return (
        Assignment.objects.filter(idea_id__in=idea_ids)
        .select_related("evaluator", "scorecard")
        .prefetch_related("scorecard__scores")
        .order_by("idea_id", "pk")
    )


def usable_cards(assignments, conflicts: dict[int, set[int]], specs):
    """``(evaluator id, idea id, score)`` of every submitted card to count.

    Also returns, per idea, how many submitted cards were set aside because
    their evaluator is now conflicted with the project.
    """
    cards = []
    set_aside: dict[int, int] = {}
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
    ideas = list(board_ideas(racecourse).select_related("racecourse"))
    rubric = rubric_of(racecourse)
    specs = criterion_specs(rubric.criteria.all() if rubric else [])
    conflicts = conflict_map(ideas=ideas)
    cards, _aside = usable_cards(
        panel_assignments([i.pk for i in ideas]), conflicts, specs
    )
    return aggregation.calibrate(cards)
