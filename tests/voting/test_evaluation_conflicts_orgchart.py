"""Conflicts of interest on generated org charts (hypothesis), and each rule.

Hypothesis draws a company (a department tree, a manager forest), a
racecourse (pool, management depth, same-department flag), its ideas at
several stages with their teams, and a trainer. The conflict set the code
computes — ``conflict_map``, ``conflicts_for_ideas`` and ``is_conflicted``
— must equal the definition in ``voting.evaluation.conflicts.automatic``,
worked out here in plain Python from what was drawn. Then the automatic
assignment runs and must assign no conflicted pair and nobody above L.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contests.models import Racecourse
from ideas.models import Stage, TeamMembership, TrainerAssignment
from tests.factories import DepartmentFactory, UserFactory, idea_in_stage
from tests.factories_evaluation import (
    evaluator,
    idea_in_evaluation,
    racecourse_with_pool,
)
from tests.factories_gestation import trainer_for
from voting.evaluation.assignments.assign import assignments_auto
from voting.evaluation.conflicts.automatic import (
    ENTRANT_STAGES,
    conflict_map,
    conflicts_for_ideas,
    is_conflicted,
)
from voting.models import Assignment, Conflict

pytestmark = pytest.mark.django_db

STAGES = [Stage.EVALUATION, Stage.EVALUATION, Stage.GESTATION, Stage.ELIMINATED]
TRAINER_STATES = [s for s, _label in TrainerAssignment.Status.choices]


@st.composite
def companies(draw):
    n_people = draw(st.integers(3, 9))
    n_departments = draw(st.integers(1, 3))
    # A forest: each person's manager comes before them (or nobody).
    managers = [
        draw(st.one_of(st.none(), st.integers(0, i - 1))) if i else None
        for i in range(n_people)
    ]
    departments = [
        draw(st.one_of(st.none(), st.integers(0, n_departments - 1)))
        for _ in range(n_people)
    ]
    people = st.integers(0, n_people - 1)
    ideas = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "author": people,
                    "members": st.sets(people, max_size=2),
                    "stage": st.sampled_from(STAGES),
                }
            ),
            min_size=1,
            max_size=3,
        )
    )
    return {
        "managers": managers,
        "departments": departments,
        "pool": draw(st.sets(people, min_size=1)),
        "depth": draw(st.integers(0, 3)),
        "same_department": draw(st.booleans()),
        "max_load": draw(st.integers(1, 3)),
        "ideas": ideas,
        "trainer": draw(
            st.one_of(st.none(), st.tuples(people, st.sampled_from(TRAINER_STATES)))
        ),
    }


def _expected(company, idea_index: int) -> dict[int, set[str]]:
    """person index → the kinds of conflict the definition gives, for one idea."""
    ideas = company["ideas"]
    idea = ideas[idea_index]
    team = {idea["author"], *idea["members"]}
    found: dict[int, set[str]] = {}

    def add(person, kind):
        found.setdefault(person, set()).add(kind)

    for person in team:
        add(person, Conflict.Kind.TEAM)
        boss, level = company["managers"][person], 1
        while boss is not None and level <= company["depth"]:
            add(boss, Conflict.Kind.MANAGER)
            boss, level = company["managers"][boss], level + 1
    if idea_index == 0 and company["trainer"] is not None:
        person, state = company["trainer"]
        if state in (TrainerAssignment.Status.ACTIVE, TrainerAssignment.Status.ENDED):
            add(person, Conflict.Kind.TRAINER)
    for other in ideas:
        if other["stage"] in ENTRANT_STAGES:
            for person in {other["author"], *other["members"]} - team:
                add(person, Conflict.Kind.ENTRANT)
    captain = idea["author"]
    dept = company["departments"][captain]
    if company["same_department"] and dept is not None:
        for person, their in enumerate(company["departments"]):
            if their == dept and person != captain:
                add(person, Conflict.Kind.DEPARTMENT)
    return found


def _build(company):
    departments = [DepartmentFactory() for _ in range(3)]
    people = []
    for manager, dept in zip(company["managers"], company["departments"], strict=True):
        people.append(
            evaluator(
                manager=people[manager] if manager is not None else None,
                department=departments[dept] if dept is not None else None,
            )
        )
    racecourse = racecourse_with_pool(
        0,
        conflict_manager_depth=company["depth"],
        conflict_same_department=company["same_department"],
        max_projects_per_evaluator=company["max_load"],
        evaluators_per_project=2,
    )
    racecourse.evaluators.add(*[people[i] for i in company["pool"]])
    ideas = []
    for drawn in company["ideas"]:
        idea = idea_in_stage(
            drawn["stage"], racecourse=racecourse, author=people[drawn["author"]]
        )
        for member in drawn["members"] - {drawn["author"]}:
            TeamMembership.objects.create(idea=idea, user=people[member])
        ideas.append(idea)
    if company["trainer"] is not None:
        person, state = company["trainer"]
        TrainerAssignment.objects.create(
            idea=ideas[0],
            trainer=trainer_for(ideas[0], user=people[person]),
            status=state,
        )
    return racecourse, people, ideas


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(companies())
def test_conflicts_on_generated_org_charts_equal_the_definition(company):
    """On any org chart the computed conflicts are exactly the definition's,
    for the pool and for anyone, and the automatic assignment respects them
    and L."""
    with transaction.atomic():
        racecourse, people, ideas = _build(company)
        racecourse = Racecourse.objects.get(pk=racecourse.pk)
        for idea in ideas:
            idea.racecourse = racecourse
        index = {person.pk: i for i, person in enumerate(people)}
        pool = company["pool"]
        computed = conflict_map(ideas=ideas)
        listed: dict[tuple[int, int], set[str]] = {}
        for info in conflicts_for_ideas(ideas=ideas):
            key = (info.idea_id, index[info.evaluator_id])
            listed.setdefault(key, set()).add(info.kind)
        for n, idea in enumerate(ideas):
            expected = _expected(company, n)
            anyone = {
                p
                for p, kinds in expected.items()
                if p in pool
                or kinds - {Conflict.Kind.ENTRANT, Conflict.Kind.DEPARTMENT}
            }
            assert {index[pk] for pk in computed[idea.pk]} == anyone
            assert {p: kinds for (i, p), kinds in listed.items() if i == idea.pk} == {
                p: kinds for p, kinds in expected.items() if p in pool
            }
            for p, person in enumerate(people):
                assert is_conflicted(user=person, idea=idea) == (p in expected), p

        hr = UserFactory(is_hr_admin=True)
        assignments_auto(actor=hr, racecourse=racecourse)
        loads: dict[int, int] = {}
        for idea_id, evaluator_id in Assignment.objects.filter(
            idea__racecourse=racecourse
        ).values_list("idea_id", "evaluator_id"):
            assert evaluator_id not in computed[idea_id]
            assert index[evaluator_id] in pool
            loads[evaluator_id] = loads.get(evaluator_id, 0) + 1
        assert all(load <= company["max_load"] for load in loads.values())
        transaction.set_rollback(True)


# --- Each rule, by hand ------------------------------------------------------------


@pytest.fixture
def racecourse():
    return racecourse_with_pool(0)


def _with_member(racecourse, member, **kw):
    idea = idea_in_evaluation(racecourse=racecourse, **kw)
    TeamMembership.objects.create(idea=idea, user=member)
    return idea


def test_the_manager_of_any_member_is_conflicted(racecourse):
    """Not only the captain's manager: a plain member's manager too."""
    boss = evaluator()
    racecourse.evaluators.add(boss)
    idea = _with_member(racecourse, UserFactory(manager=boss))
    assert is_conflicted(user=boss, idea=idea)
    assert boss.pk in conflict_map(ideas=[idea])[idea.pk]


def test_the_management_chain_reaches_the_configured_depth():
    """With depth 2 the manager's manager is conflicted, the next one is not;
    with depth 3 they are."""
    top = evaluator()
    middle = evaluator(manager=top)
    boss = evaluator(manager=middle)
    racecourse = racecourse_with_pool(0, conflict_manager_depth=2)
    idea = idea_in_evaluation(racecourse=racecourse, author=UserFactory(manager=boss))
    assert is_conflicted(user=middle, idea=idea)
    assert not is_conflicted(user=top, idea=idea)
    assert top.pk not in conflict_map(ideas=[idea])[idea.pk]
    racecourse.conflict_manager_depth = 3
    racecourse.save()
    idea.racecourse = racecourse
    assert is_conflicted(user=top, idea=idea)
    assert top.pk in conflict_map(ideas=[idea])[idea.pk]


def test_the_teams_trainer_current_or_former_is_conflicted(racecourse):
    """An active or ended trainer assignment conflicts; a declined request not."""
    idea = idea_in_evaluation(racecourse=racecourse)
    coach, asked = evaluator(), evaluator()
    TrainerAssignment.objects.create(
        idea=idea,
        trainer=trainer_for(idea, user=coach),
        status=TrainerAssignment.Status.ENDED,
    )
    TrainerAssignment.objects.create(
        idea=idea,
        trainer=trainer_for(idea, user=asked),
        status=TrainerAssignment.Status.DECLINED,
    )
    assert is_conflicted(user=coach, idea=idea)
    assert coach.pk in conflict_map(ideas=[idea])[idea.pk]
    assert not is_conflicted(user=asked, idea=idea)


def test_entrants_of_the_same_racecourse_are_conflicted(racecourse):
    """An evaluator on the team of a rival project may not judge; an idea
    that is out of the race, or in another racecourse, does not count."""
    rival = evaluator()
    racecourse.evaluators.add(rival)
    idea = idea_in_evaluation(racecourse=racecourse)
    elsewhere = idea_in_evaluation(racecourse=racecourse_with_pool(0))
    TeamMembership.objects.create(idea=elsewhere, user=rival)
    assert not is_conflicted(user=rival, idea=idea)
    out = idea_in_stage(Stage.ELIMINATED, racecourse=racecourse)
    TeamMembership.objects.create(idea=out, user=rival)
    assert not is_conflicted(user=rival, idea=idea)
    _with_member(racecourse, rival)
    assert is_conflicted(user=rival, idea=idea)
    assert rival.pk in conflict_map(ideas=[idea])[idea.pk]
    kinds = {
        c.kind for c in conflicts_for_ideas(ideas=[idea]) if c.evaluator_id == rival.pk
    }
    assert kinds == {Conflict.Kind.ENTRANT}


def test_every_door_asks_the_complete_definition(racecourse):
    """An evaluator assigned before becoming a rival entrant loses the project
    everywhere: scoring is refused, the rules say conflicted, manual
    assignment refuses them, and the automatic run drops the assignment."""
    from horserace.common.permissions import can
    from voting.evaluation.assignments.assign import assignment_add
    from voting.evaluation.scorecards.selectors import scoring_refusal

    judge = evaluator()
    racecourse.evaluators.add(judge)
    idea, other = (idea_in_evaluation(racecourse=racecourse) for _ in range(2))
    Assignment.objects.create(idea=idea, evaluator=judge)
    assert scoring_refusal(user=judge, idea=idea) is None
    assert can(judge, "voting.score_idea", idea)
    _with_member(racecourse, judge)  # now on a rival team
    refusal = scoring_refusal(user=judge, idea=idea)
    assert refusal is not None and refusal.code == "conflicted"
    assert not can(judge, "voting.score_idea", idea)
    hr = UserFactory(is_hr_admin=True)
    with pytest.raises(ValidationError):
        assignment_add(actor=hr, idea=other, evaluator=judge)
    assignments_auto(actor=hr, racecourse=racecourse)
    assert not Assignment.objects.filter(evaluator=judge).exists()
