"""Reports and hiding: a recorded reason, the author told, nothing deleted."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ideas.discussion.selectors import comment_list, open_report_count, report_queue
from ideas.discussion.services import (
    comment_hide,
    comment_post,
    comment_report,
    comment_reports_dismiss,
)
from ideas.models import Comment, CommentReport
from tests.factories import UserFactory

from .helpers import idea_with_team, notes

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(hr_admin):
    idea, captain, member = idea_with_team()
    troll = UserFactory(display_name="Troll Tom")
    comment = comment_post(idea=idea, actor=troll, body="Rude words")
    reporter = UserFactory()
    comment_report(comment=comment, actor=reporter, reason="Insulting the team")
    return idea, comment, troll, reporter


def test_a_report_reaches_the_moderators_queue(reported, hr_admin):
    idea, comment, troll, reporter = reported
    [queued] = report_queue(user=hr_admin)
    assert queued == comment and queued.open_reports == 1
    assert [r.reason for r in queued.shown] == ["Insulting the team"]
    assert open_report_count(user=hr_admin) == 1
    assert notes(hr_admin, "ideas.discussion.comment_reported")
    assert report_queue(user=reporter) == []  # not a moderator


def test_reporting_twice_or_without_reason_is_refused(reported):
    idea, comment, troll, reporter = reported
    with pytest.raises(ValidationError) as twice:
        comment_report(comment=comment, actor=reporter, reason="Again")
    assert twice.value.error_dict["reason"][0].code == "duplicate"
    with pytest.raises(ValidationError):
        comment_report(comment=comment, actor=UserFactory(), reason="  ")
    with pytest.raises(PermissionDenied):  # one's own comment
        comment_report(comment=comment, actor=troll, reason="Me")


def test_only_moderators_hide_and_a_reason_is_required(reported, hr_admin):
    idea, comment, troll, reporter = reported
    with pytest.raises(PermissionDenied):
        comment_hide(comment=comment, actor=idea.author, reason="I dislike it")
    with pytest.raises(ValidationError) as no_reason:
        comment_hide(comment=comment, actor=hr_admin, reason="")
    assert "reason" in no_reason.value.error_dict
    comment.refresh_from_db()
    assert comment.hidden_at is None


def test_a_racecourse_admin_hides_with_a_reason_the_author_sees(reported):
    idea, comment, troll, reporter = reported
    admin = UserFactory()
    idea.racecourse.admins.add(admin)
    assert [c.pk for c in report_queue(user=admin)] == [comment.pk]
    comment_hide(comment=comment, actor=admin, reason="Personal attack")
    comment = Comment.objects.get(pk=comment.pk)
    assert comment.body == "Rude words"  # kept
    assert comment.hidden_by == admin and comment.hidden_reason == "Personal attack"
    assert CommentReport.objects.get().resolution == "hidden"
    [note] = notes(troll, "ideas.discussion.comment_hidden")
    assert note.body == "Personal attack"
    assert report_queue(user=admin) == []
    # The author sees their comment, marked; others see a placeholder.
    [own] = comment_list(idea=idea, user=troll)
    assert own.state == "hidden" and own.body == "Rude words"
    assert own.hidden_reason == "Personal attack"
    [other] = comment_list(idea=idea, user=reporter)
    assert other.state == "hidden" and other.body is None
    assert other.hidden_reason == ""


def test_pages_show_the_author_the_reason_and_others_a_placeholder(
    client, reported, hr_admin
):
    idea, comment, troll, reporter = reported
    comment_hide(comment=comment, actor=hr_admin, reason="Personal attack")
    client.force_login(troll)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Hidden by a moderator: Personal attack" in page and "Rude words" in page
    client.force_login(reporter)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "This comment was hidden by a moderator." in page
    assert "Rude words" not in page and "Personal attack" not in page


def test_dismissing_keeps_the_comment(reported, hr_admin):
    idea, comment, troll, reporter = reported
    assert comment_reports_dismiss(comment=comment, actor=hr_admin) == 1
    assert CommentReport.objects.get().resolution == "dismissed"
    assert report_queue(user=hr_admin) == []
    with pytest.raises(PermissionDenied):
        comment_reports_dismiss(comment=comment, actor=reporter)


def test_the_queue_page_and_the_hide_form(client, reported, hr_admin):
    idea, comment, troll, reporter = reported
    client.force_login(reporter)
    assert client.get("/ideas/discussion/reports/").status_code == 403
    client.force_login(hr_admin)
    page = client.get("/ideas/discussion/reports/").content.decode()
    assert "Rude words" in page and "Insulting the team" in page
    url = f"/ideas/discussion/comments/{comment.pk}/hide/"
    bad = client.post(url, {"reason": ""})
    assert bad.status_code == 400 and "This field is required" in bad.content.decode()
    good = client.post(url, {"reason": "Rude", "next": "/ideas/discussion/reports/"})
    assert good.status_code == 302 and good.url == "/ideas/discussion/reports/"
    assert Comment.objects.get(pk=comment.pk).hidden_reason == "Rude"


def test_moderators_see_the_queue_count_on_the_idea_page(client, reported, hr_admin):
    idea, comment, troll, reporter = reported
    client.force_login(hr_admin)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "1 reported comment to review" in page
    assert 'href="/ideas/discussion/reports/"' in page
    client.force_login(reporter)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "to review" not in page


def test_a_report_tells_only_moderators_who_may_read_the_idea(hr_admin):
    """A draft's comment (its team talking) is reported: the racecourse's admin,
    who may not know the draft exists, is not told its title; HR, who may read
    it, is."""
    idea, captain, member = idea_with_team(stage="draft")
    admin = UserFactory()
    idea.racecourse.admins.add(admin)
    comment = comment_post(idea=idea, actor=member, body="Rude words")
    comment_report(comment=comment, actor=captain, reason="Not kind")
    assert not notes(admin, "ideas.discussion.comment_reported")
    assert notes(hr_admin, "ideas.discussion.comment_reported")
