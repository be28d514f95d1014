"""The assignment services under any sequence of steps (hypothesis, stateful).

``test_evaluation_solver.py`` checks the pure solver on generated pools; this
drives the services that feed it from the database: automatic and manual
assignment, declared conflicts, and changes of L and of the management depth,
on a pool whose evaluators manage project authors (one and two levels up) or
compete in the same racecourse. After every step no assignment is conflicted (asked through
``is_conflicted``, the one-query form of the definition, not the map the
solver is given), and no step gives an evaluator a project beyond L.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from ideas.models import TeamMembership
from tests.factories import UserFactory
from tests.factories_evaluation import (
    evaluator,
    idea_in_evaluation,
    racecourse_with_pool,
)
from voting.evaluation.assignments.assign import assignment_add, assignments_auto
from voting.evaluation.assignments.pool import evaluation_settings_update
from voting.evaluation.conflicts.automatic import is_conflicted
from voting.evaluation.conflicts.declared import conflict_declare
from voting.models import Assignment

POOL, PROJECTS = 4, 5

pytestmark = pytest.mark.django_db


class AssignmentMachine(RuleBasedStateMachine):
    @initialize()
    def setup(self):
        """A fixed org chart; hypothesis draws the steps. Project 0's author
        reports to evaluator 0, project 1's to evaluator 1, project 2's to a
        manager outside the pool who reports to evaluator 2 (two levels up);
        project 3's author has no manager; evaluator 3 is on a rival team."""
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.racecourse = racecourse_with_pool(
            0, evaluators_per_project=2, max_projects_per_evaluator=2
        )
        self.pool = [evaluator() for _ in range(POOL)]
        self.racecourse.evaluators.add(*self.pool)
        middle = UserFactory(manager=self.pool[2])
        managers = [self.pool[0], self.pool[1], middle, None]
        self.projects = [
            idea_in_evaluation(
                racecourse=self.racecourse, author=UserFactory(manager=manager)
            )
            for manager in managers
        ]
        rival = idea_in_evaluation(racecourse=self.racecourse)
        TeamMembership.objects.create(idea=rival, user=self.pool[3])
        self.projects.append(rival)
        self.hr = UserFactory(is_hr_admin=True)

    def teardown(self):
        if hasattr(self, "atomic"):
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

    def _loads(self) -> dict[int, int]:
        loads = dict.fromkeys((e.pk for e in self.pool), 0)
        for evaluator_id in Assignment.objects.filter(
            idea__racecourse=self.racecourse
        ).values_list("evaluator_id", flat=True):
            loads[evaluator_id] += 1
        return loads

    def _limit(self) -> int:
        self.racecourse.refresh_from_db()
        return self.racecourse.max_projects_per_evaluator

    @rule()
    def auto(self):
        before = self._loads()
        assignments_auto(actor=self.hr, racecourse=self.racecourse)
        limit = self._limit()
        for pk, load in self._loads().items():
            assert load <= max(limit, before[pk])

    @rule(p=st.integers(0, PROJECTS - 1), e=st.integers(0, POOL - 1))
    def manual(self, p, e):
        idea, judge = self.projects[p], self.pool[e]
        conflicted = is_conflicted(user=judge, idea=idea)
        try:
            assignment_add(actor=self.hr, idea=idea, evaluator=judge)
        except ValidationError:
            return
        assert not conflicted
        assert self._loads()[judge.pk] <= self._limit()

    @rule(p=st.integers(0, PROJECTS - 1), e=st.integers(0, POOL - 1))
    def declare(self, p, e):
        idea, judge = self.projects[p], self.pool[e]
        try:
            conflict_declare(actor=judge, idea=idea, evaluator=judge, kind="personal")
        except ValidationError:
            pass  # declared already
        assert not Assignment.objects.filter(idea=idea, evaluator=judge).exists()

    @rule(limit=st.integers(1, 3))
    def set_limit(self, limit):
        evaluation_settings_update(
            actor=self.hr, racecourse=self.racecourse, max_projects_per_evaluator=limit
        )

    @rule(depth=st.integers(0, 3))
    def set_depth(self, depth):
        evaluation_settings_update(
            actor=self.hr, racecourse=self.racecourse, conflict_manager_depth=depth
        )

    @invariant()
    def no_assignment_is_conflicted(self):
        if not hasattr(self, "racecourse"):
            return
        for assignment in Assignment.objects.filter(
            idea__racecourse=self.racecourse
        ).select_related("evaluator", "idea__racecourse"):
            assert not is_conflicted(user=assignment.evaluator, idea=assignment.idea), (
                assignment.evaluator_id,
                assignment.idea_id,
            )


def test_assignment_services_never_assign_a_conflict_or_exceed_l():
    """Any sequence of automatic and manual assignment, declared conflicts and
    setting changes: no conflicted assignment, nobody pushed beyond L."""
    run_state_machine_as_test(
        AssignmentMachine,
        settings=settings(
            max_examples=15,
            stateful_step_count=12,
            deadline=None,
            derandomize=True,
        ),
    )
