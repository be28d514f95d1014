"""Conflicts of interest between evaluators and projects.

Automatic conflicts are computed from the company's data, never stored:

* the evaluator is on the project's team;
* the evaluator is the captain's manager;
* the evaluator is in the captain's department, when the racecourse asks
  for it (``Racecourse.conflict_same_department``).

The captain is the team's captain, or the idea's author when the team has
none. Declared conflicts are ``Conflict`` rows, written by the evaluator, by
the team's captain, or by HR or the racecourse admin, while the project is in
gestation or offline evaluation. Both kinds count the same: a conflicted
evaluator is never assigned, and never sees the project's scores or panel
discussion.

Writes lock the racecourse's row, as the assignment services do, so a
conflict declared while the assignment runs cannot end up assigned.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contests.models import Racecourse
from horserace.accounts.models import User
from horserace.core.permissions import can
from horserace.notifications.services import notification_send
from ideas.models import Idea, Stage, TeamMembership

from ..models import Assignment, Conflict, Scorecard

#: Stages in which conflicts are declared and withdrawn: before the panel
#: is formed (gestation) and while it works (evaluation).
CONFLICT_STAGES = (Stage.GESTATION, Stage.EVALUATION)
AUTOMATIC_KINDS = (Conflict.Kind.TEAM, Conflict.Kind.MANAGER, Conflict.Kind.DEPARTMENT)
DECLARED_KINDS = [
    (value, label)
    for value, label in Conflict.Kind.choices
    if value not in AUTOMATIC_KINDS
]
AUTOMATIC = "automatic"


@dataclass(frozen=True)
class ConflictInfo:
    evaluator_id: int
    kind: str
    source: str  # "automatic" or a Conflict.Source value
    note: str = ""
    idea_id: int | None = None
    conflict: Conflict | None = None  # the row, for declared conflicts

    @property
    def kind_label(self) -> str:
        return str(Conflict.Kind(self.kind).label)

    @property
    def is_automatic(self) -> bool:
        return self.source == AUTOMATIC


def _captain(idea: Idea) -> User:
    """The team's captain (from prefetched memberships when loaded), or the author."""
    prefetched = getattr(idea, "_prefetched_objects_cache", {}).get("memberships")
    if prefetched is not None:
        membership = next(
            (m for m in prefetched if m.role == TeamMembership.Role.CAPTAIN), None
        )
    else:
        membership = (
            TeamMembership.objects.filter(idea=idea, role=TeamMembership.Role.CAPTAIN)
            .select_related("user")
            .first()
        )
    return membership.user if membership else idea.author


def _automatic(ideas: list[Idea], *, pool_only: bool) -> list[tuple[int, int, str]]:
    """``(idea id, user id, kind)`` for every automatic conflict, in few queries.

    Team conflicts name every member, or only pool members when ``pool_only``;
    department conflicts always name pool members (nobody else could judge).
    ``ideas`` should have ``racecourse`` loaded.
    """
    if not ideas:
        return []
    ids = [idea.pk for idea in ideas]
    racecourse_ids = {idea.racecourse_id for idea in ideas}
    pool: dict[int, dict[int, int | None]] = {rc: {} for rc in racecourse_ids}
    for rc, user_id, dept in Racecourse.evaluators.through.objects.filter(
        racecourse_id__in=racecourse_ids
    ).values_list("racecourse_id", "user_id", "user__department"):
        pool[rc][user_id] = dept

    found: list[tuple[int, int, str]] = []
    captains: dict[int, tuple[int, int | None, int | None]] = {}
    for idea_id, user_id, role, manager, dept in TeamMembership.objects.filter(
        idea_id__in=ids
    ).values_list("idea_id", "user_id", "role", "user__manager", "user__department"):
        found.append((idea_id, user_id, Conflict.Kind.TEAM))
        if role == TeamMembership.Role.CAPTAIN:
            captains[idea_id] = (user_id, manager, dept)
    missing = [idea for idea in ideas if idea.pk not in captains]
    if missing:
        authors = {
            pk: (pk, manager, dept)
            for pk, manager, dept in User.objects.filter(
                pk__in={idea.author_id for idea in missing}
            ).values_list("pk", "manager", "department")
        }
        for idea in missing:
            captains[idea.pk] = authors[idea.author_id]

    racecourse_of = {idea.pk: idea.racecourse for idea in ideas}
    if pool_only:
        found = [f for f in found if f[1] in pool[racecourse_of[f[0]].pk]]
    for idea_id, (captain_id, manager_id, dept) in captains.items():
        racecourse = racecourse_of[idea_id]
        if manager_id and (not pool_only or manager_id in pool[racecourse.pk]):
            found.append((idea_id, manager_id, Conflict.Kind.MANAGER))
        if racecourse.conflict_same_department and dept is not None:
            for user_id, user_dept in pool[racecourse.pk].items():
                if user_dept == dept and user_id != captain_id:
                    found.append((idea_id, user_id, Conflict.Kind.DEPARTMENT))
    return found


