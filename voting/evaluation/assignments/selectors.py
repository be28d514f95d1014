"""Reads around the pool: projects, loads, assignments, conflicts, preferences."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple, TypedDict

from django.db.models import Count, Prefetch, Q, QuerySet

from contests.models import Racecourse
from horserace.accounts.models import User
from ideas.models import Idea, Stage, TeamMembership
from ideas.visibility import visible_q
from voting.evaluation.conflicts.automatic import (
    CONFLICT_STAGES,
    conflict_map,
    conflicts_for_ideas,
)

from ...models import Assignment, EvaluatorPreference, Scorecard

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

PROJECT_STAGE = Stage.EVALUATION


def evaluator_load(*, racecourse: Racecourse, evaluator) -> int:
    """How many of the racecourse's projects ``evaluator`` is assigned to."""
    return Assignment.objects.filter(
        evaluator=evaluator, idea__racecourse=racecourse, idea__stage=PROJECT_STAGE
    ).count()


def team_hidden(idea: Idea) -> bool:
    """Blind evaluation or an anonymous idea: evaluators do not see the team."""
    return idea.racecourse.blind_evaluation or idea.anonymous


def evaluation_projects(*, racecourse: Racecourse) -> QuerySet[Idea]:
    """The racecourse's projects (ideas in offline evaluation), by title."""
    return (
        Idea.objects.filter(racecourse=racecourse, stage=PROJECT_STAGE)
        .select_related("racecourse", "author")
        .order_by("title", "pk")
    )


class PoolCounts(TypedDict):
    """What ``evaluator_pool`` annotates on each evaluator."""

    load: int
    submitted: int


def evaluator_pool(
    *, racecourse: Racecourse
) -> "QuerySet[WithAnnotations[User, PoolCounts]]":
    """The pool with each evaluator's load and submitted scorecards (one query)."""
    here = Q(
        evaluation_assignments__idea__racecourse=racecourse,
        evaluation_assignments__idea__stage=PROJECT_STAGE,
    )
    return (
        racecourse.evaluators.select_related("department")
        .annotate(
            load=Count("evaluation_assignments", filter=here, distinct=True),
            submitted=Count(
                "evaluation_assignments",
                filter=here
                & Q(
                    evaluation_assignments__scorecard__status=Scorecard.Status.SUBMITTED
                ),
                distinct=True,
            ),
        )
        .order_by("display_name", "pk")
    )


@dataclass(frozen=True)
class EvaluatorLoad:
    evaluator: User
    load: int
    limit: int
    submitted: int = 0

    @property
    def full(self) -> bool:
        return self.load >= self.limit

    @property
    def over(self) -> bool:
        return self.load > self.limit

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.load / self.limit)) if self.limit else 0


def evaluator_loads(*, racecourse: Racecourse) -> list[EvaluatorLoad]:
    limit = racecourse.max_projects_per_evaluator
    return [
        EvaluatorLoad(user, user.load, limit, user.submitted)
        for user in evaluator_pool(racecourse=racecourse)
    ]


def _with_team(qs: QuerySet, prefix: str = "") -> QuerySet:
    return qs.prefetch_related(
        Prefetch(
            f"{prefix}memberships",
            queryset=TeamMembership.objects.select_related("user"),
        )
    )


def my_assignments(*, user) -> list[Assignment]:
    """The user's assignments on every racecourse, projects in evaluation first.

    Each has ``idea`` (with ``racecourse`` and the team), its ``scorecard`` if
    one was started, and ``team_hidden``. Assignments a conflict now forbids
    are left out.
    """
    assignments = list(
        _with_team(
            Assignment.objects.filter(evaluator=user).select_related(
                "idea__racecourse__season", "scorecard"
            ),
            "idea__",
        ).order_by("idea__racecourse__name", "idea__title", "pk")
    )
    conflicts = conflict_map(ideas=[a.idea for a in assignments])
    mine = [a for a in assignments if user.pk not in conflicts[a.idea_id]]
    for a in mine:
        a.team_hidden = team_hidden(a.idea)
        a.card = getattr(a, "scorecard", None)
    mine.sort(key=lambda a: a.idea.stage != PROJECT_STAGE)
    return mine


