"""The evaluator pool, assignments and preferences: writes and the reads around them.

The projects of a racecourse are its ideas in offline evaluation. An
evaluator's *load* on a racecourse is how many of those projects they are
assigned to; ``Racecourse.max_projects_per_evaluator`` (L) caps it and
``evaluators_per_project`` (k) is how many evaluators each project needs.

Every write that changes who is assigned locks the racecourse's row first
(as ``conflicts.conflict_declare`` does), so the automatic assignment, manual
changes, pool changes and newly declared conflicts never interleave.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from contests.models import Racecourse
from horserace.accounts.models import User
from horserace.core.permissions import can
from horserace.notifications.services import notification_send
from ideas.models import Idea, Stage, TeamMembership

from ..models import Assignment, EvaluatorPreference, Scorecard
from . import solver
from .conflicts import (
    CONFLICT_STAGES,
    conflict_map,
    conflicts_for_ideas,
    is_conflicted,
)

PROJECT_STAGE = Stage.EVALUATION
MAX_K = 20
MAX_L = 200


def _lock_racecourse(racecourse: Racecourse) -> Racecourse:
    return Racecourse.objects.select_for_update().get(pk=racecourse.pk)


def _require_manager(actor, racecourse: Racecourse) -> None:
    if actor is None or not can(actor, "voting.manage_evaluation", racecourse):
        raise PermissionDenied(
            _("Only HR and the racecourse's admins manage its evaluation.")
        )


def _in_pool(racecourse: Racecourse, user) -> bool:
    return (
        user.is_active
        and user.is_evaluator
        and racecourse.evaluators.filter(pk=user.pk).exists()
    )


def _check_project(idea: Idea) -> None:
    if idea.stage != PROJECT_STAGE:
        raise ValidationError(
            _("Only projects in offline evaluation have evaluators assigned."),
            code="stage",
        )


def _notify_assigned(evaluator, racecourse: Racecourse, count: int) -> None:
    notification_send(
        recipients=[evaluator],
        subject=format_lazy(
            ngettext_lazy(
                "You have {n} new project to evaluate on {racecourse}",
                "You have {n} new projects to evaluate on {racecourse}",
                count,
            ),
            n=count,
            racecourse=racecourse.name,
        ),
        url=reverse("evaluation:mine"),
    )


def _notify_unassigned(evaluator, idea: Idea) -> None:
    notification_send(
        recipients=[evaluator],
        subject=format_lazy(
            gettext_lazy("You no longer evaluate “{idea}”"), idea=idea.title
        ),
        url=reverse("evaluation:mine"),
        email=False,
    )


def evaluator_load(*, racecourse: Racecourse, evaluator) -> int:
    """How many of the racecourse's projects ``evaluator`` is assigned to."""
    return Assignment.objects.filter(
        evaluator=evaluator, idea__racecourse=racecourse, idea__stage=PROJECT_STAGE
    ).count()


# --- Writes ---------------------------------------------------------------------


@transaction.atomic
def evaluation_settings_update(
    *,
    actor,
    racecourse: Racecourse,
    evaluators_per_project: int | None = None,
    max_projects_per_evaluator: int | None = None,
    conflict_same_department: bool | None = None,
    blind_evaluation: bool | None = None,
) -> Racecourse:
    """Change k, L, the same-department rule or blind mode (None: unchanged).

    Lowering L keeps the assignments already made; the automatic assignment
    then gives nobody above L anything new. Turning the same-department rule
    on removes the assignments it now forbids, and tells those evaluators.
    """
    racecourse = _lock_racecourse(racecourse)
    _require_manager(actor, racecourse)
    errors = {}
    if evaluators_per_project is not None and not (
        1 <= evaluators_per_project <= MAX_K
    ):
        errors["evaluators_per_project"] = _(
            "Between 1 and %(max)d evaluators per project."
        ) % {"max": MAX_K}
    if max_projects_per_evaluator is not None and not (
        1 <= max_projects_per_evaluator <= MAX_L
    ):
        errors["max_projects_per_evaluator"] = _(
            "Between 1 and %(max)d projects per evaluator."
        ) % {"max": MAX_L}
    if errors:
        raise ValidationError(errors)
    changes = {
        "evaluators_per_project": evaluators_per_project,
        "max_projects_per_evaluator": max_projects_per_evaluator,
        "conflict_same_department": conflict_same_department,
        "blind_evaluation": blind_evaluation,
    }
    changed = [name for name, value in changes.items() if value is not None]
    for name in changed:
        setattr(racecourse, name, changes[name])
    if changed:
        racecourse.save(update_fields=[*changed, "updated_at"])
    if conflict_same_department:
        _drop_conflicted(racecourse)
    return racecourse


