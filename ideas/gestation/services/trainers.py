"""Horse-race trainers (mentors): requests, assignments within capacity, sessions.

Assigning locks the idea's row (one open assignment per team) and then the
trainer's row, and counts the trainer's active assignments: two admins giving
a trainer their last free seat at the same moment cannot both succeed.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from contests.models import Trainer
from horserace.accounts.models import User
from horserace.common.permissions import can
from horserace.notifications.services import event_send
from ideas import lifecycles
from ideas.gestation import events
from ideas.gestation.services.helpers import field_error, required_text, workspace_url
from ideas.models import Idea, TrainerAssignment, TrainerSession
from ideas.services.common import lock_idea, require

Status = TrainerAssignment.Status


def _check_in_pool(idea: Idea, trainer: Trainer) -> None:
    if trainer.season_id != idea.racecourse.season_id:
        raise field_error(
            "trainer",
            _("%(name)s is not in this season's trainer pool.")
            % {"name": trainer.user},
            "not_in_pool",
        )
    if not trainer.is_active or not trainer.user.is_active:
        raise field_error(
            "trainer",
            _("%(name)s is not taking teams at the moment.") % {"name": trainer.user},
            "not_active",
        )


@transaction.atomic
def trainer_request(
    *, idea: Idea, actor: User, message: str = "", trainer: Trainer | None = None
) -> TrainerAssignment:
    """The captain asks for a trainer, optionally naming one from the pool."""
    idea = lock_idea(idea)
    require(
        actor,
        "ideas.request_trainer",
        idea,
        _("Only the captain of a team in gestation can ask for a trainer."),
    )
    if idea.trainer_assignments.filter(
        status__in=[Status.REQUESTED, Status.ACTIVE]
    ).exists():
        raise ValidationError(
            _("Your team already has a trainer or an open request for one."),
            code="trainer_open",
        )
    if trainer is not None:
        trainer = Trainer.objects.select_related("user").get(pk=trainer.pk)
        _check_in_pool(idea, trainer)
    assignment = TrainerAssignment.objects.create(
        idea=idea,
        trainer=trainer,
        status=Status.REQUESTED,
        message=(message or "").strip()[:2000],
        requested_by=actor,
    )
    event_send(
        events.TrainerRequested,
        about=assignment,
        url=_desk_url(idea),
        assignment=assignment.pk,
        idea=idea.title,
        message=assignment.message,
    )
    return assignment


def _desk_url(idea: Idea) -> str:
    return reverse("gestation:desk", args=[idea.racecourse_id])


@transaction.atomic
def trainer_assign(*, idea: Idea, actor: User, trainer: Trainer) -> TrainerAssignment:
    """HR or the racecourse's admin gives the team a trainer from the pool.

    Fills the team's open request if there is one. Refuses a trainer from
    another season, one not taking teams, one on the team, and one whose
    active assignments already reach their capacity. Assigning the team's
    current trainer again changes nothing.
    """
    idea = lock_idea(idea)
    require(
        actor,
        "ideas.assign_trainer",
        idea,
        _("Only HR or this racecourse's admins assign trainers to teams in gestation."),
    )
    trainer = (
        Trainer.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=trainer.pk)
    )
    _check_in_pool(idea, trainer)
    if idea.memberships.filter(user_id=trainer.user_id).exists():
        raise field_error(
            "trainer", _("A trainer cannot coach their own team."), "own_team"
        )
    active = idea.trainer_assignments.filter(status=Status.ACTIVE).first()
    if active is not None:
        if active.trainer_id == trainer.pk:
            return active
        raise ValidationError(
            _("This team already has a trainer; end that assignment first."),
            code="trainer_active",
        )
    load = TrainerAssignment.objects.filter(
        trainer=trainer, status=Status.ACTIVE
    ).count()
    if load >= trainer.capacity:
        raise field_error(
            "trainer",
            _("%(name)s already coaches %(load)d teams, their capacity.")
            % {"name": trainer.user, "load": load},
            "trainer_full",
        )
    now = timezone.now()
    # Locked last (idea, trainer, then the request): declining it locks only it.
    assignment = (
        idea.trainer_assignments.select_for_update(of=("self",))
        .filter(status=Status.REQUESTED)
        .first()
    )
    if assignment is None:
        assignment = TrainerAssignment.objects.create(
            idea=idea,
            trainer=trainer,
            status=Status.ACTIVE,
            assigned_by=actor,
            assigned_at=now,
        )
    else:
        assignment.trainer = trainer
        assignment.assigned_by = actor
        assignment.assigned_at = now
        lifecycles.move(
            assignment,
            "assign",
            actor=actor,
            update_fields=["trainer", "assigned_by", "assigned_at"],
        )
    event_send(
        events.TrainerAssigned,
        about=assignment,
        url=workspace_url(idea),
        idea=idea.title,
    )
    event_send(
        events.TeamTrainerAssigned,
        about=assignment,
        url=workspace_url(idea),
        name=str(trainer.user),
    )
    return assignment


def _lock_assignment(assignment: TrainerAssignment) -> TrainerAssignment:
    return (
        TrainerAssignment.objects.select_for_update(of=("self",))
        .select_related("idea__racecourse__season")
        .get(pk=assignment.pk)
    )


@transaction.atomic
def trainer_request_decline(
    *, assignment: TrainerAssignment, actor: User, reason: str = ""
) -> TrainerAssignment:
    """Turn down a team's request for a trainer; the captain is told why."""
    assignment = _lock_assignment(assignment)
    require(
        actor,
        "ideas.assign_trainer",
        assignment.idea,
        _("Only HR or this racecourse's admins answer requests for trainers."),
    )
    if assignment.status != Status.REQUESTED:
        raise ValidationError(
            _("This is not an open request for a trainer."), code="not_requested"
        )
    assignment.ended_at = timezone.now()
    assignment.assigned_by = actor
    lifecycles.move(
        assignment,
        "decline",
        actor=actor,
        reason=reason,
        update_fields=["ended_at", "assigned_by"],
    )
    event_send(
        events.TrainerDeclined,
        about=assignment,
        url=workspace_url(assignment.idea),
        assignment=assignment.pk,
        reason=reason,
    )
    return assignment


