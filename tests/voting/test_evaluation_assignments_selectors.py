"""Reads around assignments: loads, the admin's matrix, the evaluator's lists."""

import pytest

from ideas.models import Stage
from tests.factories import UserFactory, idea_in_stage
from tests.factories_evaluation import (
    assign,
    evaluator,
    idea_in_evaluation,
    pool_of,
    racecourse_with_pool,
    scorecard,
)
from voting.evaluation.assignments.matrix import assignment_matrix
from voting.evaluation.assignments.pool import preference_set
from voting.evaluation.assignments.selectors import (
    assignment_list,
    declarable_projects,
    evaluator_loads,
    my_assignments,
    my_conflicts,
    my_pools,
    preference_projects,
)
from voting.evaluation.conflicts.declared import conflict_declare

pytestmark = pytest.mark.django_db


@pytest.fixture
def racecourse():
    return racecourse_with_pool(
        3, evaluators_per_project=2, max_projects_per_evaluator=2
    )


def test_loads_count_projects_in_evaluation_of_this_racecourse(racecourse):
    """A load counts this racecourse's projects in evaluation only; submitted
    scorecards are counted apart."""
    judge = pool_of(racecourse)[0]
    scorecard(assign(idea_in_evaluation(racecourse=racecourse), judge), submitted=True)
    assign(idea_in_evaluation(racecourse=racecourse), judge)
    assign(idea_in_stage(Stage.REALIZATION, racecourse=racecourse), judge)
    assign(idea_in_evaluation(racecourse=racecourse_with_pool(0)), judge)
    loads = {load.evaluator: load for load in evaluator_loads(racecourse=racecourse)}
    assert loads[judge].load == 2 and loads[judge].submitted == 1
    assert loads[judge].full and not loads[judge].over and loads[judge].percent == 100
    assert loads[pool_of(racecourse)[1]].load == 0


def test_matrix_marks_assignments_conflicts_and_preferences(racecourse):
    a, b, c = pool_of(racecourse)
    project = idea_in_evaluation(racecourse=racecourse)
    assignment = assign(project, a)
    scorecard(assignment, submitted=True)
    conflict_declare(actor=b, idea=project, evaluator=b, kind="other")
    preference_set(evaluator=c, idea=project, level=1)
    matrix = assignment_matrix(racecourse=racecourse)
    (row,) = matrix.rows
    cells = {cell.evaluator: cell for cell in row.cells}
    assert cells[a].assignment == assignment and cells[a].status == "submitted"
    assert cells[b].conflicted and cells[b].status == "conflict"
    assert cells[c].preference == 1 and cells[c].status == "open"
    assert row.assigned == 1 and row.needed == 2 and row.shortfall == "open"
    assert matrix.components == 1 and matrix.connected
    assert matrix.assigned_total == 1 and matrix.short == [row]


def test_matrix_shortfall_reasons():
    """Why a project lacks evaluators: the pool, conflicts, or capacity."""
    small = racecourse_with_pool(1, evaluators_per_project=2)
    idea_in_evaluation(racecourse=small)
    assert assignment_matrix(racecourse=small).rows[0].shortfall == "pool"

    racecourse = racecourse_with_pool(2, evaluators_per_project=2)
    a, b = pool_of(racecourse)
    project = idea_in_evaluation(racecourse=racecourse)
    conflict_declare(actor=a, idea=project, evaluator=a, kind="other")
    assert assignment_matrix(racecourse=racecourse).rows[0].shortfall == "conflicts"

    full = racecourse_with_pool(
        2, evaluators_per_project=2, max_projects_per_evaluator=1
    )
    c, d = pool_of(full)
    assign(idea_in_evaluation(racecourse=full), c)
    assign(idea_in_evaluation(racecourse=full), d)
    rows = assignment_matrix(racecourse=full).rows
    assert {row.shortfall for row in rows} == {"capacity"}
    assert assignment_matrix(racecourse=full).components == 2


def test_matrix_in_constant_queries(django_assert_max_num_queries):
    """The matrix costs the same few queries for 2 projects or 10."""
    racecourse = racecourse_with_pool(4, evaluators_per_project=2)
    judges = pool_of(racecourse)
    for i in range(10):
        idea = idea_in_evaluation(racecourse=racecourse)
        assign(idea, judges[i % 4])
        preference_set(evaluator=judges[(i + 1) % 4], idea=idea, level=1)
    with django_assert_max_num_queries(9):
        matrix = assignment_matrix(racecourse=racecourse)
        statuses = [cell.status for row in matrix.rows for cell in row.cells]
    assert len(statuses) == 40