def _drop_conflicted(racecourse: Racecourse) -> int:
    """Remove the assignments a conflict now forbids; the evaluators are told."""
    projects = list(evaluation_projects(racecourse=racecourse))
    conflicts = conflict_map(ideas=projects)
    by_id = {idea.pk: idea for idea in projects}
    doomed = [
        a
        for a in Assignment.objects.filter(idea__in=projects).select_related(
            "evaluator"
        )
        if a.evaluator_id in conflicts[a.idea_id]
    ]
    if doomed:
        Assignment.objects.filter(pk__in=[a.pk for a in doomed]).delete()
        for a in doomed:
            _notify_unassigned(a.evaluator, by_id[a.idea_id])
    return len(doomed)


@transaction.atomic
def evaluator_pool_add(*, actor, racecourse: Racecourse, user) -> None:
    """Put an evaluator (someone with the evaluator role) in the pool."""
    racecourse = _lock_racecourse(racecourse)
    _require_manager(actor, racecourse)
    if not (user.is_active and user.is_evaluator):
        raise ValidationError(
            {
                "user": _(
                    "%(name)s is not an evaluator. HR gives the evaluator role first."
                )
                % {"name": user}
            }
        )
    if racecourse.evaluators.filter(pk=user.pk).exists():
        raise ValidationError(
            {
                "user": ValidationError(
                    _("%(name)s is already in the pool.") % {"name": user},
                    code="duplicate",
                )
            }
        )
    racecourse.evaluators.add(user)
    notification_send(
        recipients=[user],
        subject=format_lazy(
            gettext_lazy("You are on the evaluation panel of {racecourse}"),
            racecourse=racecourse.name,
        ),
        url=reverse("evaluation:mine"),
    )


@transaction.atomic
def evaluator_pool_remove(*, actor, racecourse: Racecourse, user) -> int:
    """Take an evaluator out of the pool with their unscored assignments.

    Refused once they have submitted a scorecard on the racecourse: their
    scores are part of the record. Returns how many assignments were dropped.
    """
    racecourse = _lock_racecourse(racecourse)
    _require_manager(actor, racecourse)
    if not racecourse.evaluators.filter(pk=user.pk).exists():
        raise ValidationError(
            {"user": _("%(name)s is not in the pool.") % {"name": user}}
        )
    assignments = Assignment.objects.filter(evaluator=user, idea__racecourse=racecourse)
    if assignments.filter(scorecard__status=Scorecard.Status.SUBMITTED).exists():
        raise ValidationError(
            _(
                "%(name)s has submitted scorecards on this racecourse and stays "
                "in the pool."
            )
            % {"name": user},
            code="scored",
        )
    _total, detail = Assignment.objects.filter(
        pk__in=list(assignments.values_list("pk", flat=True))
    ).delete()
    racecourse.evaluators.remove(user)
    notification_send(
        recipients=[user],
        subject=format_lazy(
            gettext_lazy("You are no longer on the evaluation panel of {racecourse}"),
            racecourse=racecourse.name,
        ),
        url=reverse("evaluation:mine"),
        email=False,
    )
    return detail.get(Assignment._meta.label, 0)