@dataclass(frozen=True)
class PoolSeat:
    racecourse: Racecourse
    load: int

    @property
    def limit(self) -> int:
        return self.racecourse.max_projects_per_evaluator

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.load / self.limit)) if self.limit else 0


def my_pools(*, user) -> list[PoolSeat]:
    """The racecourses whose pool the user is in, with their load on each."""
    if not user.is_authenticated:
        return []
    loads = dict(
        Assignment.objects.filter(evaluator=user, idea__stage=PROJECT_STAGE)
        .values_list("idea__racecourse")
        .annotate(n=Count("pk"))
        .values_list("idea__racecourse", "n")
    )
    racecourses = Racecourse.objects.filter(evaluators=user).select_related("season")
    return [PoolSeat(rc, loads.get(rc.pk, 0)) for rc in racecourses]


def _pool_ideas(user, stages) -> list[Idea]:
    """Projects of the user's pools in ``stages`` that the user may see.

    A confidential or department-only project is not listed to a pool
    evaluator who may not know it exists (``ideas.visibility``), not even by
    title: it is HR's and the racecourse admins' to record their conflicts.
    """
    return list(
        _with_team(
            Idea.objects.filter(
                racecourse__evaluators=user,
                stage__in=stages,
                pk__in=Idea.objects.filter(visible_q(user)).values("pk"),
            ).select_related("racecourse")
        ).order_by("racecourse__name", "title", "pk")
    )


def my_conflicts(*, user) -> list:
    """The user's conflicts (automatic and declared) with projects of their pools.

    Each ``ConflictInfo`` has ``idea`` set for display.
    """
    if not user.is_authenticated:
        return []
    ideas = _pool_ideas(user, CONFLICT_STAGES)
    by_id = {idea.pk: idea for idea in ideas}
    mine = [c for c in conflicts_for_ideas(ideas=ideas) if c.evaluator_id == user.pk]
    # conflicts_for_ideas sets idea_id on every one.
    return [(by_id[c.idea_id], c) for c in mine if c.idea_id is not None]


def declarable_projects(*, user) -> list[Idea]:
    """Projects of the user's pools they could still declare a conflict with."""
    if not user.is_authenticated or not user.is_evaluator:
        return []
    ideas = _pool_ideas(user, CONFLICT_STAGES)
    declared = set(
        user.conflicts.filter(idea__in=ideas).values_list("idea_id", flat=True)
    )
    return [idea for idea in ideas if idea.pk not in declared]


class PreferenceProject(NamedTuple):
    """A project the evaluator may state a preference on (unpacks as a pair)."""

    idea: Idea
    level: int

    @property
    def team_hidden(self) -> bool:
        return team_hidden(self.idea)


def preference_projects(*, user) -> list[PreferenceProject]:
    """Projects the user may state a preference on, with their current level."""
    if not user.is_authenticated or not user.is_evaluator:
        return []
    ideas = _pool_ideas(user, [PROJECT_STAGE])
    conflicts = conflict_map(ideas=ideas)
    levels = dict(
        EvaluatorPreference.objects.filter(evaluator=user, idea__in=ideas).values_list(
            "idea_id", "level"
        )
    )
    result = []
    for idea in ideas:
        if user.pk in conflicts[idea.pk]:
            continue
        result.append(PreferenceProject(idea, levels.get(idea.pk, 0)))
    return result


def assignment_list(*, racecourse: Racecourse) -> QuerySet[Assignment]:
    """Every assignment on the racecourse's projects, for its managers."""
    return (
        Assignment.objects.filter(
            idea__racecourse=racecourse, idea__stage=PROJECT_STAGE
        )
        .select_related("idea", "evaluator", "assigned_by", "scorecard")
        .order_by("idea__title", "idea_id", "evaluator__display_name")
    )
