"""The trending mark: many views and comments in the last 48 hours."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ideas.discussion.selectors import (
    TRENDING_MIN_COMMENTS,
    TRENDING_MIN_VIEWS,
    trending_idea_ids,
)
from ideas.discussion.services import comment_post, idea_view_record
from ideas.models import Comment, IdeaView
from tests.factories import UserFactory

from .helpers import idea_with_team

pytestmark = pytest.mark.django_db


def _busy(idea, *, views=TRENDING_MIN_VIEWS, comments=TRENDING_MIN_COMMENTS):
    for _ in range(views):
        idea_view_record(idea=idea, user=UserFactory())
    for n in range(comments):
        comment_post(idea=idea, actor=UserFactory(), body=f"Comment {n}")


def test_views_are_recorded_once_a_person_a_day(client):
    idea, captain, member = idea_with_team()
    viewer = UserFactory()
    client.force_login(viewer)
    client.get(idea.get_absolute_url())
    client.get(idea.get_absolute_url())
    assert IdeaView.objects.filter(idea=idea, user=viewer).count() == 1


def test_an_idea_with_enough_views_and_comments_is_trending(client):
    busy, _, _ = idea_with_team()
    quiet, _, _ = idea_with_team(first=False)
    _busy(busy)
    _busy(quiet, comments=TRENDING_MIN_COMMENTS - 1)
    with CaptureQueriesContext(connection) as queries:
        assert trending_idea_ids([busy.pk, quiet.pk]) == {busy.pk}
    assert len(queries) == 1
    client.force_login(UserFactory())
    page = client.get(busy.get_absolute_url()).content.decode()
    assert "Trending" in page
    listing = client.get(busy.racecourse.get_absolute_url()).content.decode()
    assert listing.count("bi-fire") == 1


def test_old_activity_does_not_count():
    idea, _, _ = idea_with_team()
    _busy(idea)
    long_ago = timezone.now() - dt.timedelta(days=5)
    Comment.objects.update(created_at=long_ago)
    assert trending_idea_ids([idea.pk]) == set()
    Comment.objects.update(created_at=timezone.now())
    IdeaView.objects.update(day=long_ago.date())
    assert trending_idea_ids([idea.pk]) == set()


def test_hidden_or_deleted_comments_do_not_count():
    idea, _, _ = idea_with_team()
    _busy(idea)
    Comment.objects.filter(pk=Comment.objects.first().pk).update(
        deleted_at=timezone.now()
    )
    assert trending_idea_ids([idea.pk]) == set()


def test_the_api_marks_trending_ideas_in_the_list_and_the_detail(
    client, django_assert_max_num_queries
):
    busy, *_ = idea_with_team()
    quiet, *_ = idea_with_team(first=False)
    _busy(busy)
    client.force_login(UserFactory())

    listed = client.get("/api/v1/ideas/").json()["results"]

    marks = {row["id"]: row["trending"] for row in listed}
    assert marks[busy.pk] is True and marks[quiet.pk] is False
    assert client.get(f"/api/v1/ideas/{busy.pk}/").json()["trending"] is True
    assert client.get(f"/api/v1/ideas/{quiet.pk}/").json()["trending"] is False
