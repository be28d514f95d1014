"""The screening window's close: tally, rank and decide, or promote, or propose.

The tallies are recomputed first, so the decision reads a final snapshot.
The ideas in screening are then ranked by the window's screening mode
(``voting.screening.modes``; the approval mode ranks by Wilson lower bound,
then more voters, then earlier registration; ideas with no tally come last,
earliest registration first) and the window's rule decides:

``top_k``       the first K pass. Ranks are a strict order, so a tie in the
                numbers at place K goes to the earlier registration.
``threshold``   pass when the support rate is at least ``threshold_rate`` and
                at least ``threshold_min_voters`` voted (no minimum when empty).
``voted_down``  out when opposes outnumber supports; a draw passes, as does an
                idea nobody voted on (the seed's public vote).
``manual``      a ``ClosingProposal`` is written with what the tallies suggest
                (top K when K is set, else the threshold when a rate is set,
                else every idea not voted down) and the window stays unapplied
                until an HR or racecourse admin confirms a list with
                ``window_confirm``.

Passing ideas go on to gestation, the rest are eliminated; each stage change
quotes the idea's numbers as its reason.

Department racecourse with a parent and a promotion quota
    The quota replaces the window's own rule: the top ``promotion_quota``
    ideas are promoted to the parent racecourse (``idea_promote``) and the
    rest are eliminated. Promoted ideas join the parent's next stage: they
    stay in screening to be judged again while the parent's screening window
    has not closed, and go on to gestation when it has closed (or the parent
    has no screening window). A department racecourse with no parent, or a
    quota of 0, uses its rule like any other racecourse.
"""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from contests.closing import (
    APPLIED,
    PROPOSED,
    CloseOutcome,
    Closer,
    check_closed,
    log,
    mark_applied,
    promotes,
    window_lock,
)
from contests.models import Racecourse, StageWindow, WindowStage
from horserace.accounts.models import User
from horserace.common.notes import note
from horserace.common.permissions import can
from ideas import funnel
from ideas.models import Stage
from ideas.services.promotion import idea_promote
from voting.models import ClosingProposal
from voting.screening.modes import mode_for
from voting.screening.standings import Standing, fail_reason, pass_reason


def decide(
    window: StageWindow,
    standings: list[Standing],
    passing: set[int],
    actor: User | None,
) -> tuple[list[int], list[int]]:
    """Pass the ideas in ``passing``, eliminate the rest, each with its numbers."""
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


def promote(
    window: StageWindow, standings: list[Standing], when: datetime, actor: User | None
) -> dict[str, list[int]]:
    """The department's top ``promotion_quota`` move up; the rest are out."""
    racecourse = window.racecourse
    assert racecourse.parent_id is not None  # only called when promotes() it
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
                reason=note(
                    gettext_noop(
                        "Not among the top %(n)s of %(racecourse)s: %(numbers)s."
                    ),
                    **names,
                ),
            )
            eliminated.append(s.idea.pk)
            continue
        idea_promote(
            idea=s.idea,
            to_racecourse=parent,
            actor=actor,
            reason=note(
                gettext_noop("Promoted to %(parent)s: %(numbers)s on %(racecourse)s."),
                **names,
            ),
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


def _standings(window: StageWindow) -> list[Standing]:
    ideas = funnel.ideas_lock(racecourse_id=window.racecourse_id, stage=Stage.SCREENING)
    return mode_for(window).rank(window=window, ideas=ideas)


def propose(window: StageWindow, when: datetime) -> ClosingProposal:
    """Write (or refresh) the proposal of a "decided by a person" window."""
    mode = mode_for(window)
    mode.tally(window=window, when=when)
    standings = _standings(window)
    suggested = mode.close(window=window, standings=standings)
    proposal, _created = ClosingProposal.objects.update_or_create(
        window=window,
        defaults={"passing": [s.idea.pk for s in standings if s.idea.pk in suggested]},
    )
    return proposal


class ScreeningCloser(Closer):
    stage = WindowStage.SCREENING

    def waiting(self, windows: QuerySet[StageWindow]) -> QuerySet[StageWindow]:
        # A "decided by a person" window with its proposal waits for that person.
        return windows.exclude(rule=StageWindow.Rule.MANUAL, proposal__isnull=False)

    def close(
        self, window: StageWindow, *, when: datetime, actor: User | None
    ) -> CloseOutcome:
        if window.rule == StageWindow.Rule.MANUAL and not promotes(window.racecourse):
            proposal = propose(window, when)
            return CloseOutcome(
                window=window.pk, status=PROPOSED, proposed=list(proposal.passing)
            )
        mode = mode_for(window)
        mode.tally(window=window, when=when)
        standings = _standings(window)
        if promotes(window.racecourse):
            return CloseOutcome(
                window=window.pk,
                status=APPLIED,
                **promote(window, standings, when, actor),
            )
        passed, eliminated = decide(
            window, standings, mode.close(window=window, standings=standings), actor
        )
        return CloseOutcome(
            window=window.pk, status=APPLIED, passed=passed, eliminated=eliminated
        )


@transaction.atomic
def window_confirm(
    *,
    window: StageWindow,
    actor: User,
    passing: list[int],
    when: datetime | None = None,
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
    locked = window_lock(window)
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
    check_closed(locked, when)

    proposal = ClosingProposal.objects.filter(window=locked).first()
    if proposal is None:
        proposal = propose(locked, when)  # also makes the tallies final
    standings = _standings(locked)
    chosen = set(passing)
    unknown = sorted(chosen - {s.idea.pk for s in standings})
    if unknown:
        raise ValidationError(
            {
                "passing": _("Not ideas in screening on this racecourse: %(ids)s.")
                % {"ids": ", ".join(map(str, unknown))}
            },
            code="unknown_idea",
        )
    passed, eliminated = decide(locked, standings, chosen, actor)
    proposal.passing = passed
    proposal.confirmed_by = actor
    proposal.confirmed_at = when
    proposal.save(
        update_fields=["passing", "confirmed_by", "confirmed_at", "updated_at"]
    )
    mark_applied(locked, when)
    window.applied_at = locked.applied_at
    log.info("window %s confirmed by %s: %s passed", locked.pk, actor.pk, len(passed))
    return CloseOutcome(
        window=locked.pk, status=APPLIED, passed=passed, eliminated=eliminated
    ).as_dict()
