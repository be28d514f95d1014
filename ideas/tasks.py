"""Celery tasks for ideas. Thin: take ids, call a service."""

from celery import shared_task

from .notifications import stage_change_notify_team


@shared_task
def stage_change_notify(transition_id: int) -> int:
    """Tell the team about a stage change (in the app and by e-mail)."""
    return stage_change_notify_team(transition_id=transition_id)
