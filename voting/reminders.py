"""Reminders of the judging side: ideas left to judge in a screening round
closing within a day, and scorecards due in an evaluation window closing
within two days.

Run by the periodic tasks of ``voting.tasks`` (``horserace/schedules.py``),
keyed by window and day (``ideas.reminders.day_bucket``) so a person is told
once a day at most however often the task runs. Set-based: a few grouped
queries per window, none per person. The texts are counts only.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from contests.models import StageWindow, WindowStage
from ideas.models import Idea, Stage, TeamMembership, Visibility
from ideas.reminders import day_bucket, send_counts, windows_closing
from voting.evaluation.events import ScorecardsDue
from voting.models import Assignment, Ballot, Conflict, Scorecard
from voting.screening.events import JudgingReminder
from voting.screening.selectors.rounds import audience_of

#: Scorecards are "due" this long before the evaluation window closes.
SCORECARDS_DUE = dt.timedelta(hours=48)


def _audience_ids(window: StageWindow) -> list[int]:
    """The active people who vote on the window's racecourse (its audience:
    ``voter_in_audience``, for everyone at once)."""
    people = get_user_model().objects.filter(is_active=True)
    racecourse = window.racecourse
    if audience_of(racecourse) == "department":
        assert racecourse.department is not None  # audience_of says "company"
        people = people.filter(department_id__in=racecourse.department.descendant_ids())
    return list(people.values_list("pk", flat=True))


def judging_left(window: StageWindow) -> dict[int, int]:
    """For each active voter of a screening round: how many of its ideas they
    have not judged yet (voters with none left are left out).

    The ideas any voter of the round may see: screening ideas of the
    racecourse shown to everyone or to the racecourse's members (a
    confidential idea, which only a few may see, is not counted). A voter's
    own team's ideas are not theirs to judge; a ballot of any choice is a
    judgment (``judging_progress``).
    """
    ideas = list(
        Idea.objects.filter(
            racecourse_id=window.racecourse_id,
            stage=Stage.SCREENING,
            visibility__in=[Visibility.EVERYONE, Visibility.RACECOURSE],
        ).values_list("pk", flat=True)
    )
    if not ideas:
        return {}
    done: dict[int, int] = dict(
        Ballot.objects.filter(window=window, idea_id__in=ideas)
        .values("voter_id")
        .annotate(n=Count("pk"))
        .values_list("voter_id", "n")
    )
    for user_id, n in (
        TeamMembership.objects.filter(idea_id__in=ideas)
        .values("user_id")
        .annotate(n=Count("pk"))
        .values_list("user_id", "n")
    ):
        done[user_id] = done.get(user_id, 0) + n
    left = {pk: len(ideas) - done.get(pk, 0) for pk in _audience_ids(window)}
    return {pk: n for pk, n in left.items() if n > 0}


def judging_remind(*, now: dt.datetime | None = None) -> int:
    """Remind the voters of rounds closing within a day of what is left."""
    now = now or timezone.now()
    day = day_bucket(now)
    sent = 0
    for window in windows_closing(stages=[WindowStage.SCREENING], now=now):
        sent += send_counts(
            JudgingReminder,
            counts=judging_left(window),
            param="left",
            url=reverse("voting:judge", args=[window.racecourse_id]),
            window=window.pk,
            day=day,
            racecourse=window.racecourse.name,
        )
    return sent


def scorecards_open(window: StageWindow) -> dict[int, int]:
    """For each active evaluator: their assignments on the window's
    racecourse in evaluation with no submitted scorecard, less those a
    declared conflict forbids."""
    conflict = Conflict.objects.filter(
        idea=OuterRef("idea"), evaluator=OuterRef("evaluator")
    )
    return dict(
        Assignment.objects.filter(
            idea__racecourse_id=window.racecourse_id,
            idea__stage=Stage.EVALUATION,
            evaluator__is_active=True,
        )
        .exclude(scorecard__status=Scorecard.Status.SUBMITTED)
        .exclude(Exists(conflict))
        .values("evaluator_id")
        .annotate(n=Count("pk"))
        .values_list("evaluator_id", "n")
    )


def scorecards_remind(*, now: dt.datetime | None = None) -> int:
    """Remind evaluators of scorecards due in a window closing within 48 h."""
    now = now or timezone.now()
    day = day_bucket(now)
    sent = 0
    windows = windows_closing(
        stages=[WindowStage.EVALUATION], now=now, within=SCORECARDS_DUE
    )
    for window in windows:
        sent += send_counts(
            ScorecardsDue,
            counts=scorecards_open(window),
            param="n",
            url=reverse("evaluation:mine"),
            window=window.pk,
            day=day,
            racecourse=window.racecourse.name,
        )
    return sent
