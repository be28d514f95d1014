"""Registration and screening closes: open screening, decide, promote, propose."""

from datetime import datetime

from django.utils.translation import gettext as _

from ideas import funnel
from ideas.models import Stage
from voting.models import ClosingProposal

from ...models import Racecourse, StageWindow, WindowStage
from ..promotion import idea_promote
from ..standings import (
    Standing,
    fail_reason,
    pass_reason,
    standings_at_close,
    suggested_passing,
)
from .common import _lock_ideas, _tally


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
