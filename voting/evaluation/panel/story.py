"""The panel's decision as the idea page tells it."""

from django.utils.translation import gettext as _

from horserace.common.permissions import can
from ideas.models import Idea
from ideas.visibility import is_team_member
from voting.evaluation.conflicts.automatic import conflict_map
from voting.evaluation.scorecards.selectors import (
    card_views,
    criterion_specs,
    rubric_of,
)

from ...models import PanelDecision
from ..aggregation import card_score
from .cards import panel_assignments
from .decision import manager_of


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
    if not (_is_member(user, idea) or manager_of(user, idea)):
        return story
    rubric = rubric_of(idea.racecourse)
    criteria = list(rubric.criteria.all()) if rubric else []
    specs = criterion_specs(criteria)
    conflicted = conflict_map(ideas=[idea])[idea.pk]
    counted = [
        a for a in panel_assignments([idea.pk]) if a.evaluator_id not in conflicted
    ]
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
