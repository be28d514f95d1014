"""Celery tasks for ideas. Thin: take ids, call a service."""

from celery import shared_task

from horserace.celery import DATABASE_RETRY, reconnecting

from . import reminders
from .notifications import stage_change_notify_team


@shared_task
def stage_change_notify(transition_id: int) -> int:
    """Tell the team about a stage change (in the app and by e-mail)."""
    return stage_change_notify_team(transition_id=transition_id)


@shared_task(**DATABASE_RETRY)
def windows_closing_remind() -> int:
    """Remind teams of a window closing within a day (once a day per window)."""
    with reconnecting():
        return reminders.windows_closing_remind()


@shared_task(**DATABASE_RETRY)
def approvals_remind() -> int:
    """Remind approvers of requests waiting for over a day (once a day per kind)."""
    with reconnecting():
        return reminders.approvals_remind()
