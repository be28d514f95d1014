"""Writes on the pool: its settings (k, L, rules), its members, their preferences."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from contests.models import Racecourse
from horserace.accounts.models import User
from horserace.notifications.services import event_send
from ideas.models import Idea
from voting.evaluation.conflicts.automatic import conflict_map, is_conflicted
from voting.evaluation.events import PoolJoined, PoolLeft

from ...models import Assignment, EvaluatorPreference, Scorecard
from .common import (
    check_project,
    in_pool,
    lock_racecourse,
    notify_unassigned,
    require_manager,
)
from .selectors import evaluation_projects

MAX_K = 20
MAX_L = 200
MAX_DEPTH = 10


@transaction.atomic
def evaluation_settings_update(
    *,
    actor: User,
    racecourse: Racecourse,
    evaluators_per_project: int | None = None,
    max_projects_per_evaluator: int | None = None,
    conflict_same_department: bool | None = None,
    conflict_manager_depth: int | None = None,
    blind_evaluation: bool | None = None,
) -> Racecourse:
    """Change k, L, the conflict rules or blind mode (None: unchanged).

    Lowering L keeps the assignments already made; the automatic assignment
    then gives nobody above L anything new. Turning the same-department rule
    on, or reaching further up the management chain, removes the assignments
    it now forbids, and tells those evaluators.
    """
    racecourse = lock_racecourse(racecourse)
    require_manager(actor, racecourse)
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
    if conflict_manager_depth is not None and not (
        0 <= conflict_manager_depth <= MAX_DEPTH
    ):
        errors["conflict_manager_depth"] = _(
            "Between 0 and %(max)d management levels."
        ) % {"max": MAX_DEPTH}
    if errors:
        raise ValidationError(errors)
    deeper = (
        conflict_manager_depth is not None
        and conflict_manager_depth > racecourse.conflict_manager_depth
    )
    changes = {
        "evaluators_per_project": evaluators_per_project,
        "max_projects_per_evaluator": max_projects_per_evaluator,
        "conflict_same_department": conflict_same_department,
        "conflict_manager_depth": conflict_manager_depth,
        "blind_evaluation": blind_evaluation,
    }
    changed = [name for name, value in changes.items() if value is not None]
    for name in changed:
        setattr(racecourse, name, changes[name])
    if changed:
        racecourse.save(update_fields=[*changed, "updated_at"])
    if conflict_same_department or deeper:
        drop_conflicted(racecourse)
    return racecourse


def drop_conflicted(racecourse: Racecourse) -> int:
    """Remove the assignments a conflict now forbids; the evaluators are told.

    An assignment whose card was submitted stays as the record, as when the
    conflict is declared (``conflict_declare``): the panel sets the card aside.
    """
    projects = list(evaluation_projects(racecourse=racecourse))
    conflicts = conflict_map(ideas=projects)
    by_id = {idea.pk: idea for idea in projects}
    doomed = [
        a
        for a in Assignment.objects.filter(idea__in=projects)
        .exclude(scorecard__status=Scorecard.Status.SUBMITTED)
        .select_related("evaluator")
        if a.evaluator_id in conflicts[a.idea_id]
    ]
    if doomed:
        Assignment.objects.filter(pk__in=[a.pk for a in doomed]).delete()
        for a in doomed:
            notify_unassigned(a, by_id[a.idea_id])
    return len(doomed)


@transaction.atomic
def evaluator_pool_add(*, actor: User, racecourse: Racecourse, user) -> None:
    """Put an evaluator (someone with the evaluator role) in the pool."""
    racecourse = lock_racecourse(racecourse)
    require_manager(actor, racecourse)
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
    event_send(
        PoolJoined,
        about=user,
        url=reverse("evaluation:mine"),
        racecourse=racecourse.name,
    )


@transaction.atomic
def evaluator_pool_remove(*, actor: User, racecourse: Racecourse, user) -> int:
    """Take an evaluator out of the pool with their unscored assignments.

    Refused once they have submitted a scorecard on the racecourse: their
    scores are part of the record. Returns how many assignments were dropped.
    """
    racecourse = lock_racecourse(racecourse)
    require_manager(actor, racecourse)
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
    event_send(
        PoolLeft,
        about=user,
        url=reverse("evaluation:mine"),
        racecourse=racecourse.name,
    )
    return detail.get(Assignment._meta.label, 0)


@transaction.atomic
def preference_set(*, evaluator, idea: Idea, level: int) -> EvaluatorPreference:
    """An evaluator of the pool says how much they want to judge a project."""
    idea = Idea.objects.select_related("racecourse").get(pk=idea.pk)
    if not in_pool(idea.racecourse, evaluator):
        raise PermissionDenied(
            _("Only evaluators of this racecourse's pool state preferences.")
        )
    check_project(idea)
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
