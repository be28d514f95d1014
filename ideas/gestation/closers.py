"""The gestation window's close: projects with no final proposal; extensions
that ran out.

At the close, a project that submitted its final proposal has already moved on
to evaluation. Every idea still in gestation has none: one with an extension
running at the close (``ProposalExtension``) is left alone; the others are
eliminated when the window's ``missing_proposal`` is "eliminate", and left in
gestation for HR when it is "hold" (HR is told, then extends with
``proposal_extension_grant`` or ends the project with ``gestation_eliminate``).

The sweep (``extensions_expire``) eliminates every idea still in gestation
whose latest extension ended without a proposal, once its racecourse's
gestation window has closed.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from contests.closing import APPLIED, CloseOutcome, Closer, log
from contests.models import StageWindow, WindowStage
from horserace.accounts.models import User
from horserace.common.notes import note
from horserace.notifications.services import event_send
from ideas import funnel
from ideas.models import Idea, ProposalExtension, Stage

from .events import ProposalsMissing


class GestationCloser(Closer):
    stage = WindowStage.GESTATION

    def close(
        self, window: StageWindow, *, when: datetime, actor: User | None
    ) -> CloseOutcome:
        return CloseOutcome(
            window=window.pk, status=APPLIED, **close_gestation(window, when, actor)
        )

    def sweep(self, *, when: datetime) -> None:
        extensions_expire(when=when)


def close_gestation(
    window: StageWindow, when: datetime, actor: User | None
) -> dict[str, list]:
    """Projects still without a proposal at the close: out, or held for HR."""
    ideas = funnel.ideas_lock(racecourse_id=window.racecourse_id, stage=Stage.GESTATION)
    # Read after the locks: an extension granted while we waited counts.
    extended_ids = set(
        ProposalExtension.objects.filter(
            idea__in=[idea.pk for idea in ideas], until__gt=when
        ).values_list("idea_id", flat=True)
    )
    eliminated, held, extended = [], [], []
    reason = note(gettext_noop("No final proposal when the gestation window closed."))
    for idea in ideas:
        if idea.pk in extended_ids:
            extended.append(idea.pk)
        elif window.missing_proposal == "hold":
            held.append(idea.pk)
        else:
            funnel.idea_eliminate(idea=idea, actor=actor, reason=reason)
            eliminated.append(idea.pk)
    if held:
        event_send(
            ProposalsMissing,
            about=window,
            url=reverse("gestation:desk", args=[window.racecourse_id]),
            window=window.pk,
            n=len(held),
            racecourse=window.racecourse.name,
        )
    return {"eliminated": eliminated, "held": held, "extended": extended}


def extensions_expire(*, when: datetime | None = None) -> list[int]:
    """Eliminate ideas whose proposal extension ran out; return their ids.

    Only ideas still in gestation whose latest extension ended by ``when``
    and whose racecourse's gestation window has closed. Each idea is locked
    and checked again in its own transaction, so two runs at once eliminate
    it once and a proposal submitted meanwhile wins.
    """
    when = when or timezone.now()
    candidates = list(
        Idea.objects.filter(
            stage=Stage.GESTATION,
            racecourse__windows__stage=WindowStage.GESTATION,
            racecourse__windows__closes_at__lte=when,
        )
        .annotate(last_until=Max("proposal_extensions__until"))
        .filter(last_until__lte=when)
        .values_list("pk", flat=True)
        .order_by("pk")
    )
    eliminated = []
    for pk in candidates:
        with transaction.atomic():
            idea = (
                Idea.objects.select_for_update()
                .filter(pk=pk, stage=Stage.GESTATION)
                .first()
            )
            if idea is None:
                continue
            last = idea.proposal_extensions.aggregate(last=Max("until"))["last"]
            if last is None or last > when:
                continue
            funnel.idea_eliminate(
                idea=idea,
                reason=note(
                    gettext_noop(
                        "The proposal extension ended on %(until)s with no proposal."
                    ),
                    until=f"{timezone.localtime(last):%Y-%m-%d %H:%M}",
                ),
            )
            eliminated.append(pk)
    if eliminated:
        log.info("extensions ran out: eliminated %s", eliminated)
    return eliminated
