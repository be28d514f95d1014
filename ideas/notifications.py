"""What the team hears when its idea changes stage."""

import json

from horserace.notifications.services import event_send

from .events import StageChanged
from .models import StageTransition


def stage_change_notify_team(*, transition_id: int) -> int:
    """Tell the team (but whoever made the change, ``StageChanged``) once per
    transition; returns how many were told.

    Safe to run twice: the event's key is the transition, so a member already
    told is not told again.
    """
    transition = (
        StageTransition.objects.select_related("idea").filter(pk=transition_id).first()
    )
    if transition is None:
        return 0
    idea = transition.idea
    told = event_send(
        StageChanged,
        about=transition,
        url=f"{idea.get_absolute_url()}#transition-{transition.pk}",
        transition=transition.pk,
        idea=idea.title,
        stage=transition.to_stage,
        reason=transition.reason,
        reason_note=json.dumps(transition.reason_note)
        if transition.reason_note
        else "",
    )
    return len(told)
