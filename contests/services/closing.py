"""Closing stage windows: what happens to a racecourse's ideas when a window ends.

A periodic task (``contests.tasks.close_due_windows``) finds the windows that
have closed and not been applied (``windows_due``) and applies each one with
``window_apply``. Every stage change goes through ``ideas.funnel``.

Registration window
    Every registered idea of the racecourse moves on to online screening.

Screening window
    The tallies are recomputed first, so the decision reads a final
    snapshot. The ideas in screening are then ordered by rank (Wilson lower
    bound, then more voters, then earlier registration; ideas with no tally
    come last, earliest registration first) and the window's rule decides:

    ``top_k``       the first K pass. Ranks are a strict order, so a tie in
                    the numbers at place K goes to the earlier registration.
    ``threshold``   pass when the support rate is at least ``threshold_rate``
                    and at least ``threshold_min_voters`` voted (no minimum
                    when empty).
    ``voted_down``  out when opposes outnumber supports; a draw passes, as
                    does an idea nobody voted on (the seed's public vote).
    ``manual``      a ``ClosingProposal`` is written with what the tallies
                    suggest (top K when K is set, else the threshold when a
                    rate is set, else every idea not voted down) and the
                    window stays unapplied until an HR or racecourse admin
                    confirms a list with ``window_confirm``.

    Passing ideas go on to gestation, the rest are eliminated; each stage
    change quotes the idea's numbers as its reason.

Department racecourse with a parent and a promotion quota
    The quota replaces the window's own rule: the top ``promotion_quota``
    ideas are promoted to the parent racecourse (``idea_promote``) and the
    rest are eliminated. Promoted ideas join the parent's next stage: they
    stay in screening to be judged again while the parent's screening window
    has not closed, and go on to gestation when it has closed (or the parent
    has no screening window). A department racecourse with no parent, or a
    quota of 0, uses its rule like any other racecourse.

Gestation window
    A project that submitted its final proposal has already moved on to
    evaluation. Every idea of the racecourse still in gestation has none: one
    with an extension running at the close (``ProposalExtension``) is left
    alone; the others are eliminated when the window's ``missing_proposal``
    is "eliminate", and left in gestation for HR when it is "hold" (HR is
    told, then extends with ``proposal_extension_grant`` or ends the project
    with ``gestation_eliminate``, both in ``ideas.services.gestation``).

Extensions that ran out
    ``extensions_expire`` (run by the same periodic task after the windows)
    eliminates every idea still in gestation whose latest extension ended
    without a proposal, once its racecourse's gestation window has closed.

Evaluation windows are not applied here (yet): ``windows_due`` leaves them
out and ``window_apply`` refuses them.

Idempotent and safe to run twice at once: ``window_apply`` locks the window
row for its whole transaction and returns at once when ``applied_at`` is set;
``extensions_expire`` locks each idea and checks it again; the funnel does
nothing for an idea already in the target stage.
"""

import logging
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from horserace.core.permissions import can
from horserace.notifications.services import notification_send
from ideas import funnel
from ideas.models import Idea, ProposalExtension, Stage
from voting.models import ClosingProposal

from ..models import Racecourse, StageWindow, WindowStage
from .promotion import idea_promote
from .standings import (
    Standing,
    fail_reason,
    pass_reason,
    standings_at_close,
    suggested_passing,
)

log = logging.getLogger(__name__)

#: The stages whose windows are applied at their close.
APPLIED_STAGES = (
    WindowStage.REGISTRATION,
    WindowStage.SCREENING,
    WindowStage.GESTATION,
)

APPLIED = "applied"
ALREADY_APPLIED = "already_applied"
PROPOSED = "proposed"


# --- Reads --------------------------------------------------------------------


