"""Rolling entry: an idea registered while screening is open joins it at once.

Before, a registered idea entered online screening only when its
racecourse's registration window closed (``ideas.registration.closers``), so
an idea registered while screening was already open waited in nobody's
queue. Now it joins the open screening in the registration's own
transaction; the judging queue's exposure bands put it first in voters'
queues until its impressions catch up (``voting.screening.selectors.queue``).

On the Innovation Farm the same happens in each recurring round, except in a
round's last days (``Racecourse.round_entry_cutoff_days``): an idea planted
then waits, and joins the next round when it opens (``farm_waiting_join``,
run by the registration closer's sweep).
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from contests.models import Racecourse, WindowStage
from contests.selectors import screening_round_taking_entries, window_get
from horserace.accounts.models import User
from horserace.common.notes import note

from .. import funnel
from ..models import Idea, Stage


def idea_screening_join(
    *, idea: Idea, actor: User | None, when: datetime | None = None
) -> bool:
    """Move a registered ``idea`` into its racecourse's open screening, if any.

    Call inside the transaction that holds the idea's lock (registration,
    carry, replanting). Returns whether it joined; an idea not registered, or
    a racecourse whose screening takes no entries now, is left as it is.
    """
    if idea.stage != Stage.REGISTERED:
        return False
    racecourse = Racecourse.objects.get(pk=idea.racecourse_id)
    window = screening_round_taking_entries(racecourse=racecourse, when=when)
    if window is None:
        return False
    funnel.idea_open_screening(
        idea=idea,
        actor=actor,
        reason=note(
            gettext_noop(
                "Joined the open online screening (%(window)s) on registration"
            ),
            window=str(window),
        ),
    )
    return True


def idea_entry_settle(*, idea: Idea, actor: User | None) -> bool:
    """Put an idea that has just re-entered a racecourse as registered where
    the racecourse's calendar would have put it (carry, replanting).

    On a season's racecourse whose registration window has already closed (or
    that has none), the registration closer will not run again, so the idea
    goes to online screening now, as the ideas registered in time went; while
    registration is still open it joins an open screening at once (rolling
    entry) or waits for the registration close. On the farm it joins the
    round taking entries, or waits for the next round.
    """
    racecourse = Racecourse.objects.get(pk=idea.racecourse_id)
    if not racecourse.is_farm:
        registration = window_get(racecourse=racecourse, stage=WindowStage.REGISTRATION)
        if registration is None or registration.applied_at is not None:
            funnel.idea_open_screening(
                idea=idea,
                actor=actor,
                reason=note(
                    gettext_noop(
                        "Registration on %(racecourse)s had closed: "
                        "straight to online screening"
                    ),
                    racecourse=str(racecourse),
                ),
            )
            return True
    return idea_screening_join(idea=idea, actor=actor)


@transaction.atomic
def farm_waiting_join(
    *, racecourse: Racecourse, when: datetime | None = None
) -> list[int]:
    """Registered ideas waiting on the farm join its round once it takes entries.

    Idempotent: the funnel does nothing for an idea already in screening, and
    ideas are locked (in id order) before they move. Returns the ids moved.
    """
    when = when or timezone.now()
    window = screening_round_taking_entries(racecourse=racecourse, when=when)
    if window is None:
        return []
    reason = note(gettext_noop("Joined %(window)s when it opened"), window=str(window))
    moved = []
    for idea in funnel.ideas_lock(racecourse_id=racecourse.pk, stage=Stage.REGISTERED):
        funnel.idea_open_screening(idea=idea, actor=None, reason=reason)
        moved.append(idea.pk)
    return moved