def conflicts_for_idea(*, idea: Idea) -> list[ConflictInfo]:
    """Every conflict on ``idea``, automatic first, one entry per cause."""
    found = [
        ConflictInfo(user_id, kind, AUTOMATIC, idea_id=idea.pk)
        for _idea_id, user_id, kind in _automatic([idea], pool_only=False)
    ]
    for row in Conflict.objects.filter(idea=idea).select_related("evaluator"):
        found.append(
            ConflictInfo(row.evaluator_id, row.kind, row.source, row.note, idea.pk, row)
        )
    return found


def conflicted_evaluator_ids(*, idea: Idea) -> set[int]:
    """The ids of everyone who may not judge ``idea``."""
    return conflict_map(ideas=[idea])[idea.pk]


def is_conflicted(*, user, idea: Idea) -> bool:
    """Whether ``user`` may not judge ``idea`` (in or out of the pool)."""
    if not user.is_authenticated or idea is None or idea.pk is None:
        return False
    prefetched = getattr(idea, "_prefetched_objects_cache", {}).get("memberships")
    if prefetched is not None:
        on_team = any(m.user_id == user.pk for m in prefetched)
    else:
        on_team = TeamMembership.objects.filter(idea=idea, user=user).exists()
    if on_team:
        return True
    captain = _captain(idea)
    if captain.manager_id == user.pk:
        return True
    if (
        idea.racecourse.conflict_same_department
        and captain.department_id is not None
        and captain.department_id == user.department_id
    ):
        return True
    return Conflict.objects.filter(idea=idea, evaluator=user).exists()


def conflict_map(*, ideas: Iterable[Idea]) -> dict[int, set[int]]:
    """idea id → conflicted evaluator ids, for many ideas in a few queries.

    The assignment solver and the panel page use this instead of asking per
    idea. ``ideas`` should have ``racecourse`` loaded. Department conflicts
    are computed for the racecourse's pool.
    """
    ideas = list(ideas)
    result: dict[int, set[int]] = {idea.pk: set() for idea in ideas}
    for idea_id, user_id, _kind in _automatic(ideas, pool_only=False):
        result[idea_id].add(user_id)
    for idea_id, evaluator_id in Conflict.objects.filter(
        idea_id__in=list(result)
    ).values_list("idea_id", "evaluator_id"):
        result[idea_id].add(evaluator_id)
    return result


def conflicts_for_ideas(*, ideas: Iterable[Idea]) -> list[ConflictInfo]:
    """Every conflict of the pools with these projects, ordered by project.

    Automatic conflicts are listed for evaluators of the project's pool;
    declared ones for everyone named (with the row, for withdrawing). Ideas
    should have ``racecourse`` loaded. A constant number of queries.
    """
    ideas = list(ideas)
    found = [
        ConflictInfo(user_id, kind, AUTOMATIC, idea_id=idea_id)
        for idea_id, user_id, kind in _automatic(ideas, pool_only=True)
    ]
    for row in conflict_list(ideas=ideas):
        found.append(
            ConflictInfo(
                row.evaluator_id, row.kind, row.source, row.note, row.idea_id, row
            )
        )
    found.sort(key=lambda c: (c.idea_id, c.evaluator_id, not c.is_automatic))
    return found


def racecourse_conflicts(*, racecourse: Racecourse) -> list[ConflictInfo]:
    """Conflicts on the racecourse's projects in gestation or evaluation."""
    ideas = Idea.objects.filter(
        racecourse=racecourse, stage__in=CONFLICT_STAGES
    ).select_related("racecourse")
    return conflicts_for_ideas(ideas=ideas)


def conflict_list(
    *,
    ideas: Iterable[Idea] | None = None,
    evaluator: User | None = None,
    racecourse: Racecourse | None = None,
) -> QuerySet[Conflict]:
    """Declared conflicts, filtered, with their people and project loaded."""
    qs = Conflict.objects.select_related(
        "idea__racecourse", "evaluator", "declared_by"
    ).order_by("idea_id", "evaluator_id")
    if ideas is not None:
        qs = qs.filter(idea__in=[idea.pk for idea in ideas])
    if evaluator is not None:
        qs = qs.filter(evaluator=evaluator)
    if racecourse is not None:
        qs = qs.filter(idea__racecourse=racecourse)
    return qs


