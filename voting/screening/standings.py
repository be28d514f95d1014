"""Where each idea stands at a screening window's close, and what the rules make of it.

Pure reads and decisions: nothing here writes. The screening closer
(``voting.screening.closers``) locks the window and the ideas, asks the
window's screening mode (``voting.screening.modes``) which ideas pass, takes
the reasons from here, and changes the stages through the funnel.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_noop, ngettext

from contests.models import StageWindow
from horserace.common.notes import note, note_plural
from ideas.models import Idea, Registration
from voting.models import Tally


def _support_from(n: int) -> str:
    # Marks the plural pair for makemessages; ``note_plural`` renders it.
    return ngettext(
        "%(percent)s%% support from %(voters)s voter (rank %(place)s of %(total)s)",
        "%(percent)s%% support from %(voters)s voters (rank %(place)s of %(total)s)",
        n,
    )


_SUPPORT_FROM = (
    "%(percent)s%% support from %(voters)s voter (rank %(place)s of %(total)s)",
    "%(percent)s%% support from %(voters)s voters (rank %(place)s of %(total)s)",
)


@dataclass
class Standing:
    """One idea's numbers at the close, and its place among the ideas judged."""

    idea: Idea
    supports: int
    opposes: int
    voters: int
    support_rate: float
    place: int = 0
    total: int = 0

    def summary(self) -> str:
        """E.g. "81% support from 310 voters (rank 3 of 40)"."""
        place = {"place": self.place, "total": self.total}
        if not self.voters:
            return note(gettext_noop("no votes (rank %(place)s of %(total)s)"), **place)
        # A note: read in the reader's language (and plural) when shown.
        return note_plural(
            *_SUPPORT_FROM,
            self.voters,
            percent=round(self.support_rate * 100),
            voters=self.voters,
            place=self.place,
            total=self.total,
        )


def standings_at_close(window: StageWindow, ideas: list[Idea]) -> list[Standing]:
    """``ideas`` with their tallies for ``window``, best first."""
    ids = [idea.pk for idea in ideas]
    tallies = {t.idea_id: t for t in Tally.objects.filter(window=window, idea__in=ids)}
    registered = dict(
        Registration.objects.filter(idea__in=ids).values_list(
            "idea_id", "registered_at"
        )
    )

    def order(idea: Idea):
        tally = tallies.get(idea.pk)
        rank = tally.rank if tally is not None else None
        at = registered.get(idea.pk)
        return (
            rank is None,
            rank or 0,
            at is None,
            at.timestamp() if at else 0,
            idea.pk,
        )

    standings = []
    for place, idea in enumerate(sorted(ideas, key=order), start=1):
        tally = tallies.get(idea.pk)
        standings.append(
            Standing(
                idea=idea,
                supports=tally.supports if tally else 0,
                opposes=tally.opposes if tally else 0,
                voters=tally.voters if tally else 0,
                support_rate=tally.support_rate if tally else 0.0,
                place=place,
                total=len(ideas),
            )
        )
    return standings


# --- The rules ----------------------------------------------------------------


def top_k(standings: list[Standing], k: int) -> set[int]:
    return {s.idea.pk for s in standings[:k]}


def meets_threshold(s: Standing, window: StageWindow) -> bool:
    # Tolerance: a rate of exactly 4/5 must meet a threshold of 0.800.
    assert window.threshold_rate is not None  # threshold_rule_needs_rate
    rate_ok = s.support_rate + 1e-9 >= float(window.threshold_rate)
    return rate_ok and s.voters >= (window.threshold_min_voters or 0)


def not_voted_down(s: Standing) -> bool:
    return s.opposes <= s.supports


def suggested_passing(window: StageWindow, standings: list[Standing]) -> set[int]:
    """The ideas ``window``'s rule passes (for "manual": what it proposes)."""
    rule = window.rule
    if rule == StageWindow.Rule.MANUAL:
        if window.top_k:
            rule = StageWindow.Rule.TOP_K
        elif window.threshold_rate is not None:
            rule = StageWindow.Rule.THRESHOLD
        else:
            rule = StageWindow.Rule.VOTED_DOWN
    if rule == StageWindow.Rule.TOP_K:
        return top_k(standings, window.top_k or 0)
    if rule == StageWindow.Rule.THRESHOLD:
        return {s.idea.pk for s in standings if meets_threshold(s, window)}
    return {s.idea.pk for s in standings if not_voted_down(s)}


def fail_reason(window: StageWindow, s: Standing) -> str:
    numbers = s.summary()
    if window.rule == StageWindow.Rule.TOP_K:
        return note(
            gettext_noop("Not among the top %(k)s in online screening: %(numbers)s."),
            k=window.top_k,
            numbers=numbers,
        )
    if window.rule == StageWindow.Rule.THRESHOLD:
        assert window.threshold_rate is not None  # threshold_rule_needs_rate
        return note(
            gettext_noop(
                "Below the bar in online screening: %(numbers)s; at least %(rate)s%% "
                "support from at least %(min)s voters was needed."
            ),
            numbers=numbers,
            rate=f"{float(window.threshold_rate) * 100:g}",
            min=window.threshold_min_voters or 0,
        )
    if window.rule == StageWindow.Rule.VOTED_DOWN:
        return note(
            gettext_noop(
                "Voted down in online screening: %(opposes)s opposed and %(supports)s "
                "supported (rank %(place)s of %(total)s)."
            ),
            opposes=s.opposes,
            supports=s.supports,
            place=s.place,
            total=s.total,
        )
    return note(
        gettext_noop("Not chosen at the close of online screening: %(numbers)s."),
        numbers=numbers,
    )


def pass_reason(window: StageWindow, s: Standing) -> str:
    if window.rule == StageWindow.Rule.MANUAL:
        return note(
            gettext_noop("Chosen at the close of online screening: %(numbers)s."),
            numbers=s.summary(),
        )
    return note(
        gettext_noop("Passed online screening: %(numbers)s."), numbers=s.summary()
    )
