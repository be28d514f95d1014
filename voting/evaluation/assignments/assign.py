"""Writes on assignments: the automatic assignment, and by hand."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from contests.models import Racecourse
from horserace.accounts.models import User
from horserace.common.permissions import can
from ideas.models import Idea
from voting.evaluation.conflicts.automatic import conflict_map
from voting.evaluation.solver.problem import SolverReport

from ...models import Assignment, EvaluatorPreference, Scorecard
from .. import solver
from .common import (
    check_project,
    in_pool,
    lock_racecourse,
    notify_assigned,
    notify_unassigned,
    require_manager,
)
from .pool import drop_conflicted
from .selectors import evaluation_projects, evaluator_load


@dataclass
class AutoAssignResult:
    """What ``assignments_auto`` did, with the solver's report."""

    created: list[Assignment]
    removed_conflicted: int
    report: SolverReport
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
    *, actor: User, racecourse: Racecourse, seed: int | None = None
) -> AutoAssignResult:
    """Top every project up to k evaluators with the solver; keep what exists.

    Locks the racecourse. Assignments a conflict now forbids are removed
    first. The pool's evaluators (active, still holding the role) are
    assigned, at most L projects each, honouring preferences where possible.
    Running it twice adds nothing the second time. ``seed`` breaks ties
    (default: the racecourse's id, so a rerun gives the same answer).
    """
    racecourse = lock_racecourse(racecourse)
    require_manager(actor, racecourse)
    removed = drop_conflicted(racecourse)
    projects = {idea.pk: idea for idea in evaluation_projects(racecourse=racecourse)}
    pool = {
        user.pk: user
        for user in racecourse.evaluators.filter(is_active=True, is_evaluator=True)
    }
    conflicts = conflict_map(ideas=projects.values())
    # A conflicted evaluator's kept card is set aside: it fills no seat.
    existing = [
        (idea_id, evaluator_id)
        for idea_id, evaluator_id in Assignment.objects.filter(
            idea_id__in=list(projects)
        ).values_list("idea_id", "evaluator_id")
        if evaluator_id not in conflicts[idea_id]
    ]
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
        conflicts=conflicts,
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
        notify_assigned(pool[e], racecourse, count)
    return AutoAssignResult(created, removed, solution.report, projects, pool)


@transaction.atomic
def assignment_add(
    *, actor: User, idea: Idea, evaluator, override_load: bool = False
) -> Assignment:
    """HR or the racecourse admin assigns an evaluator to a project by hand.

    The evaluator must be in the pool and free of conflicts; at L projects
    already, only with ``override_load``.
    """
    racecourse = lock_racecourse(idea.racecourse)
    require_manager(actor, racecourse)
    idea = Idea.objects.select_related("racecourse").get(pk=idea.pk)
    check_project(idea)
    if not in_pool(racecourse, evaluator):
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
    notify_assigned(evaluator, racecourse, 1)
    return assignment


@transaction.atomic
def assignment_remove(
    *, actor: User, assignment: Assignment, force: bool = False
) -> None:
    """HR or the racecourse admin takes an evaluator off a project.

    A submitted scorecard is part of the record: only HR removes it, and only
    with ``force``.
    """
    racecourse = lock_racecourse(assignment.idea.racecourse)
    require_manager(actor, racecourse)
    current = (
        Assignment.objects.select_related("idea", "evaluator")
        .filter(pk=assignment.pk)
        .first()
    )
    if current is None:
        raise ValidationError(_("This assignment was already removed."), code="gone")
    assignment = current
    check_project(assignment.idea)
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
    notify_unassigned(assignment, assignment.idea)