def _lock_racecourse(racecourse_id: int) -> Racecourse:
    return Racecourse.objects.select_for_update().get(pk=racecourse_id)


def _check_stage(idea: Idea) -> None:
    if idea.stage not in CONFLICT_STAGES:
        raise ValidationError(
            _(
                "Conflicts of interest are declared while the project is in "
                "gestation or offline evaluation."
            ),
            code="stage",
        )


def _source(*, actor, idea: Idea, evaluator) -> str:
    """Who is declaring: the evaluator, HR or the racecourse admin, or the team."""
    if actor.pk == evaluator.pk:
        if not can(actor, "voting.declare_own_conflict", idea):
            raise PermissionDenied(
                _("Only evaluators of this racecourse's pool can declare a conflict.")
            )
        return Conflict.Source.EVALUATOR
    if can(actor, "voting.record_conflict", idea):
        return Conflict.Source.ADMIN
    if can(actor, "voting.declare_team_conflict", idea):
        return Conflict.Source.TEAM
    raise PermissionDenied(_("You may not declare a conflict for this project."))


@transaction.atomic
def conflict_declare(
    *, actor, idea: Idea, evaluator, kind: str, note: str = ""
) -> Conflict:
    """Record a declared conflict and drop any assignment it contradicts.

    The evaluator declares their own; the captain declares one against an
    evaluator of the racecourse's pool; HR and the racecourse admin may record
    any. An assignment with no submitted scorecard is removed, so the
    conflicted evaluator no longer sees the project. A submitted scorecard is
    kept as the record of what happened, but the panel sets it aside: a
    conflicted evaluator's card is never counted or shown
    (``voting.evaluation.panel``). The evaluator and the racecourse's admins
    are told.
    """
    _lock_racecourse(idea.racecourse_id)
    idea = Idea.objects.select_related("racecourse").get(pk=idea.pk)
    _check_stage(idea)
    source = _source(actor=actor, idea=idea, evaluator=evaluator)
    if kind not in dict(DECLARED_KINDS):
        raise ValidationError({"kind": _("Choose the kind of conflict.")})
    note = (note or "").strip()
    if len(note) > 2000:
        raise ValidationError({"note": _("Keep the note under 2,000 characters.")})
    if not idea.racecourse.evaluators.filter(pk=evaluator.pk).exists():
        raise ValidationError(
            {"evaluator": _("Only evaluators of this racecourse can be named.")}
        )
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
    dropped, _detail = (
        Assignment.objects.filter(idea=idea, evaluator=evaluator)
        .exclude(scorecard__status=Scorecard.Status.SUBMITTED)
        .delete()
    )
    if source != Conflict.Source.EVALUATOR:
        notification_send(
            recipients=[evaluator],
            subject=format_lazy(
                gettext_lazy(
                    "A conflict of interest with “{idea}” was recorded: you will "
                    "not evaluate it"
                ),
                idea=idea.title,
            ),
            body=gettext_lazy(
                "If you think this is a mistake, contact HR or the racecourse admin."
            ),
            url=_mine_url(),
        )
    if dropped:
        notification_send(
            recipients=list(idea.racecourse.admins.exclude(pk=actor.pk)),
            subject=format_lazy(
                gettext_lazy(
                    "“{idea}” lost an evaluator through a conflict of interest"
                ),
                idea=idea.title,
            ),
            url=_assignments_url(idea.racecourse_id),
            email=False,
        )
    return conflict


@transaction.atomic
def conflict_withdraw(*, actor, conflict: Conflict) -> None:
    """Take a declared conflict back.

    The evaluator withdraws their own, the captain the team's, and HR or the
    racecourse admin any, while the project is in gestation or evaluation.
    """
    conflict = Conflict.objects.select_related("idea__racecourse").get(pk=conflict.pk)
    _lock_racecourse(conflict.idea.racecourse_id)
    _check_stage(conflict.idea)
    if not can(actor, "voting.withdraw_conflict", conflict):
        raise PermissionDenied(_("You may not withdraw this conflict."))
    conflict.delete()


def _mine_url() -> str:
    return reverse("evaluation:mine")


def _assignments_url(racecourse_id: int) -> str:
    return reverse("evaluation:assignments", args=[racecourse_id])
