"""The discussion's API: comments, replies, reports, hiding, follows; bad input."""

import pytest

from ideas.models import Comment, CommentReport, Follow, Visibility
from tests.factories import ChallengeFactory, UserFactory

from .helpers import idea_with_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


def test_post_list_reply_and_delete(api):
    idea, captain, member = idea_with_team()
    colleague = UserFactory(display_name="Colleague Xu")
    c = api(colleague)
    created = c.post(
        f"/api/v1/ideas/{idea.pk}/comments/",
        {"body": "Nice **work**"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["body"] == "Nice **work**" and body["author_name"] == "Colleague Xu"
    assert body["parent"] is None and body["state"] == "visible" and body["is_mine"]
    reply = api(captain).post(
        f"/api/v1/comments/{body['id']}/replies/",
        {"body": "Thanks"},
        content_type="application/json",
    )
    assert reply.status_code == 201 and reply.json()["parent"] == body["id"]
    c = api(colleague)  # one client: log the colleague back in
    rows = c.get(f"/api/v1/ideas/{idea.pk}/comments/").json()["results"]
    assert [r["body"] for r in rows] == ["Nice **work**", "Thanks"]
    assert c.delete(f"/api/v1/comments/{body['id']}/").status_code == 204
    row = c.get(f"/api/v1/comments/{body['id']}/").json()
    assert row["state"] == "deleted" and row["body"] is None
    assert Comment.objects.get(pk=body["id"]).body == "Nice **work**"


@pytest.mark.parametrize(
    "payload, field",
    [
        ({}, "body"),
        ({"body": ""}, "body"),
        ({"body": "x" * 5001}, "body"),
        ({"body": "ok", "parent": "abc"}, "parent"),
        ({"body": "ok", "parent": 2**70}, "parent"),
        ({"body": "ok", "parent": 999999}, "parent"),
    ],
)
def test_bad_comments_are_400s(api, payload, field):
    idea, captain, member = idea_with_team()
    response = api(captain).post(
        f"/api/v1/ideas/{idea.pk}/comments/", payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_who_may_not_read_gets_404_and_closed_ideas_403(api):
    idea, captain, member = idea_with_team(visibility=Visibility.CONFIDENTIAL)
    outsider = UserFactory()
    url = f"/api/v1/ideas/{idea.pk}/comments/"
    assert api(outsider).get(url).status_code == 404
    assert (
        api(outsider).post(url, {"body": "hi"}, content_type="application/json")
    ).status_code == 404
    comment = Comment.objects.create(idea=idea, author=captain, body="secret")
    assert api(outsider).get(f"/api/v1/comments/{comment.pk}/").status_code == 404
    assert (
        api(outsider)
        .post(
            f"/api/v1/comments/{comment.pk}/report/",
            {"reason": "x"},
            content_type="application/json",
        )
        .status_code
        == 404
    )


def test_report_and_hide(api, hr_admin):
    idea, captain, member = idea_with_team()
    comment = Comment.objects.create(idea=idea, author=member, body="Meh")
    reporter = UserFactory()
    url = f"/api/v1/comments/{comment.pk}/report/"
    assert (
        api(reporter).post(url, {}, content_type="application/json").status_code == 400
    )
    made = api(reporter).post(url, {"reason": "Spam"}, content_type="application/json")
    assert made.status_code == 201 and made.json()["resolution"] == "open"
    again = api(reporter).post(url, {"reason": "Spam"}, content_type="application/json")
    assert again.status_code == 400 and "reason" in again.json()["errors"]
    assert api(reporter).get("/api/v1/comment-reports/").status_code == 403

    hide = f"/api/v1/comments/{comment.pk}/hide/"
    refused = api(reporter).post(hide, {"reason": "x"}, content_type="application/json")
    assert refused.status_code == 403
    missing = api(hr_admin).post(hide, {}, content_type="application/json")
    assert missing.status_code == 400 and "reason" in missing.json()["errors"]
    hidden = api(hr_admin).post(
        hide, {"reason": "Spam indeed"}, content_type="application/json"
    )
    assert hidden.status_code == 200
    assert (
        hidden.json()["state"] == "hidden"
        and hidden.json()["hidden_reason"] == "Spam indeed"
    )
    listed = api(hr_admin).get("/api/v1/comment-reports/").json()["results"]
    assert [(r["comment"], r["resolution"]) for r in listed] == [(comment.pk, "hidden")]
    assert CommentReport.objects.get().resolved_by == hr_admin
    other = api(reporter).get(f"/api/v1/comments/{comment.pk}/").json()
    assert other["body"] is None and other["hidden_reason"] == ""
    own = api(member).get(f"/api/v1/comments/{comment.pk}/").json()
    assert own["body"] == "Meh" and own["hidden_reason"] == "Spam indeed"


def test_follow_and_unfollow(api):
    idea, captain, member = idea_with_team()
    fan = UserFactory()
    c = api(fan)
    assert c.post(f"/api/v1/ideas/{idea.pk}/follow/").json() == {"following": True}
    assert c.delete(f"/api/v1/ideas/{idea.pk}/follow/").json() == {"following": False}
    challenge = ChallengeFactory()
    assert c.post(f"/api/v1/challenges/{challenge.pk}/follow/").json() == {
        "following": True
    }
    assert Follow.objects.filter(user=fan, challenge=challenge).exists()
    assert c.post("/api/v1/challenges/999999/follow/").status_code == 404


def test_the_comment_form_shows_errors(client):
    idea, captain, member = idea_with_team()
    client.force_login(captain)
    response = client.post(
        f"/ideas/discussion/ideas/{idea.pk}/comments/", {"body": "x" * 5001}
    )
    assert response.status_code == 400
    assert "5000" in response.content.decode()
    ok = client.post(
        f"/ideas/discussion/ideas/{idea.pk}/comments/", {"body": "Hello *all*"}
    )
    comment = Comment.objects.get()
    assert ok.url.endswith(f"#comment-{comment.pk}")
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Hello <em>all</em>" in page
    xss = client.post(
        f"/ideas/discussion/ideas/{idea.pk}/comments/",
        {"body": "<script>alert(1)</script>"},
    )
    assert xss.status_code == 302
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
