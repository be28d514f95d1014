"""Assignment services racing each other, on PostgreSQL's real row locks.

Every write that changes who is assigned locks the racecourse's row first, so
two automatic runs, a run and a conflict declared at that moment, or two
managers filling the evaluator's last slot cannot break a rule together.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.factories import UserFactory
from tests.factories_evaluation import (
    assign,
    idea_in_evaluation,
    pool_of,
    racecourse_with_pool,
)
from tests.threads import errors_of, run_together
from voting.evaluation.assignments.assign import assignment_add, assignments_auto
from voting.evaluation.conflicts.automatic import conflict_map
from voting.evaluation.conflicts.declared import conflict_declare
from voting.models import Assignment

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency tests need PostgreSQL (set DATABASE_URL)",
    ),
]


def test_two_automatic_runs_at_once_assign_each_pair_once():
    """Both runs succeed; the second adds what the first left, i.e. nothing."""
    racecourse = racecourse_with_pool(5, evaluators_per_project=3)
    ideas = [idea_in_evaluation(racecourse=racecourse) for _ in range(4)]
    hr = UserFactory(is_hr_admin=True)
    results = run_together(
        [lambda: assignments_auto(actor=hr, racecourse=racecourse) for _ in range(2)]
    )
    assert errors_of(results) == []
    created = sorted(len(value.created) for _ok, value in results)
    assert created == [0, 12]
    for idea in ideas:
        assert idea.evaluation_assignments.count() == 3


def test_conflict_declared_during_the_automatic_run_is_never_assigned():
    """Whichever goes first, the conflicted pair ends up unassigned."""
    racecourse = racecourse_with_pool(3, evaluators_per_project=3)
    project = idea_in_evaluation(racecourse=racecourse)
    judge = pool_of(racecourse)[0]
    hr = UserFactory(is_hr_admin=True)
    results = run_together(
        [
            lambda: assignments_auto(actor=hr, racecourse=racecourse),
            lambda: conflict_declare(
                actor=judge, idea=project, evaluator=judge, kind="personal"
            ),
        ]
    )
    assert errors_of(results) == []
    project.refresh_from_db()
    conflicts = conflict_map(ideas=[project])[project.pk]
    assert judge.pk in conflicts
    assert not Assignment.objects.filter(idea=project, evaluator=judge).exists()


def test_two_managers_cannot_both_fill_the_last_slot():
    """An evaluator one project below L: of two simultaneous manual
    assignments, one succeeds and the other is refused for the load."""
    racecourse = racecourse_with_pool(1, max_projects_per_evaluator=2)
    judge = pool_of(racecourse)[0]
    assign(idea_in_evaluation(racecourse=racecourse), judge)
    first, second = (idea_in_evaluation(racecourse=racecourse) for _ in range(2))
    admin = UserFactory()
    racecourse.admins.add(admin)
    hr = UserFactory(is_hr_admin=True)
    results = run_together(
        [
            lambda: assignment_add(actor=hr, idea=first, evaluator=judge),
            lambda: assignment_add(actor=admin, idea=second, evaluator=judge),
        ]
    )
    errors = errors_of(results)
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert errors[0].error_dict["evaluator"][0].code == "load"
    assert Assignment.objects.filter(evaluator=judge).count() == 2