@transaction.atomic
def trainer_assignment_end(
    *, assignment: TrainerAssignment, actor: User
) -> TrainerAssignment:
    """End an active assignment, freeing the trainer's seat."""
    assignment = _lock_assignment(assignment)
    require(
        actor,
        "ideas.end_trainer",
        assignment.idea,
        _("Only HR or this racecourse's admins end trainer assignments."),
    )
    if assignment.status != Status.ACTIVE:
        raise ValidationError(
            _("This assignment is not active."), code="not_active_assignment"
        )
    assignment.ended_at = timezone.now()
    lifecycles.move(assignment, "end", actor=actor, update_fields=["ended_at"])
    assert assignment.trainer_id is not None  # active_assignment_has_trainer
    event_send(
        events.TrainerEnded,
        about=assignment,
        url=assignment.idea.get_absolute_url(),
        assignment=assignment.pk,
        idea=assignment.idea.title,
    )
    return assignment


@transaction.atomic
def trainer_session_log(
    *,
    assignment: TrainerAssignment,
    actor: User,
    held_on: date,
    topic: str,
    notes: str = "",
    duration_minutes: int = 60,
) -> TrainerSession:
    """The team's active trainer logs a session (private to team, trainer, HR)."""
    assignment = TrainerAssignment.objects.select_related(
        "idea__racecourse__season", "trainer"
    ).get(pk=assignment.pk)
    idea = assignment.idea
    if (
        assignment.status != Status.ACTIVE
        or assignment.trainer is None  # never when active: a check constraint
        or assignment.trainer.user_id != getattr(actor, "pk", None)
        or not can(actor, "ideas.log_session", idea)
    ):
        raise PermissionDenied(
            _("Only the team's active trainer logs sessions, while it is in gestation.")
        )
    topic = required_text(topic, "topic", _("Give the session a topic."))
    if held_on > timezone.localdate():
        raise field_error(
            "held_on", _("A session is logged once it has been held."), "future"
        )
    if not 1 <= int(duration_minutes) <= 24 * 60:
        raise field_error(
            "duration_minutes", _("Between 1 minute and 24 hours."), "duration"
        )
    session = TrainerSession.objects.create(
        assignment=assignment,
        held_on=held_on,
        duration_minutes=int(duration_minutes),
        topic=topic[:200],
        notes=(notes or "").strip(),
        logged_by=actor,
    )
    event_send(
        events.TrainerSessionLogged,
        about=session,
        url=workspace_url(idea),
        session=session.pk,
        topic=session.topic,
    )
    return session