@dataclass
class AutoAssignResult:
    """What ``assignments_auto`` did, with the solver's report."""

    created: list[Assignment]
    removed_conflicted: int
    report: solver.SolverReport
    projects: dict[int, Idea] = field(default_factory=dict)
    evaluators: dict[int, User] = field(default_factory=dict)

    def summary(self) -> dict:
        """Plain data for the API and the page (ids, titles, names)."""
        return {
            "created": len(self.created),
            "removed_conflicted": self.removed_conflicted,
            "components": self.report.components,
            "connected": self.report.connected,
            "rather_not": self.report.rather_not,
            "short": [
                {
                    "idea": s.project,
                    "title": self.projects[s.project].title,
                    "assigned": s.assigned,
                    "needed": s.needed,
                    "reason": s.reason,
                }
                for s in self.report.short
            ],
            "loads": [
                {"evaluator": e, "name": str(self.evaluators[e]), "load": load}
                for e, load in self.report.loads.items()
            ],
            "overloaded": list(self.report.overloaded),
        }


@transaction.atomic
def assignments_auto(
    *, actor, racecourse: Racecourse, seed: int | None = None
) -> AutoAssignResult:
    """Top every project up to k evaluators with the solver; keep what exists.

    Locks the racecourse. Assignments a conflict now forbids are removed
    first. The pool's evaluators (active, still holding the role) are
    assigned, at most L projects each, honouring preferences where possible.
    Running it twice adds nothing the second time. ``seed`` breaks ties
    (default: the racecourse's id, so a rerun gives the same answer).
    """
    racecourse = _lock_racecourse(racecourse)
    _require_manager(actor, racecourse)
    removed = _drop_conflicted(racecourse)
    projects = {idea.pk: idea for idea in evaluation_projects(racecourse=racecourse)}
    pool = {
        user.pk: user
        for user in racecourse.evaluators.filter(is_active=True, is_evaluator=True)
    }
    existing = list(
        Assignment.objects.filter(idea_id__in=list(projects)).values_list(
            "idea_id", "evaluator_id"
        )
    )
    preferences = {
        (e, p): level
        for e, p, level in EvaluatorPreference.objects.filter(
            idea_id__in=list(projects), evaluator_id__in=list(pool)
        ).values_list("evaluator_id", "idea_id", "level")
    }
    solution = solver.solve(
        projects=list(projects),
        evaluators=list(pool),
        k=racecourse.evaluators_per_project,
        max_load=racecourse.max_projects_per_evaluator,
        conflicts=conflict_map(ideas=projects.values()),
        preferences=preferences,
        existing=existing,
        seed=racecourse.pk if seed is None else seed,
    )
    created = Assignment.objects.bulk_create(
        [
            Assignment(
                idea=projects[p],
                evaluator=pool[e],
                source=Assignment.Source.AUTO,
                assigned_by=actor,
            )
            for p, e in solution.new
        ]
    )
    per_evaluator: dict[int, int] = {}
    for _p, e in solution.new:
        per_evaluator[e] = per_evaluator.get(e, 0) + 1
    for e, count in per_evaluator.items():
        _notify_assigned(pool[e], racecourse, count)
    return AutoAssignResult(created, removed, solution.report, projects, pool)