def windows_due(*, when: datetime | None = None) -> QuerySet[StageWindow]:
    """Registration, screening and gestation windows closed by ``when`` and not
    yet applied.

    A "decided by a person" window that already has its proposal waits for
    that person, so it is not picked up again.
    """
    when = when or timezone.now()
    return (
        StageWindow.objects.closed_unapplied(when)
        .filter(stage__in=APPLIED_STAGES)
        .exclude(rule=StageWindow.Rule.MANUAL, proposal__isnull=False)
        .select_related("racecourse")
        .order_by("closes_at", "pk")
    )


def promotes(racecourse: Racecourse) -> bool:
    """Does the promotion quota replace the screening rule on ``racecourse``?"""
    return racecourse.parent_id is not None and racecourse.promotion_quota > 0


# --- Applying -----------------------------------------------------------------


def _result(window: StageWindow, status: str, **lists) -> dict[str, Any]:
    """What a close did, by idea id: one shape for tasks, the API and tests."""
    return {
        "window": window.pk,
        "status": status,
        "opened": [],
        "passed": [],
        "eliminated": [],
        "promoted": [],
        "held": [],
        "extended": [],
        "proposed": None,
        **lists,
    }


def _lock_window(window: StageWindow) -> StageWindow:
    # NO KEY UPDATE: serialises closers without blocking the foreign-key
    # checks of ballots and tallies being written for this window.
    return (
        StageWindow.objects.select_for_update(no_key=True, of=("self",))
        .select_related("racecourse")
        .get(pk=window.pk)
    )


def _lock_ideas(racecourse: Racecourse, stage: str) -> list[Idea]:
    return list(
        Idea.objects.select_for_update()
        .filter(racecourse=racecourse, stage=stage)
        .order_by("pk")
    )


def _check_can_manage(actor, window: StageWindow) -> None:
    if actor is not None and not can(
        actor, "contests.manage_racecourse", window.racecourse
    ):
        raise PermissionDenied(
            _("Only HR or this racecourse's admins may close its windows.")
        )


def _check_closed(window: StageWindow, when: datetime) -> None:
    if window.stage not in APPLIED_STAGES:
        raise ValidationError(
            _(
                "Closing rules are applied to registration, screening and "
                "gestation windows only."
            ),
            code="stage_not_applied",
        )
    if when < window.closes_at:
        raise ValidationError(
            _("This window is still open; it can be applied after it closes."),
            code="window_open",
        )


def _tally(window: StageWindow, when: datetime) -> None:
    # Imported here: voting's services read the race's models and selectors.
    from voting.services import tally_round

    tally_round(window=window, when=when)


def _mark_applied(window: StageWindow, when: datetime) -> None:
    window.applied_at = when
    window.save(update_fields=["applied_at", "updated_at"])


def _open_screening(window: StageWindow, actor) -> list[int]:
    reason = _("Registration closed; online screening opened")
    opened = []
    for idea in _lock_ideas(window.racecourse, Stage.REGISTERED):
        funnel.idea_open_screening(idea=idea, actor=actor, reason=reason)
        opened.append(idea.pk)
    return opened


def _decide(
    window: StageWindow, standings: list[Standing], passing: set[int], actor
) -> tuple[list[int], list[int]]:
    passed, eliminated = [], []
    for s in standings:
        if s.idea.pk in passing:
            funnel.idea_pass_screening(
                idea=s.idea, actor=actor, reason=pass_reason(window, s)
            )
            passed.append(s.idea.pk)
        else:
            funnel.idea_eliminate(
                idea=s.idea, actor=actor, reason=fail_reason(window, s)
            )
            eliminated.append(s.idea.pk)
    return passed, eliminated


