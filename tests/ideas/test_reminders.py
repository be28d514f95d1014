"""Reminders of the ideas' side: windows closing soon, approvals waiting.

Each is sent once a day at most (keyed by window or kind, and day), only to
active people, and a second run of the task sends nothing.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from contests.models import Season, StageWindow, WindowStage
from horserace.notifications.models import Notification
from ideas import tasks
from ideas.gestation.services.resources import resource_request_create
from ideas.models import ResourceRequest, TimeAllocation, TrainerAssignment, Tranche
from ideas.realization.services.allocations import time_allocation_propose
from ideas.realization.services.reviews import tranche_review_submit
from ideas.reminders import approvals_remind, day_bucket, windows_closing_remind
from tests.factories import UserFactory, idea_draft
from tests.factories_gestation import add_member, budget_for, gestating_idea
from tests.factories_realization import plan_for, realization_world
from tests.voting.factories import screening_idea, screening_round

pytestmark = pytest.mark.django_db

CLOSING = "ideas.window.closing_soon"
WAITING = "ideas.approvals.waiting"


def _told(kind, user=None):
    qs = Notification.objects.filter(kind=kind)
    if user is not None:
        qs = qs.filter(recipient=user)
    return list(qs)


def _soon(window: StageWindow, hours: int = 12) -> StageWindow:
    StageWindow.objects.filter(pk=window.pk).update(
        closes_at=timezone.now() + dt.timedelta(hours=hours)
    )
    window.refresh_from_db()
    return window


# --- A window closing soon, to the teams -----------------------------------------


def test_the_teams_of_a_round_closing_within_a_day_are_told_once():
    window = _soon(screening_round())
    idea = screening_idea(window)
    leaver = UserFactory()
    add_member(idea, leaver)
    leaver.is_active = False
    leaver.save()
    bystander = UserFactory()

    assert windows_closing_remind() == 1
    [note] = _told(CLOSING)
    assert note.recipient == idea.author
    assert note.params["window"] == window.pk
    assert note.params["day"] == day_bucket(timezone.now())
    subject, _ = note.rendered("en")
    assert subject == (
        f"The Online screening window of {window.racecourse.name} closes within 24 hours"
    )
    assert idea.title not in subject  # no idea's content
    assert not _told(CLOSING, leaver) and not _told(CLOSING, bystander)
    # The hourly run again: nobody is told twice.
    assert windows_closing_remind() == 0
    assert tasks.windows_closing_remind() == 0
    assert len(_told(CLOSING)) == 1


def test_a_registration_window_closing_reminds_the_drafts_teams():
    draft = idea_draft()
    window = draft.racecourse.windows.get(stage=WindowStage.REGISTRATION)
    _soon(window, hours=3)
    assert windows_closing_remind() == 1
    assert _told(CLOSING, draft.author)


def test_a_window_closing_in_three_days_reminds_nobody():
    window = screening_round()  # closes in a week
    screening_idea(window)
    _soon(window, hours=72)
    assert windows_closing_remind() == 0


def test_a_window_of_a_season_not_open_reminds_nobody():
    window = _soon(screening_round())
    screening_idea(window)
    Season.objects.filter(pk=window.racecourse.season_id).update(
        status=Season.Status.CLOSED
    )
    assert windows_closing_remind() == 0


def test_one_reminder_a_day_per_window_and_person():
    base = (timezone.now() + dt.timedelta(days=1)).replace(
        hour=12, minute=0, second=0, microsecond=0
    )
    window = screening_round()
    idea = screening_idea(window)
    StageWindow.objects.filter(pk=window.pk).update(
        opens_at=base - dt.timedelta(days=2), closes_at=base + dt.timedelta(hours=23)
    )
    assert windows_closing_remind(now=base) == 1
    assert windows_closing_remind(now=base + dt.timedelta(hours=11)) == 0  # 23:00
    assert windows_closing_remind(now=base + dt.timedelta(hours=13)) == 1  # next day
    assert len(_told(CLOSING, idea.author)) == 2


# --- Approvals waiting ---------------------------------------------------------------


def _requests(idea, n: int, *, age=dt.timedelta(hours=30)):
    for i in range(n):
        budget = budget_for(idea)
        resource_request_create(
            idea=idea,
            actor=idea.author,
            resource=budget.resource,
            amount=Decimal(i + 1),
            justification="Secret plans.",
        )
    ResourceRequest.objects.filter(idea=idea).update(created_at=timezone.now() - age)


def test_the_racecourse_admins_are_told_of_requests_older_than_a_day():
    idea = gestating_idea()
    admin, leaver = UserFactory(), UserFactory(is_active=False)
    idea.racecourse.admins.add(admin, leaver)
    hr = UserFactory(is_hr_admin=True)
    _requests(idea, 2)

    assert approvals_remind() == 1
    [note] = _told(WAITING, admin)
    assert note.params == {
        "what": "resource_requests",
        "n": 2,
        "day": day_bucket(timezone.now()),
    }
    subject, body = note.rendered("en")
    assert subject == (
        "You have 2 resource requests waiting for your decision for over a day"
    )
    assert "Secret plans" not in subject + body
    assert not _told(WAITING, leaver)
    assert not _told(WAITING, hr)  # the racecourse has an admin
    assert approvals_remind() == 0
    assert tasks.approvals_remind() == 0


def test_fresh_requests_wait_a_day_before_a_reminder():
    idea = gestating_idea()
    idea.racecourse.admins.add(UserFactory())
    _requests(idea, 1, age=dt.timedelta(hours=2))
    assert approvals_remind() == 0


def test_hr_is_told_where_a_racecourse_has_no_admin_and_of_trainer_requests():
    idea = gestating_idea()
    hr = UserFactory(is_hr_admin=True)
    UserFactory(is_hr_admin=True, is_active=False)
    TrainerAssignment.objects.create(
        idea=idea, status=TrainerAssignment.Status.REQUESTED, requested_by=idea.author
    )
    TrainerAssignment.objects.filter(idea=idea).update(
        created_at=timezone.now() - dt.timedelta(days=2)
    )
    assert approvals_remind() == 1
    [note] = _told(WAITING)
    assert note.recipient == hr
    assert note.params["what"] == "trainer_requests"
    assert note.rendered("en")[0] == (
        "1 team has been waiting for a trainer for over a day"
    )


def test_hr_is_told_of_milestone_reviews_and_managers_of_allocations():
    world = realization_world()
    allocation = time_allocation_propose(
        idea=world.idea, actor=world.hr, member=world.member, share=20
    )
    plan = plan_for(world.idea, actor=world.hr)
    tranche = tranche_review_submit(
        tranche=plan.tranches.first(), actor=world.member, review="Done."
    )
    old = timezone.now() - dt.timedelta(days=2)
    TimeAllocation.objects.filter(pk=allocation.pk).update(created_at=old)
    Tranche.objects.filter(pk=tranche.pk).update(review_submitted_at=old)

    assert approvals_remind() == 2
    [review] = _told(WAITING, world.hr)
    assert review.params["what"] == "tranche_reviews"
    assert review.params["n"] == 1
    [alloc] = _told(WAITING, world.manager)
    assert alloc.params["what"] == "time_allocations"
    assert alloc.rendered("zh-hans")[0]  # renders in the reader's language
    assert approvals_remind() == 0