@transaction.atomic
def assignment_add(
    *, actor, idea: Idea, evaluator, override_load: bool = False
) -> Assignment:
    """HR or the racecourse admin assigns an evaluator to a project by hand.

    The evaluator must be in the pool and free of conflicts; at L projects
    already, only with ``override_load``.
    """
    racecourse = _lock_racecourse(idea.racecourse)
    _require_manager(actor, racecourse)
    idea = Idea.objects.select_related("racecourse").get(pk=idea.pk)
    _check_project(idea)
    if not _in_pool(racecourse, evaluator):
        raise ValidationError(
            {
                "evaluator": _("%(name)s is not in this racecourse's evaluator pool.")
                % {"name": evaluator}
            }
        )
    if evaluator.pk in conflict_map(ideas=[idea])[idea.pk]:
        raise ValidationError(
            {
                "evaluator": ValidationError(
                    _("%(name)s has a conflict of interest with this project.")
                    % {"name": evaluator},
                    code="conflict",
                )
            }
        )
    if Assignment.objects.filter(idea=idea, evaluator=evaluator).exists():
        raise ValidationError(
            {
                "evaluator": ValidationError(
                    _("%(name)s already evaluates this project.") % {"name": evaluator},
                    code="duplicate",
                )
            }
        )
    load = evaluator_load(racecourse=racecourse, evaluator=evaluator)
    if load >= racecourse.max_projects_per_evaluator and not override_load:
        raise ValidationError(
            {
                "evaluator": ValidationError(
                    _(
                        "%(name)s already has %(load)d projects, the most on this "
                        "racecourse. Assign over the limit to go ahead anyway."
                    )
                    % {"name": evaluator, "load": load},
                    code="load",
                )
            }
        )
    assignment = Assignment.objects.create(
        idea=idea,
        evaluator=evaluator,
        source=Assignment.Source.MANUAL,
        assigned_by=actor,
    )
    _notify_assigned(evaluator, racecourse, 1)
    return assignment


@transaction.atomic
def assignment_remove(*, actor, assignment: Assignment, force: bool = False) -> None:
    """HR or the racecourse admin takes an evaluator off a project.

    A submitted scorecard is part of the record: only HR removes it, and only
    with ``force``.
    """
    racecourse = _lock_racecourse(assignment.idea.racecourse)
    _require_manager(actor, racecourse)
    assignment = (
        Assignment.objects.select_related("idea", "evaluator")
        .filter(pk=assignment.pk)
        .first()
    )
    if assignment is None:
        raise ValidationError(_("This assignment was already removed."), code="gone")
    _check_project(assignment.idea)
    scored = Scorecard.objects.filter(
        assignment=assignment, status=Scorecard.Status.SUBMITTED
    ).exists()
    if scored:
        if not can(actor, "contests.manage_season"):
            raise PermissionDenied(
                _("The scorecard is submitted: only HR can remove this assignment.")
            )
        if not force:
            raise ValidationError(
                _(
                    "%(name)s has submitted a scorecard for this project. Remove it "
                    "anyway to delete the scorecard too."
                )
                % {"name": assignment.evaluator},
                code="scored",
            )
    assignment.delete()
    _notify_unassigned(assignment.evaluator, assignment.idea)


@transaction.atomic
def preference_set(*, evaluator, idea: Idea, level: int) -> EvaluatorPreference:
    """An evaluator of the pool says how much they want to judge a project."""
    idea = Idea.objects.select_related("racecourse").get(pk=idea.pk)
    if not _in_pool(idea.racecourse, evaluator):
        raise PermissionDenied(
            _("Only evaluators of this racecourse's pool state preferences.")
        )
    _check_project(idea)
    if is_conflicted(user=evaluator, idea=idea):
        raise ValidationError(
            _("You have a conflict of interest with this project."), code="conflict"
        )
    if level not in EvaluatorPreference.Level.values:
        raise ValidationError({"level": _("Choose a preference.")})
    preference, _created = EvaluatorPreference.objects.update_or_create(
        evaluator=evaluator, idea=idea, defaults={"level": level}
    )
    return preference


# --- Reads ----------------------------------------------------------------------


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


def evaluator_pool(*, racecourse: Racecourse) -> QuerySet[User]:
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


@dataclass
class Cell:
    evaluator: User
    assignment: Assignment | None = None
    conflicted: bool = False
    preference: int = 0
    full: bool = False  # the evaluator is at L

    @property
    def status(self) -> str:
        if self.assignment is not None:
            scorecard = getattr(self.assignment, "scorecard", None)
            return scorecard.status if scorecard else "assigned"
        return "conflict" if self.conflicted else "open"