def _promote(
    window: StageWindow, standings: list[Standing], when: datetime, actor
) -> dict[str, list[int]]:
    """The department's top ``promotion_quota`` move up; the rest are out."""
    racecourse = window.racecourse
    parent = Racecourse.objects.get(pk=racecourse.parent_id)
    quota = racecourse.promotion_quota
    # Locked so the parent's own close cannot run between our look and our
    # promotions: either it has applied (and we pass our ideas on) or it
    # will see them in its screening.
    parent_window = (
        StageWindow.objects.select_for_update(no_key=True)
        .filter(racecourse=parent, stage=WindowStage.SCREENING)
        .first()
    )
    judged_again = (
        parent_window is not None
        and parent_window.applied_at is None
        and when < parent_window.closes_at
    )
    promoted, passed, eliminated = [], [], []
    for s in standings:
        names = {
            "racecourse": racecourse.name,
            "parent": parent.name,
            "numbers": s.summary(),
            "n": quota,
        }
        if s.place > quota:
            funnel.idea_eliminate(
                idea=s.idea,
                actor=actor,
                reason=_("Not among the top %(n)s of %(racecourse)s: %(numbers)s.")
                % names,
            )
            eliminated.append(s.idea.pk)
            continue
        idea_promote(
            idea=s.idea,
            to_racecourse=parent,
            actor=actor,
            reason=_("Promoted to %(parent)s: %(numbers)s on %(racecourse)s.") % names,
        )
        promoted.append(s.idea.pk)
        if not judged_again:
            funnel.idea_pass_screening(
                idea=s.idea,
                actor=actor,
                reason=_(
                    "Passed online screening on %(racecourse)s (%(numbers)s) and "
                    "moved up to %(parent)s, whose screening had closed."
                )
                % names,
            )
            passed.append(s.idea.pk)
    return {"promoted": promoted, "passed": passed, "eliminated": eliminated}


def _close_gestation(window: StageWindow, when: datetime, actor) -> dict[str, list]:
    """Projects still without a proposal at the close: out, or held for HR."""
    ideas = _lock_ideas(window.racecourse, Stage.GESTATION)
    # Read after the locks: an extension granted while we waited counts.
    extended_ids = set(
        ProposalExtension.objects.filter(
            idea__in=[idea.pk for idea in ideas], until__gt=when
        ).values_list("idea_id", flat=True)
    )
    eliminated, held, extended = [], [], []
    reason = _("No final proposal when the gestation window closed.")
    for idea in ideas:
        if idea.pk in extended_ids:
            extended.append(idea.pk)
        elif window.missing_proposal == "hold":
            held.append(idea.pk)
        else:
            funnel.idea_eliminate(idea=idea, actor=actor, reason=reason)
            eliminated.append(idea.pk)
    if held:
        notification_send(
            recipients=get_user_model().objects.filter(
                is_active=True, is_hr_admin=True
            ),
            subject=format_lazy(
                gettext_lazy(
                    "{n} project(s) on {racecourse} have no final proposal: "
                    "extend or eliminate"
                ),
                n=len(held),
                racecourse=window.racecourse.name,
            ),
            url=reverse("gestation:desk", args=[window.racecourse_id]),
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
                reason=_("The proposal extension ended on %(until)s with no proposal.")
                % {"until": f"{timezone.localtime(last):%Y-%m-%d %H:%M}"},
            )
            eliminated.append(pk)
    if eliminated:
        log.info("extensions ran out: eliminated %s", eliminated)
    return eliminated


def _propose(window: StageWindow, when: datetime) -> ClosingProposal:
    """Write (or refresh) the proposal of a "decided by a person" window."""
    _tally(window, when)
    standings = standings_at_close(
        window, _lock_ideas(window.racecourse, Stage.SCREENING)
    )
    suggested = suggested_passing(window, standings)
    proposal, _created = ClosingProposal.objects.update_or_create(
        window=window,
        defaults={"passing": [s.idea.pk for s in standings if s.idea.pk in suggested]},
    )
    return proposal


