"""Conflicts of interest between evaluators and projects.

Automatic conflicts are computed from the company's data, never stored:

* the evaluator is on the project's team;
* the evaluator is the captain's manager;
* the evaluator is in the captain's department, when the racecourse asks
  for it (``Racecourse.conflict_same_department``).

Declared conflicts are ``Conflict`` rows, written by the evaluator, by the
team's captain, or by HR or the racecourse admin. Both kinds count the same:
a conflicted evaluator is never assigned, and never sees the project's
scores or panel discussion.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from horserace.core.permissions import can
from ideas.models import Idea, TeamMembership

from ..models import Conflict


@dataclass(frozen=True)
class ConflictInfo:
    evaluator_id: int
    kind: str
    source: str  # "automatic" or a Conflict.Source value
    note: str = ""

    @property
    def kind_label(self) -> str:
        return str(Conflict.Kind(self.kind).label)


def _captain(idea: Idea):
    membership = (
        TeamMembership.objects.filter(idea=idea, role=TeamMembership.Role.CAPTAIN)
        .select_related("user")
        .first()
    )
    return membership.user if membership else idea.author


def conflicts_for_idea(*, idea: Idea) -> list[ConflictInfo]:
    """Every conflict on ``idea``, automatic first, one entry per cause."""
    found: list[ConflictInfo] = []
    for user_id in TeamMembership.objects.filter(idea=idea).values_list(
        "user_id", flat=True
    ):
        found.append(ConflictInfo(user_id, Conflict.Kind.TEAM, "automatic"))
    captain = _captain(idea)
    if captain.manager_id:
        found.append(
            ConflictInfo(captain.manager_id, Conflict.Kind.MANAGER, "automatic")
        )
    racecourse = idea.racecourse
    if racecourse.conflict_same_department and captain.department_id:
        pool = racecourse.evaluators.filter(department_id=captain.department_id)
        for user_id in pool.values_list("pk", flat=True):
            found.append(ConflictInfo(user_id, Conflict.Kind.DEPARTMENT, "automatic"))
    for row in Conflict.objects.filter(idea=idea):
        found.append(ConflictInfo(row.evaluator_id, row.kind, row.source, row.note))
    return found


def conflicted_evaluator_ids(*, idea: Idea) -> set[int]:
    """The ids of everyone who may not judge ``idea``."""
    return {c.evaluator_id for c in conflicts_for_idea(idea=idea)}


def is_conflicted(*, user, idea: Idea) -> bool:
    if not user.is_authenticated:
        return False
    return user.pk in conflicted_evaluator_ids(idea=idea)


def conflict_map(*, ideas: Iterable[Idea]) -> dict[int, set[int]]:
    """idea id → conflicted evaluator ids, for many ideas in a few queries.

    The assignment solver and the panel page use this instead of asking per
    idea. ``ideas`` should have ``racecourse`` loaded.
    """
    ideas = list(ideas)
    result: dict[int, set[int]] = {idea.pk: set() for idea in ideas}
    if not ideas:
        return result
    ids = list(result)
    captains: dict[int, object] = {}
    for m in TeamMembership.objects.filter(idea_id__in=ids).select_related("user"):
        result[m.idea_id].add(m.user_id)
        if m.role == TeamMembership.Role.CAPTAIN:
            captains[m.idea_id] = m.user
    pools: dict[int, dict[int, list[int]]] = {}
    for idea in ideas:
        captain = captains.get(idea.pk)
        if captain is None:
            continue
        if captain.manager_id:
            result[idea.pk].add(captain.manager_id)
        racecourse = idea.racecourse
        if racecourse.conflict_same_department and captain.department_id:
            if racecourse.pk not in pools:
                by_department: dict[int, list[int]] = {}
                for pk, dept in racecourse.evaluators.values_list(
                    "pk", "department_id"
                ):
                    by_department.setdefault(dept, []).append(pk)
                pools[racecourse.pk] = by_department
            result[idea.pk].update(pools[racecourse.pk].get(captain.department_id, []))
    for idea_id, evaluator_id in Conflict.objects.filter(idea_id__in=ids).values_list(
        "idea_id", "evaluator_id"
    ):
        result[idea_id].add(evaluator_id)
    return result


@transaction.atomic
def conflict_declare(
    *, actor, idea: Idea, evaluator, kind: str, note: str = ""
) -> Conflict:
    """Record a declared conflict and drop any assignment it contradicts.

    The evaluator declares their own; the captain declares one against an
    evaluator of the racecourse's pool; HR and the racecourse admin may record
    any. An assignment that existed is removed with its scorecard, so the
    conflicted evaluator no longer sees the project.
    """
    from ..models import Assignment

    if kind not in Conflict.Kind.values or kind in (
        Conflict.Kind.TEAM,
        Conflict.Kind.MANAGER,
        Conflict.Kind.DEPARTMENT,
    ):
        raise ValidationError({"kind": _("Choose the kind of conflict.")})
    if actor.pk == evaluator.pk:
        source = Conflict.Source.EVALUATOR
    elif can(actor, "contests.manage_racecourse", idea.racecourse):
        source = Conflict.Source.ADMIN
    elif can(actor, "ideas.manage_team", idea):
        source = Conflict.Source.TEAM
        if not idea.racecourse.evaluators.filter(pk=evaluator.pk).exists():
            raise ValidationError(
                {"evaluator": _("Only evaluators of this racecourse can be named.")}
            )
    else:
        raise PermissionDenied(_("You may not declare a conflict for this project."))
    try:
        with transaction.atomic():
            conflict = Conflict.objects.create(
                idea=idea,
                evaluator=evaluator,
                kind=kind,
                source=source,
                note=note,
                declared_by=actor,
            )
    except IntegrityError:
        raise ValidationError(
            _("A conflict between this evaluator and project is already recorded."),
            code="duplicate",
        ) from None
    Assignment.objects.filter(idea=idea, evaluator=evaluator).delete()
    return conflict


@transaction.atomic
def conflict_withdraw(*, actor, conflict: Conflict) -> None:
    """The person who declared it, or HR / the racecourse admin, takes it back."""
    if actor.pk != conflict.declared_by_id and not can(
        actor, "contests.manage_racecourse", conflict.idea.racecourse
    ):
        raise PermissionDenied(_("You may not withdraw this conflict."))
    conflict.delete()
