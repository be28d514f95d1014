"""What the writes share: the racecourse lock, their checks and their notices."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from contests.models import Racecourse
from horserace.accounts.models import User
from horserace.common.permissions import can
from horserace.notifications.services import event_send
from ideas.models import Idea
from voting.models import Assignment

from ..events import ProjectsAssigned, ProjectUnassigned
from .selectors import PROJECT_STAGE


def lock_racecourse(racecourse: Racecourse) -> Racecourse:
    return Racecourse.objects.select_for_update().get(pk=racecourse.pk)


def require_manager(actor: User | None, racecourse: Racecourse) -> None:
    if actor is None or not can(actor, "voting.manage_evaluation", racecourse):
        raise PermissionDenied(
            _("Only HR and the racecourse's admins manage its evaluation.")
        )


def in_pool(racecourse: Racecourse, user) -> bool:
    return (
        user.is_active
        and user.is_evaluator
        and racecourse.evaluators.filter(pk=user.pk).exists()
    )


def check_project(idea: Idea) -> None:
    if idea.stage != PROJECT_STAGE:
        raise ValidationError(
            _("Only projects in offline evaluation have evaluators assigned."),
            code="stage",
        )


def notify_assigned(evaluator, racecourse: Racecourse, count: int) -> None:
    event_send(
        ProjectsAssigned,
        about=evaluator,
        url=reverse("evaluation:mine"),
        n=count,
        racecourse=racecourse.name,
    )


def notify_unassigned(assignment: Assignment, idea: Idea) -> None:
    """Tell the evaluator of ``assignment`` (dropped) that ``idea`` left their list."""
    event_send(
        ProjectUnassigned,
        about=assignment,
        url=reverse("evaluation:mine"),
        idea=idea.title,
    )
