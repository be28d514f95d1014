"""An anonymous team comments as "the team": its members' names never reach
anyone who may not see the team, in the page, the API or a notification."""

import pytest

from ideas.discussion.services import comment_post
from ideas.services.access import idea_access_request
from tests.factories import UserFactory

from .helpers import idea_with_team, notes

pytestmark = pytest.mark.django_db

SECRET = ("Member Yara", "yara@example.com", "Captain Zed", "zed@example.com")


@pytest.fixture
def anonymous():
    idea, captain, member = idea_with_team(anonymous=True)
    comment = comment_post(idea=idea, actor=member, body="We built a prototype.")
    return idea, captain, member, comment


def _leaks(text: str) -> list[str]:
    return [s for s in SECRET if s in text]


def test_outsiders_see_the_team_in_the_page(client, anonymous):
    idea, captain, member, comment = anonymous
    outsider = UserFactory()
    client.force_login(outsider)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "We built a prototype." in page
    assert f'id="comment-{comment.pk}"' in page
    assert "the team" in page
    assert _leaks(page) == []


def test_outsiders_see_the_team_in_the_api(client, anonymous):
    idea, captain, member, comment = anonymous
    client.force_login(UserFactory())
    response = client.get(f"/api/v1/ideas/{idea.pk}/comments/")
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["author"] is None and row["author_name"] == "the team"
    assert row["by_team"] is True
    assert _leaks(response.content.decode()) == []
    one = client.get(f"/api/v1/comments/{comment.pk}/")
    assert one.json()["author"] is None and _leaks(one.content.decode()) == []


def test_the_team_sees_its_own_names(client, anonymous):
    idea, captain, member, comment = anonymous
    client.force_login(captain)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Member Yara" in page


def test_hr_sees_names_only_after_unmasking(client, anonymous, hr_admin):
    idea, captain, member, comment = anonymous
    client.force_login(hr_admin)
    assert (
        _leaks(client.get(f"/api/v1/ideas/{idea.pk}/comments/").content.decode()) == []
    )
    idea_access_request(
        idea=idea, user=hr_admin, kind="unmask", reason="Audit of a complaint"
    )
    row = client.get(f"/api/v1/ideas/{idea.pk}/comments/").json()["results"][0]
    assert row["author"]["display_name"] == "Member Yara"


def test_notifications_to_outsiders_say_the_team(anonymous):
    idea, captain, member, comment = anonymous
    outsider = UserFactory(email="olga@example.com")
    reply_to = comment_post(idea=idea, actor=outsider, body="How?", parent=comment)
    answer = comment_post(
        idea=idea, actor=captain, body="Like this, @olga", parent=reply_to
    )
    [note] = notes(outsider, "ideas.discussion.mentioned")
    assert note.params["who"] == "" and note.params["as_team"] is True
    assert "the team" in note.subject
    assert _leaks(note.subject + note.body + str(note.params)) == []
    assert answer.by_team
    # The member hears the outsider's reply under the outsider's own name.
    [told] = notes(member, "ideas.discussion.comment_replied")
    assert str(outsider) in told.subject