def test_my_assignments_across_racecourses_without_conflicts():
    """Every racecourse's assignments, projects in evaluation first, never one
    the evaluator is now conflicted with; the team is hidden when blind."""
    judge = evaluator()
    open_rc = racecourse_with_pool(0)
    blind_rc = racecourse_with_pool(0, blind_evaluation=True)
    visible = assign(idea_in_evaluation(racecourse=open_rc), judge)
    blind = assign(idea_in_evaluation(racecourse=blind_rc), judge)
    anonymous = assign(idea_in_evaluation(racecourse=open_rc, anonymous=True), judge)
    done = assign(idea_in_stage(Stage.REALIZATION, racecourse=open_rc), judge)
    assign(  # conflicted: its author reports to the judge
        idea_in_evaluation(racecourse=open_rc, author=UserFactory(manager=judge)),
        judge,
    )
    scorecard(visible)
    mine = my_assignments(user=judge)
    assert [a.pk for a in mine][-1] == done.pk
    assert {a.pk for a in mine} == {visible.pk, blind.pk, anonymous.pk, done.pk}
    by_pk = {a.pk: a for a in mine}
    assert not by_pk[visible.pk].team_hidden and by_pk[visible.pk].card is not None
    assert by_pk[blind.pk].team_hidden and by_pk[anonymous.pk].team_hidden
    assert by_pk[blind.pk].card is None


def test_my_pools_with_loads():
    judge = evaluator()
    first, second = racecourse_with_pool(0), racecourse_with_pool(0)
    first.evaluators.add(judge)
    second.evaluators.add(judge)
    assign(idea_in_evaluation(racecourse=first), judge)
    seats = {seat.racecourse: seat for seat in my_pools(user=judge)}
    assert seats[first].load == 1 and seats[second].load == 0
    assert seats[first].limit == first.max_projects_per_evaluator
    assert my_pools(user=UserFactory()) == []


def test_my_conflicts_declarable_and_preference_projects(racecourse):
    """The evaluator's conflicts (automatic and declared), the projects they
    may still declare against, and those open to preferences."""
    judge = pool_of(racecourse)[0]
    managed = idea_in_evaluation(
        racecourse=racecourse, author=UserFactory(manager=judge)
    )
    declared = idea_in_evaluation(racecourse=racecourse)
    free = idea_in_evaluation(racecourse=racecourse)
    gestating = idea_in_stage(Stage.GESTATION, racecourse=racecourse)
    idea_in_evaluation(racecourse=racecourse_with_pool(1))  # not my pool
    conflict_declare(actor=judge, idea=declared, evaluator=judge, kind="other")
    preference_set(evaluator=judge, idea=free, level=-1)

    conflicts = {(idea.pk, info.kind) for idea, info in my_conflicts(user=judge)}
    assert conflicts == {(managed.pk, "manager"), (declared.pk, "other")}
    assert {i.pk for i in declarable_projects(user=judge)} == {
        managed.pk,
        free.pk,
        gestating.pk,
    }
    assert [(i.pk, level) for i, level in preference_projects(user=judge)] == [
        (free.pk, -1)
    ]
    outsider = UserFactory()
    assert declarable_projects(user=outsider) == []
    assert preference_projects(user=outsider) == []


def test_assignment_list_is_the_racecourses(racecourse):
    project = idea_in_evaluation(racecourse=racecourse)
    assignment = assign(project, pool_of(racecourse)[0])
    assign(idea_in_evaluation(racecourse=racecourse_with_pool(0)), evaluator())
    assert list(assignment_list(racecourse=racecourse)) == [assignment]


def test_pool_lists_hold_only_projects_the_evaluator_may_see(racecourse):
    """A confidential project of the pool is not listed to a pool evaluator
    who is not assigned to it, not even by title (POLICY.md: other evaluators
    see nothing of it); once assigned, it is. Found by the leak matrix."""
    judge, reader = pool_of(racecourse)[:2]
    secret = idea_in_evaluation(racecourse=racecourse, visibility="confidential")
    assign(secret, reader)

    assert secret.pk not in {i.pk for i in declarable_projects(user=judge)}
    assert secret.pk not in {i.pk for i, _ in preference_projects(user=judge)}
    assert secret.pk in {i.pk for i in declarable_projects(user=reader)}
