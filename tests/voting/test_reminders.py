"""Reminders of the judging side: ideas left to judge, scorecards due.

Counts only, to active people who may judge or score, once a day per window.
"""

import datetime as dt

import pytest
from django.utils import timezone

from contests.models import StageWindow, WindowStage
from horserace.notifications.models import Notification
from ideas.models import Idea, Visibility
from tests.factories import DepartmentFactory, UserFactory
from tests.factories_evaluation import assign, idea_in_evaluation, racecourse_with_pool
from tests.factories_evaluation import scorecard as scorecard_for
from tests.voting.factories import (
    department_racecourse,
    screening_idea,
    screening_round,
)
from voting import tasks
from voting.models import Conflict
from voting.reminders import judging_left, judging_remind, scorecards_remind
from voting.screening.services.ballots import ballot_cast

pytestmark = pytest.mark.django_db

JUDGING = "voting.screening.judging_reminder"
DUE = "voting.evaluation.scorecards_due"


def _told(kind, user):
    return list(Notification.objects.filter(kind=kind, recipient=user))


def _closing(window: StageWindow, hours: int) -> StageWindow:
    StageWindow.objects.filter(pk=window.pk).update(
        closes_at=timezone.now() + dt.timedelta(hours=hours)
    )
    window.refresh_from_db()
    return window


def test_voters_are_told_how_many_ideas_they_have_left_to_judge():
    window = _closing(screening_round(), 12)
    ideas = [screening_idea(window, title=f"Secret {i}") for i in range(3)]
    halfway, finished = UserFactory(), UserFactory()
    leaver = UserFactory(is_active=False)
    ballot_cast(voter=halfway, idea=ideas[0], choice="support")
    for idea in ideas:
        ballot_cast(voter=finished, idea=idea, choice="oppose")

    assert judging_remind() > 0
    [note] = _told(JUDGING, halfway)
    assert note.params["left"] == 2
    assert note.params["window"] == window.pk
    subject, body = note.rendered("en")
    assert subject == f"You have 2 ideas left to judge in {window.racecourse.name}"
    assert "Secret" not in subject + body
    assert note.url.endswith(f"/screening/{window.racecourse_id}/judge/")
    assert not _told(JUDGING, finished)
    assert not _told(JUDGING, leaver)
    # An author does not judge their own team's idea: 2 of 3 are left.
    assert _told(JUDGING, ideas[0].author)[0].params["left"] == 2
    # Again (the hourly run): nobody is told twice.
    assert judging_remind() == 0
    assert tasks.judging_remind() == 0


def test_a_department_round_reminds_its_audience_only():
    department = DepartmentFactory()
    window = _closing(
        screening_round(racecourse=department_racecourse(department=department)), 6
    )
    screening_idea(window)
    inside, outside = UserFactory(department=department), UserFactory()
    judging_remind()
    assert _told(JUDGING, inside)
    assert not _told(JUDGING, outside)


def test_confidential_ideas_are_not_counted_and_far_rounds_not_reminded():
    window = screening_round()  # closes in a week
    screening_idea(window)
    hidden = screening_idea(window)
    Idea.objects.filter(pk=hidden.pk).update(visibility=Visibility.CONFIDENTIAL)
    voter = UserFactory()
    assert judging_left(window)[voter.pk] == 1
    assert judging_remind() == 0  # not within a day of its close
    assert not _told(JUDGING, voter)


def _evaluation_window(racecourse, hours: int) -> StageWindow:
    return StageWindow.objects.create(
        racecourse=racecourse,
        stage=WindowStage.EVALUATION,
        opens_at=timezone.now() - dt.timedelta(days=3),
        closes_at=timezone.now() + dt.timedelta(hours=hours),
    )


def test_evaluators_with_scorecards_due_within_two_days_are_told_once():
    racecourse = racecourse_with_pool(0)
    window = _evaluation_window(racecourse, 40)
    late, done, leaver, conflicted = (
        UserFactory(is_evaluator=True),
        UserFactory(is_evaluator=True),
        UserFactory(is_evaluator=True, is_active=False),
        UserFactory(is_evaluator=True),
    )
    ideas = [idea_in_evaluation(racecourse=racecourse) for _ in range(2)]
    for idea in ideas:
        assign(idea, late)
        scorecard_for(assign(idea, done), submitted=True)
        assign(idea, leaver)
    assign(ideas[0], conflicted)
    Conflict.objects.create(
        idea=ideas[0],
        evaluator=conflicted,
        kind=Conflict.Kind.values[0],
        source=Conflict.Source.values[0],
        declared_by=conflicted,
    )

    assert scorecards_remind() == 1
    [note] = _told(DUE, late)
    assert note.params["n"] == 2
    assert note.params["window"] == window.pk
    assert note.rendered("en")[0] == (
        f"You have 2 scorecards to submit on {racecourse.name}"
    )
    assert not _told(DUE, done)
    assert not _told(DUE, leaver)
    assert not _told(DUE, conflicted)
    assert scorecards_remind() == 0
    assert tasks.scorecards_remind() == 0


def test_an_evaluation_window_closing_in_a_week_reminds_nobody():
    racecourse = racecourse_with_pool(0)
    _evaluation_window(racecourse, 24 * 7)
    assign(idea_in_evaluation(racecourse=racecourse), UserFactory(is_evaluator=True))
    assert scorecards_remind() == 0
