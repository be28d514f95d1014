"""Helpers for scorecard, panel and rubric tests.

Rubrics, scorecards and decisions are made through their services (with an
HR actor where a person must act); final proposals and screening tallies,
which other parts of the platform write, are plain rows. Pools, projects in
evaluation and assignments come from ``tests.factories_evaluation``.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from contests.models import Racecourse, Rubric, StageWindow, WindowStage
from ideas.models import FinalProposal, Idea
from tests.factories import StageWindowFactory, UserFactory
from tests.factories_evaluation import assign, evaluator, idea_in_evaluation
from voting.evaluation.panel.decision import panel_decide
from voting.evaluation.rubrics import criterion_add, rubric_save
from voting.evaluation.scorecards.services import scorecard_submit
from voting.models import Assignment, PanelDecision, Scorecard, Tally

#: name, lowest, highest, weight
DEFAULT_CRITERIA = [
    ("Customer value", 1, 5, Decimal(2)),
    ("Feasibility", 1, 5, Decimal(1)),
    ("Originality", 0, 10, Decimal(1)),
]


def hr(**kw):
    """An HR admin."""
    kw.setdefault("is_hr_admin", True)
    return UserFactory(**kw)


def rubric_for(racecourse: Racecourse, criteria=DEFAULT_CRITERIA, **kw) -> Rubric:
    """A rubric with ``criteria`` on ``racecourse``, made by an HR admin."""
    actor = kw.pop("actor", None) or hr()
    rubric = rubric_save(
        actor=actor,
        racecourse=racecourse,
        title=kw.pop("title", "Offline evaluation"),
        instructions=kw.pop("instructions", "Judge the proposal, not the pitch."),
    )
    for name, low, high, weight in criteria:
        criterion_add(
            actor=actor,
            rubric=rubric,
            name=name,
            guidance=f"How strong is the {name.lower()}?",
            scale_min=low,
            scale_max=high,
            weight=weight,
        )
    return Rubric.objects.prefetch_related("criteria").get(pk=rubric.pk)


def criteria_of(racecourse: Racecourse) -> list:
    return list(racecourse.rubric.criteria.order_by("position", "pk"))


def proposal_for(idea: Idea, **kw) -> FinalProposal:
    """The team's final proposal (written by the gestation part)."""
    return FinalProposal.objects.create(
        idea=idea,
        summary=kw.get("summary", "Spare cold-chain capacity, rented by the box."),
        document=kw.get("document", "## Plan\nPilot with **20** sellers."),
        submitted_by=kw.get("submitted_by", idea.author),
        submitted_at=kw.get("submitted_at", timezone.now()),
    )


def project(racecourse: Racecourse, **kw) -> Idea:
    """A project in offline evaluation on ``racecourse``, with a final proposal."""
    idea = idea_in_evaluation(racecourse=racecourse, **kw)
    proposal_for(idea)
    return idea


def values_for(racecourse: Racecourse, *values) -> dict[int, int]:
    """Criterion id → value, in the rubric's order."""
    return {c.pk: v for c, v in zip(criteria_of(racecourse), values, strict=True)}


def scored(
    idea: Idea,
    who=None,
    values=None,
    *,
    team_comment: str = "Clear plan.",
    panel_note: str = "Strong team.",
) -> Scorecard:
    """``who`` (a new evaluator by default), assigned and submitting a card.

    ``values`` maps criterion ids to values, or is a tuple in rubric order;
    by default the middle of every scale.
    """
    who = who or evaluator()
    if not Assignment.objects.filter(idea=idea, evaluator=who).exists():
        assign(idea, who)
    criteria = criteria_of(idea.racecourse)
    if values is None:
        values = {c.pk: (c.scale_min + c.scale_max) // 2 for c in criteria}
    elif isinstance(values, tuple | list):
        values = {c.pk: v for c, v in zip(criteria, values, strict=True)}
    return scorecard_submit(
        actor=who,
        idea=idea,
        scores=values,
        team_comment=team_comment,
        panel_note=panel_note,
    )


def decided(idea: Idea, outcome=PanelDecision.Outcome.SELECTED, actor=None):
    """The panel's decision on ``idea``, recorded by an HR admin."""
    return panel_decide(
        actor=actor or hr(),
        idea=idea,
        outcome=outcome,
        feedback="Well argued; the pilot plan convinced us.",
    )


def screening_window_of(racecourse: Racecourse, **kw) -> StageWindow:
    """The racecourse's screening window (a closed one is made if missing)."""
    window = StageWindow.objects.filter(
        racecourse=racecourse, stage=WindowStage.SCREENING
    ).first()
    if window is None:
        now = timezone.now()
        window = StageWindowFactory(
            racecourse=racecourse,
            stage=WindowStage.SCREENING,
            opens_at=now - dt.timedelta(days=40),
            closes_at=now - dt.timedelta(days=30),
            **kw,
        )
    return window


def tally_for(idea: Idea, *, rank: int, rate: float = 0.5, voters: int = 10, **kw):
    """A screening snapshot for ``idea`` (as the tally task writes it)."""
    window = kw.pop("window", None) or screening_window_of(idea.racecourse)
    supports = round(rate * voters)
    return Tally.objects.create(
        idea=idea,
        window=window,
        supports=supports,
        opposes=voters - supports,
        voters=voters,
        support_rate=rate,
        rank=rank,
        computed_at=timezone.now(),
    )
