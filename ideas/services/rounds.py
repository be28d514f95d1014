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
from django.utils.translation import gettext as _

from contests.models import Racecourse
from contests.selectors import screening_round_taking_entries
from horserace.accounts.models import User

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
        reason=_("Joined the open online screening (%(window)s) on registration")
        % {"window": window},
    )
    return True


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
    reason = _("Joined %(window)s when it opened") % {"window": window}
    moved = []
    for idea in funnel.ideas_lock(racecourse_id=racecourse.pk, stage=Stage.REGISTERED):
        funnel.idea_open_screening(idea=idea, actor=None, reason=reason)
        moved.append(idea.pk)
    return moved
