"""The screening permissions: who sees live counts, who may judge."""

import pytest
from django.contrib.auth.models import AnonymousUser

from horserace.common.permissions import can
from tests.factories import UserFactory, open_racecourse

from .factories import closed_round, screening_idea, screening_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def window():
    return screening_round()


def test_live_counts_for_hr_and_the_racecourses_admins_only(window):
    admin, other_admin = UserFactory(), UserFactory()
    window.racecourse.admins.add(admin)
    open_racecourse().admins.add(other_admin)
    assert can(UserFactory(is_hr_admin=True), "voting.view_live_counts", window)
    assert can(UserFactory(is_superuser=True), "voting.view_live_counts", window)
    assert can(admin, "voting.view_live_counts", window)
    assert not can(other_admin, "voting.view_live_counts", window)
    assert not can(UserFactory(), "voting.view_live_counts", window)
    assert not can(AnonymousUser(), "voting.view_live_counts", window)
    inactive_hr = UserFactory(is_hr_admin=True, is_active=False)
    assert not can(inactive_hr, "voting.view_live_counts", window)


def test_judge_follows_judge_refusal(window):
    idea = screening_idea(window)
    assert can(UserFactory(), "voting.judge", idea)
    assert not can(idea.author, "voting.judge", idea)
    assert not can(AnonymousUser(), "voting.judge", idea)
    closed = closed_round()
    late = screening_idea(closed)
    assert not can(UserFactory(), "voting.judge", late)
