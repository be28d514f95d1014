"""The registration window's close: every registered idea goes to online screening.

Its sweep (every minute) lets the ideas planted on an Innovation Farm in a
round's last days join the next round once it opens (``contests.farm``).
"""

from datetime import datetime

from django.utils.translation import gettext_noop

from contests.closing import APPLIED, CloseOutcome, Closer, log
from contests.models import Racecourse, StageWindow, WindowStage
from horserace.accounts.models import User
from horserace.common.notes import note
from ideas import funnel
from ideas.models import Stage
from ideas.services.rounds import farm_waiting_join


class RegistrationCloser(Closer):
    stage = WindowStage.REGISTRATION

    def close(
        self, window: StageWindow, *, when: datetime, actor: User | None
    ) -> CloseOutcome:
        reason = note(gettext_noop("Registration closed; online screening opened"))
        opened = []
        for idea in funnel.ideas_lock(
            racecourse_id=window.racecourse_id, stage=Stage.REGISTERED
        ):
            funnel.idea_open_screening(idea=idea, actor=actor, reason=reason)
            opened.append(idea.pk)
        return CloseOutcome(window=window.pk, status=APPLIED, opened=opened)

    def sweep(self, *, when: datetime) -> None:
        farms = Racecourse.objects.filter(kind=Racecourse.Kind.FARM).order_by("pk")
        for farm in farms:
            if moved := farm_waiting_join(racecourse=farm, when=when):
                log.info("farm %s: %s idea(s) joined its round", farm.pk, len(moved))
