"""Shared by gestation's services and ``trainers``: locks, people, checks."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from horserace.common.permissions import can
from horserace.notifications.events import Event
from horserace.notifications.services import event_send
from ideas.models import Idea, TrainerAssignment
from ideas.services.common import captains_of, lock_idea, team_of  # noqa: F401 (shared here)


def managers_of(idea: Idea) -> list:
    """Who decides for the racecourse: its admins, or HR when it has none."""
    admins = list(idea.racecourse.admins.filter(is_active=True))
    if admins:
        return admins
    return list(get_user_model().objects.filter(is_active=True, is_hr_admin=True))


def trainers_of(idea: Idea) -> list:
    return [
        a.trainer.user
        for a in idea.trainer_assignments.filter(
            status=TrainerAssignment.Status.ACTIVE
        ).select_related("trainer__user")
        if a.trainer is not None  # always, when active: a check constraint
    ]


def field_error(field: str, message, code: str) -> ValidationError:
    """A validation error on one field that keeps its machine ``code``."""
    return ValidationError({field: ValidationError(message, code=code)})


def required_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise field_error(field, message, "required")
    return value


def notify(recipients, event: type[Event], idea: Idea, /, *, url: str = "", **params):
    """Send ``event``; its content only to those who may read the idea's content.

    The content (``event.content``: a proposal's summary, an update, a
    justification) is the idea's: HR and racecourse admins open a confidential
    idea before they read it (``ideas.visibility``), so they are sent the
    event with the content blanked: the subject and the link.
    """
    url = url or idea.get_absolute_url()
    people = list({u.pk: u for u in recipients}.values())
    has_content = any(params.get(name) for name in event.content)
    readers = [
        u for u in people if not has_content or can(u, "ideas.read_content", idea)
    ]
    others = [u for u in people if u not in readers]
    event_send(event, recipients=readers, url=url, **params)
    if others:
        event_send(event, recipients=others, url=url, **event.withheld(params))


def workspace_url(idea: Idea) -> str:
    return reverse("gestation:workspace", args=[idea.pk])
