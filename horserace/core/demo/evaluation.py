"""Offline evaluation on the main racecourse: the rubric, the panel and its work.

The main racecourse's admin sets up the rubric and the evaluator pool
(``voting.evaluation.rubrics``, ``voting.evaluation.assignments``). Once the
projects have handed in their proposals, an evaluator declares a conflict,
states preferences, and the evaluators are assigned automatically (k = 3,
at most L = 6 projects each). The evaluators score; the chair (HR) decides
the projects whose cards are all in; the rest are still being scored, so
evaluator@ has one card submitted and one to go.

Scores are drawn with a fixed seed from each project's quality and each
evaluator's leniency, so the calibration on the panel page has something to
correct and every seeded demo looks the same.
"""

import random

from contests.models import Racecourse
from horserace.accounts.models import User
from ideas.models import Idea
from voting.evaluation import rubrics
from voting.evaluation.assignments.assign import assignments_auto
from voting.evaluation.assignments.pool import (
    evaluation_settings_update,
    evaluator_pool_add,
    preference_set,
)
from voting.evaluation.conflicts.declared import conflict_declare
from voting.evaluation.panel.decision import panel_comment_add, panel_decide
from voting.evaluation.scorecards.selectors import rubric_of
from voting.evaluation.scorecards.services import scorecard_save, scorecard_submit
from voting.models import Conflict, EvaluatorPreference, PanelDecision

from .ideas import IdeaSpec

RUBRIC_TITLE = "Main racecourse rubric"
RUBRIC_INSTRUCTIONS = (
    "Read the final proposal and its attachments before you score. Score what "
    "the team showed during gestation, not what it promises. Your comment for "
    "the team is read with the panel's decision: be specific and kind."
)
#: (name, guidance, lowest, highest, weight)
CRITERIA = [
    (
        "Customer value",
        "How much does it matter to the customers or colleagues it serves? Look "
        "for evidence from pilots and interviews, not opinions.",
        1,
        5,
        3,
    ),
    (
        "Feasibility",
        "Can this team build it with what it asks for, in the time it plans? "
        "Weigh technology, data, legal and operational risk.",
        1,
        5,
        2,
    ),
    (
        "Business impact",
        "Revenue, savings or strategic value for the Group within three years, "
        "as the proposal argues it.",
        1,
        10,
        3,
    ),
    (
        "Team",
        "Does the team have the skills and the commitment to carry it through "
        "realization?",
        1,
        5,
        1,
    ),
    (
        "Innovation",
        "How new is it, for us and for the market?",
        1,
        5,
        1,
    ),
]
EVALUATORS_PER_PROJECT = 3
PROJECTS_PER_EVALUATOR = 6

#: How good each project looks to the panel (0–1).
QUALITY = {
    "Returnable parcel boxes": 0.85,
    "Seller copilot for customer service": 0.9,
    "Village livestream studios": 0.78,
    "Instant refunds for trusted buyers": 0.72,
    "Virtual fitting rooms in 3D": 0.3,
    "Night-shift robot coaching": 0.66,
    "Cross-border size finder": 0.55,
    "Carbon ledger for merchants": 0.6,
}
#: How much more (or less) generous each evaluator is than the panel.
LENIENCY = {
    "chen.mingyuan": -0.08,
    "li.qiang": 0.1,
    "qian.hui": 0.0,
    "evaluator": -0.03,
    "he.jun": 0.05,
}
#: The panel's feedback on the projects it decided.
FEEDBACK = {
    "Returnable parcel boxes": "Selected. The pilot's reuse numbers convinced "
    "everyone; Last Mile Delivery will roll it out city by city.",
    "Seller copilot for customer service": "Selected. Strong evidence from 500 "
    "sellers; keep a person in the loop for every uncertain answer.",
    "Village livestream studios": "Selected: Taobao Live adopts it and the "
    "captain works on it full time. Keep the evening slot sacred.",
    "Instant refunds for trusted buyers": "Selected, with funding released in "
    "three stages against the guarantee fund's results.",
}
#: Projects still being scored: how many of their evaluators (other than
#: evaluator@) have submitted so far.
STILL_SCORING = {
    "Night-shift robot coaching": 2,
    "Cross-border size finder": 1,
    "Carbon ledger for merchants": 1,
}
#: evaluator@'s declared conflict: (project, kind, note).
DECLARED_CONFLICT = (
    "Carbon ledger for merchants",
    Conflict.Kind.COLLABORATION,
    "I advised the team on their data model last spring.",
)
#: Projects evaluator@ would like to judge.
WANTED = ("Night-shift robot coaching", "Cross-border size finder")

TEAM_COMMENTS = {
    "high": [
        "Convincing evidence from the pilot; the numbers speak for themselves.",
        "A clear problem, a simple answer and a team that delivers.",
        "Ready to scale. Watch the operating cost as you grow.",
    ],
    "middle": [
        "Promising, but the pilot is small: show it holds in more places.",
        "Good idea; the business case needs firmer numbers.",
        "I would like to see what customers do, not only what they say.",
    ],
    "low": [
        "The cost per user is too high for the value shown so far.",
        "Interesting technology; the customer need is not yet proven.",
    ],
}
PANEL_NOTES = [
    "",
    "Compare with the other logistics projects before deciding.",
    "",
    "Team is strong; I scored the plan, not the people.",
]


