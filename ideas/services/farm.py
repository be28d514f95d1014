"""The Innovation Farm's two doors: carrying an idea into a season, and back.

**Carry** (``idea_carry``). An idea that *passed* farm screening is one in
gestation on the farm: a farm round's close sent it there (it keeps growing
there between seasons). When a season opens, its captain or HR carries it
into one of that season's racecourses.

Where it enters, and why: it re-enters as **registered** on the new
racecourse, and from there follows that racecourse's calendar like the
season's own ideas: it joins the racecourse's online screening at once when
that is open (rolling entry), waits for the registration close while
registration is open, or goes to screening now when registration has already
closed. It does not skip to gestation: a farm round was judged by the
company at large at another time, and the season's racecourse (its audience,
its rule, its quota and budgets) decides by its own screening, on equal terms
with the ideas registered there. The farm's verdict stays on record: the
idea keeps its registration (number, fingerprint, the farm's season), its
stage history (the carry is one more ``StageTransition``, ``carry``), its team
and its farm ballots and tallies, which stay attached to the farm round's
window.

**Back to the farm** (``idea_to_farm``). An idea eliminated on a season's
racecourse goes back to the farm to be improved: its captain or HR replants
it, and it re-enters as registered on the farm (``replant``), joining the
farm's open round or waiting for the next one. Its ballots stay with the
season's window.

Both check their people and places here, change the idea's racecourse with
``save()`` (so its history records the move and the reason) and change its
stage only through ``ideas.funnel``.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from contests.models import Racecourse, Season, WindowStage
from contests.selectors import farm_current, window_get
from horserace.accounts.models import User

from .. import funnel
from ..models import Idea, Stage
from .common import lock_idea, require
from .rounds import idea_entry_settle


def _move_to(idea: Idea, racecourse: Racecourse, actor: User, reason: str) -> None:
    idea.racecourse = racecourse
    idea.challenge = None  # challenges belong to the racecourse left behind
    idea._change_reason = Truncator(reason).chars(100)
    idea._history_user = actor
    idea.save(update_fields=["racecourse", "challenge", "updated_at"])


def carry_refusal(*, idea: Idea, racecourse: Racecourse) -> str | None:
    """Why ``idea`` cannot be carried into ``racecourse`` now, or None."""
    if not idea.racecourse.is_farm or idea.stage != Stage.GESTATION:
        return _(
            "Only an idea that passed screening on the Innovation Farm can be carried into a season."
        )
    if racecourse.is_farm:
        return _("Choose one of the season's racecourses, not the farm.")
    if racecourse.season.status != Season.Status.OPEN:
        return _("%(racecourse)s is not in an open season.") % {
            "racecourse": racecourse
        }
    screening = window_get(racecourse=racecourse, stage=WindowStage.SCREENING)
    if screening is None or screening.closes_at <= timezone.now():
        return _("Online screening on %(racecourse)s is over or not planned.") % {
            "racecourse": racecourse
        }
    return None


def carry_targets(*, idea: Idea) -> list[Racecourse]:
    """The racecourses ``idea`` could be carried into now."""
    candidates = (
        Racecourse.objects.filter(season__status=Season.Status.OPEN)
        .exclude(kind=Racecourse.Kind.FARM)
        .select_related("season")
        .prefetch_related("windows")
        .order_by("season", "kind", "name")
    )
    return [r for r in candidates if carry_refusal(idea=idea, racecourse=r) is None]


@transaction.atomic
def idea_carry(*, idea: Idea, racecourse: Racecourse, actor: User) -> Idea:
    """Carry a farm idea that passed screening into a season's racecourse.

    Its captain or HR. It re-enters as registered there and follows that
    racecourse's calendar (see the module's docstring); everything it has
    (registration, history, team, farm ballots) stays. Carrying it again to
    the same racecourse returns it unchanged.
    """
    locked = lock_idea(idea)
    if locked.racecourse_id == racecourse.pk and locked.stage != Stage.GESTATION:
        return locked  # already carried here
    require(actor, "ideas.carry_idea", locked)
    racecourse = Racecourse.objects.select_related("season").get(pk=racecourse.pk)
    if problem := carry_refusal(idea=locked, racecourse=racecourse):
        raise ValidationError({"racecourse": problem}, code="not_carriable")
    farm = locked.racecourse
    reason = _("Carried from %(farm)s into %(racecourse)s") % {
        "farm": farm,
        "racecourse": racecourse,
    }
    _move_to(locked, racecourse, actor, reason)
    funnel.idea_reenter(idea=locked, actor=actor, reason=reason)
    idea_entry_settle(idea=locked, actor=actor)
    locked.refresh_from_db()
    idea.refresh_from_db(fields=["racecourse", "challenge", "stage"])
    return locked


@transaction.atomic
def idea_to_farm(*, idea: Idea, actor: User) -> Idea:
    """Send an idea eliminated in a season back to the Innovation Farm.

    Its captain or HR. It re-enters as registered on the farm and joins the
    farm's open round, or waits for the next one. Refused for an idea not
    eliminated, one already on the farm, or when there is no farm.
    """
    locked = lock_idea(idea)
    require(actor, "ideas.replant_idea", locked)
    farm = farm_current()
    if farm is None:
        raise ValidationError(
            _("There is no Innovation Farm to go back to."), code="no_farm"
        )
    reason = _("Back to %(farm)s from %(racecourse)s, to be improved") % {
        "farm": farm,
        "racecourse": locked.racecourse,
    }
    _move_to(locked, farm, actor, reason)
    funnel.idea_reenter(idea=locked, actor=actor, reason=reason)
    idea_entry_settle(idea=locked, actor=actor)
    locked.refresh_from_db()
    idea.refresh_from_db(fields=["racecourse", "challenge", "stage"])
    return locked
