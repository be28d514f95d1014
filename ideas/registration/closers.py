"""The registration window's close: every registered idea goes to online screening."""

from datetime import datetime

from django.utils.translation import gettext as _

from contests.closing import APPLIED, CloseOutcome, Closer
from contests.models import StageWindow, WindowStage
from horserace.accounts.models import User
from ideas import funnel
from ideas.models import Stage


class RegistrationCloser(Closer):
    stage = WindowStage.REGISTRATION

    def close(
        self, window: StageWindow, *, when: datetime, actor: User | None
    ) -> CloseOutcome:
        reason = _("Registration closed; online screening opened")
        opened = []
        for idea in funnel.ideas_lock(
            racecourse_id=window.racecourse_id, stage=Stage.REGISTERED
        ):
            funnel.idea_open_screening(idea=idea, actor=actor, reason=reason)
            opened.append(idea.pk)
        return CloseOutcome(window=window.pk, status=APPLIED, opened=opened)
