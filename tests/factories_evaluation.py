"""Helpers for offline-evaluation tests: evaluator pools, projects, assignments.

Rubric-free on purpose: the scorecard tests build their rubric themselves.
The signatures of ``evaluator``, ``racecourse_with_pool`` and ``assign`` are
shared with other test modules; keep them stable.
"""

from django.utils import timezone

from contests.models import Racecourse
from horserace.accounts.models import User
from ideas.models import Idea, Stage
from tests.factories import UserFactory, idea_in_stage, open_racecourse
from voting.models import Assignment, Scorecard


def evaluator(**kw) -> User:
    """A user with the company-wide evaluator role."""
    kw.setdefault("is_evaluator", True)
    return UserFactory(**kw)


def racecourse_with_pool(n: int = 3, **kw) -> Racecourse:
    """A main racecourse (registration open) with ``n`` evaluators in its pool.

    ``kw`` goes to the racecourse factory (``evaluators_per_project``,
    ``max_projects_per_evaluator``, ``conflict_same_department``, ...). The
    pool is ``racecourse.evaluators.order_by("pk")``.
    """
    racecourse = open_racecourse(**kw)
    racecourse.evaluators.add(*[evaluator() for _ in range(n)])
    return racecourse


def pool_of(racecourse: Racecourse) -> list[User]:
    """The racecourse's evaluators, in the order they were added."""
    return list(racecourse.evaluators.order_by("pk"))


def idea_in_evaluation(*, racecourse: Racecourse, **kw) -> Idea:
    """A project of ``racecourse`` walked through the funnel to evaluation."""
    return idea_in_stage(Stage.EVALUATION, racecourse=racecourse, **kw)


def assign(idea: Idea, evaluator: User, **kw) -> Assignment:
    """Assign ``evaluator`` to ``idea`` (added to the pool if needed)."""
    idea.racecourse.evaluators.add(evaluator)
    kw.setdefault("source", Assignment.Source.MANUAL)
    return Assignment.objects.create(idea=idea, evaluator=evaluator, **kw)


def scorecard(assignment: Assignment, *, submitted: bool = False) -> Scorecard:
    """An empty scorecard for ``assignment``, a draft or submitted."""
    if submitted:
        return Scorecard.objects.create(
            assignment=assignment,
            status=Scorecard.Status.SUBMITTED,
            submitted_at=timezone.now(),
        )
    return Scorecard.objects.create(assignment=assignment)
