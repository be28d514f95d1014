"""What the team hears when its idea changes stage."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from horserace.notifications.models import Notification
from horserace.notifications.services import notification_send

from .models import Stage, StageTransition


def stage_change_notify_team(*, transition_id: int) -> int:
    """Notify every team member once per transition; returns how many were told.

    Safe to run twice: a transition whose notifications exist is skipped.
    """
    transition = (
        StageTransition.objects.select_related("idea").filter(pk=transition_id).first()
    )
    if transition is None:
        return 0
    idea = transition.idea
    marker = f"{idea.get_absolute_url()}#transition-{transition.pk}"
    if Notification.objects.filter(url=marker).exists():
        return 0
    members = [
        m.user
        for m in idea.memberships.select_related("user")
        if m.user_id != transition.actor_id
    ]
    if not members:
        return 0
    to_label = Stage(transition.to_stage).label
    subject = format_lazy(
        _("“{idea}” is now at stage: {stage}"), idea=idea.title, stage=to_label
    )
    notification_send(
        recipients=members, subject=subject, body=transition.reason, url=marker
    )
    return len(members)