def evaluation_setup(*, people: dict[str, User], racecourse: Racecourse) -> None:
    """The rubric, the pool and the loads, as the racecourse's admin sets them."""
    admin = people["zhou.min"]
    rubric = rubrics.rubric_save(
        actor=admin,
        racecourse=racecourse,
        title=RUBRIC_TITLE,
        instructions=RUBRIC_INSTRUCTIONS,
    )
    for name, guidance, low, high, weight in CRITERIA:
        rubrics.criterion_add(
            actor=admin,
            rubric=rubric,
            name=name,
            guidance=guidance,
            scale_min=low,
            scale_max=high,
            weight=weight,
        )
    for key in LENIENCY:
        evaluator_pool_add(actor=admin, racecourse=racecourse, user=people[key])
    evaluation_settings_update(
        actor=admin,
        racecourse=racecourse,
        evaluators_per_project=EVALUATORS_PER_PROJECT,
        max_projects_per_evaluator=PROJECTS_PER_EVALUATOR,
        # The demo company is small and its pool senior: two levels up the
        # chain would conflict the pool's executives out of most projects.
        conflict_manager_depth=1,
    )


def evaluation_seed(
    *,
    specs: list[IdeaSpec],
    people: dict[str, User],
    ideas: dict[str, Idea],
    racecourse: Racecourse,
) -> None:
    """Conflict, preferences, assignments, scorecards and the decisions.

    ``specs`` are the projects in offline evaluation now; those whose final
    stage lies beyond it are decided.
    """
    for spec in specs:
        # The proposal moved them on through a fresh copy of the row.
        ideas[spec.title].refresh_from_db(fields=["stage"])
    evaluator = people["evaluator"]
    title, kind, note = DECLARED_CONFLICT
    conflict_declare(
        actor=evaluator, idea=ideas[title], evaluator=evaluator, kind=kind, note=note
    )
    for title in WANTED:
        preference_set(
            evaluator=evaluator, idea=ideas[title], level=EvaluatorPreference.Level.WANT
        )
    assignments_auto(actor=people["zhou.min"], racecourse=racecourse)
    criteria = list(rubric_of(racecourse).criteria.all())
    names = {user.pk: key for key, user in people.items()}
    for spec in specs:
        idea = ideas[spec.title]
        assigned = sorted(
            (names[a.evaluator_id] for a in idea.evaluation_assignments.all()),
            key=lambda key: (key == "evaluator", key),
        )
        if spec.stage == "evaluation":
            others = [key for key in assigned if key != "evaluator"]
            scoring = others[: STILL_SCORING[spec.title]]
        else:
            scoring = assigned
        for number, key in enumerate(scoring):
            _score(idea, people[key], key, criteria, number)
    _evaluator_scores(specs, people, ideas, criteria)
    _discuss(people, ideas)
    for spec in specs:
        if spec.stage == "evaluation":
            continue
        selected = spec.stage in ("realization", "realized")
        panel_decide(
            actor=people["hr"],
            idea=ideas[spec.title],
            outcome=(
                PanelDecision.Outcome.SELECTED
                if selected
                else PanelDecision.Outcome.ELIMINATED
            ),
            feedback=FEEDBACK[spec.title] if selected else spec.outcome,
        )


def _evaluator_scores(specs, people, ideas, criteria) -> None:
    """evaluator@ submits the first of her open projects and drafts the next."""
    evaluator = people["evaluator"]
    open_projects = [
        ideas[s.title]
        for s in specs
        if s.stage == "evaluation"
        and ideas[s.title].evaluation_assignments.filter(evaluator=evaluator).exists()
    ]
    for number, idea in enumerate(open_projects[:2]):
        _score(idea, evaluator, "evaluator", criteria, number, draft=number == 1)


def _score(idea, user, key, criteria, number, *, draft=False) -> None:
    quality = QUALITY[idea.title]
    rng = random.Random(f"demo-scores-{idea.title}-{key}")
    values = {}
    for criterion in criteria:
        level = quality + LENIENCY[key] + rng.uniform(-0.12, 0.12)
        level = min(1.0, max(0.0, level))
        span = criterion.scale_max - criterion.scale_min
        values[criterion.pk] = criterion.scale_min + round(level * span)
    band = "high" if quality >= 0.7 else "middle" if quality >= 0.5 else "low"
    comment = rng.choice(TEAM_COMMENTS[band])
    if draft:
        # Half-scored, no comment yet: what is left to do is plain to see.
        values = dict(list(values.items())[:2])
        scorecard_save(actor=user, idea=idea, scores=values)
        return
    scorecard_submit(
        actor=user,
        idea=idea,
        scores=values,
        team_comment=comment,
        panel_note=PANEL_NOTES[number % len(PANEL_NOTES)],
    )


def _discuss(people, ideas) -> None:
    """A short panel discussion on a project still being scored."""
    idea = ideas["Night-shift robot coaching"]
    panel_comment_add(
        actor=people["hr"],
        idea=idea,
        body="Logistics asked whether the routing model can run on older robots. "
        "Can the team answer before we decide?",
    )