@transaction.atomic
def window_apply(
    *, window: StageWindow, when: datetime | None = None, actor=None
) -> dict[str, Any]:
    """Apply ``window``'s closing rule; return what it did (see ``_result``).

    ``actor`` is ``None`` for the periodic task; a person must be HR or an
    admin of the racecourse. Refuses a window that is still open at ``when``
    or is not a registration, screening or gestation window. Returns at once, changing
    nothing, when the window has been applied. For a "decided by a person"
    window it writes the proposal and leaves the window unapplied.
    """
    when = when or timezone.now()
    _check_can_manage(actor, window)
    locked = _lock_window(window)
    if locked.applied_at is not None:
        return _result(locked, ALREADY_APPLIED)
    _check_closed(locked, when)

    if locked.stage == WindowStage.REGISTRATION:
        opened = _open_screening(locked, actor)
        _mark_applied(locked, when)
        outcome = _result(locked, APPLIED, opened=opened)
    elif locked.stage == WindowStage.GESTATION:
        outcome = _result(locked, APPLIED, **_close_gestation(locked, when, actor))
        _mark_applied(locked, when)
    elif locked.rule == StageWindow.Rule.MANUAL and not promotes(locked.racecourse):
        proposal = _propose(locked, when)
        outcome = _result(locked, PROPOSED, proposed=list(proposal.passing))
    else:
        _tally(locked, when)
        ideas = _lock_ideas(locked.racecourse, Stage.SCREENING)
        standings = standings_at_close(locked, ideas)
        if promotes(locked.racecourse):
            outcome = _result(
                locked, APPLIED, **_promote(locked, standings, when, actor)
            )
        else:
            passed, eliminated = _decide(
                locked, standings, suggested_passing(locked, standings), actor
            )
            outcome = _result(locked, APPLIED, passed=passed, eliminated=eliminated)
        _mark_applied(locked, when)
    window.applied_at = locked.applied_at
    log.info(
        "window %s (%s): %s", locked.pk, locked, {k: v for k, v in outcome.items() if v}
    )
    return outcome


@transaction.atomic
def window_confirm(
    *, window: StageWindow, actor, passing: list[int], when: datetime | None = None
) -> dict[str, Any]:
    """A person decides a "decided by a person" screening window.

    ``passing`` lists the ideas that go on to gestation; every other idea in
    screening on the racecourse is eliminated. Only HR or the racecourse's
    admins, only after the window has closed, only once; every id must be an
    idea in screening on that racecourse. Records the list and who confirmed
    it on the window's proposal and marks the window applied.
    """
    when = when or timezone.now()
    if not can(actor, "contests.manage_racecourse", window.racecourse):
        raise PermissionDenied(
            _("Only HR or this racecourse's admins may decide its screening.")
        )
    locked = _lock_window(window)
    if locked.applied_at is not None:
        raise ValidationError(
            _("This window's result has already been applied."),
            code="already_applied",
        )
    if (
        locked.stage != WindowStage.SCREENING
        or locked.rule != StageWindow.Rule.MANUAL
        or promotes(locked.racecourse)
    ):
        raise ValidationError(
            _("Only a screening window decided by a person can be confirmed."),
            code="not_manual",
        )
    _check_closed(locked, when)

    proposal = ClosingProposal.objects.filter(window=locked).first()
    if proposal is None:
        proposal = _propose(locked, when)  # also makes the tallies final
    ideas = _lock_ideas(locked.racecourse, Stage.SCREENING)
    chosen = set(passing)
    unknown = sorted(chosen - {idea.pk for idea in ideas})
    if unknown:
        raise ValidationError(
            {
                "passing": _("Not ideas in screening on this racecourse: %(ids)s.")
                % {"ids": ", ".join(map(str, unknown))}
            },
            code="unknown_idea",
        )
    standings = standings_at_close(locked, ideas)
    passed, eliminated = _decide(locked, standings, chosen, actor)
    proposal.passing = passed
    proposal.confirmed_by = actor
    proposal.confirmed_at = when
    proposal.save(
        update_fields=["passing", "confirmed_by", "confirmed_at", "updated_at"]
    )
    _mark_applied(locked, when)
    window.applied_at = locked.applied_at
    log.info("window %s confirmed by %s: %s passed", locked.pk, actor.pk, len(passed))
    return _result(locked, APPLIED, passed=passed, eliminated=eliminated)
