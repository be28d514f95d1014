"""Shared by gestation's services and ``trainers``: locks, people, checks."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from horserace.common.permissions import can
from horserace.notifications.services import notification_send
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


def notify(recipients, subject, idea: Idea, *, body: str = "", url: str = "", **kw):
    """Tell ``recipients``; the body only to those who may read the idea's content.

    The body is the idea's content (a proposal's summary, an update, a
    justification): HR and racecourse admins open a confidential idea before
    they read it (``ideas.visibility``), so they get the subject and the link.
    """
    url = url or idea.get_absolute_url()
    people = list({u.pk: u for u in recipients}.values())
    readers = [u for u in people if not body or can(u, "ideas.read_content", idea)]
    others = [u for u in people if u not in readers]
    notification_send(recipients=readers, subject=subject, body=body, url=url, **kw)
    if others:
        notification_send(recipients=others, subject=subject, url=url, **kw)


def workspace_url(idea: Idea) -> str:
    return reverse("gestation:workspace", args=[idea.pk])