@dataclass
class MatrixRow:
    idea: Idea
    cells: list[Cell]
    assigned: int
    needed: int
    shortfall: str = ""  # "", or why the project lacks evaluators


@dataclass
class AssignmentMatrix:
    racecourse: Racecourse
    loads: list[EvaluatorLoad]
    rows: list[MatrixRow]
    components: int

    @property
    def connected(self) -> bool:
        return self.components <= 1

    @property
    def short(self) -> list[MatrixRow]:
        return [row for row in self.rows if row.shortfall]

    @property
    def assigned_total(self) -> int:
        return sum(row.assigned for row in self.rows)


def assignment_matrix(*, racecourse: Racecourse) -> AssignmentMatrix:
    """Projects × evaluators, with assignments, conflicts and preferences.

    For the admin page: a constant number of queries, whatever the sizes.
    ``shortfall`` is ``pool`` (fewer than k evaluators at all), ``conflicts``
    (too many conflicted), ``capacity`` (the others are at L) or ``open``
    (someone has room: run the automatic assignment).
    """
    projects = list(evaluation_projects(racecourse=racecourse))
    loads = evaluator_loads(racecourse=racecourse)
    by_evaluator = {load.evaluator.pk: load for load in loads}
    conflicts = conflict_map(ideas=projects)
    assignments: dict[tuple[int, int], Assignment] = {}
    for a in Assignment.objects.filter(idea__in=projects).select_related(
        "scorecard", "evaluator"
    ):
        assignments[(a.idea_id, a.evaluator_id)] = a
    preferences = {
        (p, e): level
        for p, e, level in EvaluatorPreference.objects.filter(
            idea__in=projects
        ).values_list("idea_id", "evaluator_id", "level")
    }
    counts = Counter(p for p, _e in assignments)
    k = racecourse.evaluators_per_project
    rows = []
    for idea in projects:
        cells = [
            Cell(
                evaluator=load.evaluator,
                assignment=assignments.get((idea.pk, e)),
                conflicted=e in conflicts[idea.pk],
                preference=preferences.get((idea.pk, e), 0),
                full=load.full,
            )
            for e, load in by_evaluator.items()
        ]
        assigned = counts[idea.pk]
        rows.append(MatrixRow(idea, cells, assigned, k, _shortfall(cells, assigned, k)))
    return AssignmentMatrix(
        racecourse=racecourse,
        loads=loads,
        rows=rows,
        components=solver.count_components(assignments),
    )


def _shortfall(cells: list[Cell], assigned: int, k: int) -> str:
    if assigned >= k:
        return ""
    if len(cells) < k:
        return solver.SHORT_POOL
    free = [c for c in cells if not c.conflicted or c.assignment is not None]
    if len(free) < k:
        return solver.SHORT_CONFLICTS
    if any(c.assignment is None and not c.conflicted and not c.full for c in cells):
        return "open"
    return solver.SHORT_CAPACITY


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
    return list(
        _with_team(
            Idea.objects.filter(
                racecourse__evaluators=user, stage__in=stages
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
    return [(by_id[c.idea_id], c) for c in mine]


def declarable_projects(*, user) -> list[Idea]:
    """Projects of the user's pools they could still declare a conflict with."""
    if not user.is_authenticated or not user.is_evaluator:
        return []
    ideas = _pool_ideas(user, CONFLICT_STAGES)
    declared = set(
        user.conflicts.filter(idea__in=ideas).values_list("idea_id", flat=True)
    )
    return [idea for idea in ideas if idea.pk not in declared]


def preference_projects(*, user) -> list[tuple[Idea, int]]:
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
        idea.team_hidden = team_hidden(idea)
        result.append((idea, levels.get(idea.pk, 0)))
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
