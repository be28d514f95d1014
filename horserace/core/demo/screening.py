"""The demo's online screening: real ballots, tallies and a closed round.

Every racecourse whose screening window has opened by the time of seeding
gets ballots from its audience, cast one by one through
``voting.screening.services.ballot_cast`` (as the judging page would), so the judging
page, the results page and the API all have something to show:

- a round that is **open now** (Taobao's) is tallied as the periodic task
  would; the demo employee has judged some of its ideas and has a few left,
  and people who looked at an idea without judging it leave an impression;
- a round that has **closed** (the main racecourse's and the farm's) is
  voted on inside its window and closed at its close through
  ``contests.closing.window_apply``, which tallies it a last time and
  applies its rule through the funnel: the ideas the ballots put on top go
  on to gestation, the rest are eliminated, and the results are public.

Every idea in screening on the racecourse when its round is voted takes
part, judged as its ``IdeaSpec.appeal`` says.

Voters are drawn with a fixed seed, so every seeded demo looks the same.
"""

import datetime as dt
import random

from django.db.models import Max

from contests.closing import window_apply
from contests.models import Racecourse, StageWindow, WindowStage
from horserace.accounts.models import User
from ideas.models import Idea, Stage, StageTransition, TeamMembership, Visibility
from voting.models import Ballot, Choice
from voting.screening.selectors.queue import judging_queue
from voting.screening.selectors.rounds import judge_refusal, voter_in_audience
from voting.screening.services.ballots import ballot_cast, impression_record
from voting.screening.services.tallies import tally_round

from .clock import clock
from .ideas import IDEAS

#: The share of the audience that judges any one idea.
TURNOUT = 0.8
#: Of those who do not judge an idea, the share who were shown it anyway.
LOOKED_ONLY = 0.5
#: How many ideas of the open round the demo employee has judged already.
EMPLOYEE_JUDGED = 6

SUPPORT_REASONS = [
    "Our sellers ask for this every week.",
    "Simple, and we could pilot it next month.",
    "I would use this myself.",
    "Cheap to try, and easy to measure.",
]
OPPOSE_REASONS = [
    "Nice, but the cost per user looks too high.",
    "Another team already works on something close.",
    "I doubt buyers would notice.",
    "Too much work for sellers.",
]


def screening_seed(
    *,
    people: dict[str, User],
    racecourses: dict[str, Racecourse],
    ideas: dict[str, Idea],
    now: dt.datetime,
) -> None:
    employee = people["employee"]
    for racecourse in racecourses.values():
        window = StageWindow.objects.filter(
            racecourse=racecourse, stage=WindowStage.SCREENING
        ).first()
        if window is None or window.opens_at > now:
            continue
        appeal = {s.title: s.appeal for s in IDEAS}
        entries = list(
            Idea.objects.filter(racecourse=racecourse, stage=Stage.SCREENING).order_by(
                "pk"
            )
        )
        ScreeningRound(window, people, now, closed=window.closes_at <= now).vote(
            [(idea, appeal[idea.title]) for idea in entries],
            # The demo employee judges the open round by hand (below).
            skip=employee if window.closes_at > now else None,
        )
        if window.closes_at <= now:
            # At its close, when the ideas entered the round before it (as the
            # story replays); else now, so no idea's history runs backwards.
            entered = StageTransition.objects.filter(
                idea__in=entries, to_stage=Stage.SCREENING
            ).aggregate(last=Max("created_at"))["last"]
            if entered is not None and entered <= window.closes_at:
                with clock(window.closes_at):
                    window_apply(window=window, when=window.closes_at)
            else:
                window_apply(window=window, when=now)
        else:
            _employee_judges(employee, window)
            tally_round(window=window, when=now)


class ScreeningRound:
    def __init__(self, window, people, now, *, closed: bool):
        self.window = window
        self.closed = closed
        self.random = random.Random(f"demo-screening-{window.racecourse.slug}")
        self.audience = [
            person
            for person in people.values()
            if voter_in_audience(user=person, racecourse=window.racecourse)
        ]
        self.supports_left = {p.pk: window.support_budget for p in self.audience}
        # A closed round's ballots are dated inside it; an open one's are now.
        self.span = int((min(now, window.closes_at) - window.opens_at).total_seconds())

    def _now(self):
        return self.window.opens_at + dt.timedelta(seconds=60) if self.closed else None

    def _when(self):
        if not self.closed:
            return None
        offset = self.random.randint(60, self.span - 60)
        return self.window.opens_at + dt.timedelta(seconds=offset)

    def vote(self, entries: list[tuple[Idea, float]], *, skip=None) -> None:
        for idea, appeal in entries:
            team = set(
                TeamMembership.objects.filter(idea=idea).values_list(
                    "user_id", flat=True
                )
            )
            for person in self.audience:
                if person.pk in team or person == skip:
                    continue
                # Only those who may see a restricted idea may judge it.
                if idea.visibility != Visibility.EVERYONE and judge_refusal(
                    user=person, idea=idea, window=self.window, when=self._now()
                ):
                    continue
                if self.random.random() > TURNOUT:
                    if not self.closed and self.random.random() < LOOKED_ONLY:
                        impression_record(voter=person, idea=idea, window=self.window)
                    continue
                supports = self.random.random() < appeal
                if supports and self.supports_left[person.pk] == 0:
                    continue  # out of supports: this voter passes on it
                self._cast(person, idea, Choice.SUPPORT if supports else Choice.OPPOSE)

    def _cast(self, person, idea, choice) -> None:
        reason = ""
        if self.random.random() < 0.3:
            pool = SUPPORT_REASONS if choice == Choice.SUPPORT else OPPOSE_REASONS
            reason = self.random.choice(pool)
        when = self._when()
        cast = ballot_cast(
            voter=person, idea=idea, choice=choice, reason=reason, when=when
        )
        # An open round's ballots are cast now (its rules are checked now), then
        # dated across the days it has been open, as a real round's would be:
        # the dashboard's ballots per day tells that story.
        stamp = when or self.window.opens_at + dt.timedelta(
            seconds=self.random.randint(60, max(61, self.span - 60))
        )
        Ballot.objects.filter(pk=cast.ballot.pk).update(
            created_at=stamp, updated_at=stamp
        )
        if choice == Choice.SUPPORT and self.supports_left[person.pk] is not None:
            self.supports_left[person.pk] -= 1


#: Supports the demo employee has spent, so some of the budget is left.
EMPLOYEE_SUPPORTS = 3


def _employee_judges(employee, window) -> None:
    """The first ideas of the employee's own order, with a few left to judge.

    Supports for the ideas the demo makes popular (up to ``EMPLOYEE_SUPPORTS``),
    opposes for the rest.
    """
    appeal = {s.title: s.appeal for s in IDEAS}
    supported = 0
    for idea in list(judging_queue(user=employee, window=window))[:EMPLOYEE_JUDGED]:
        support = appeal[idea.title] >= 0.6 and supported < EMPLOYEE_SUPPORTS
        supported += support
        ballot_cast(
            voter=employee,
            idea=idea,
            choice=Choice.SUPPORT if support else Choice.OPPOSE,
        )
