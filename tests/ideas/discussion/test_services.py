"""Posting comments and replies, mentions and who is told (``discussion.services``)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ideas.discussion.mentions import mention_handles, mentioned_people
from ideas.discussion.services import comment_delete, comment_post, follow_set
from ideas.discussion.services.comments import RATE_LIMIT
from ideas.models import Comment, Stage, Visibility
from tests.factories import UserFactory, idea_draft, idea_in_stage

from .helpers import idea_with_team, notes

pytestmark = pytest.mark.django_db

POSTED = "ideas.discussion.comment_posted"
REPLIED = "ideas.discussion.comment_replied"
MENTIONED = "ideas.discussion.mentioned"


def test_a_colleague_comments_and_the_team_hears_of_it():
    idea, captain, member = idea_with_team()
    colleague = UserFactory(display_name="Colleague Xu")
    comment = comment_post(idea=idea, actor=colleague, body="  Love the *idea*  ")
    assert comment.body == "Love the *idea*"
    assert comment.by_team is False and comment.parent is None
    for person in (captain, member):
        [note] = notes(person, POSTED)
        assert "Colleague Xu" in note.subject and idea.title in note.subject
        assert note.body == "Love the *idea*"
        assert note.url.endswith(f"#comment-{comment.pk}")
    assert notes(colleague) == []  # never told of one's own comment


def test_a_team_member_commenting_is_flagged_by_team_and_not_told():
    idea, captain, member = idea_with_team()
    comment = comment_post(idea=idea, actor=member, body="Update from us")
    assert comment.by_team is True
    assert [n.recipient for n in notes(captain, POSTED)] == [captain]
    assert notes(member, POSTED) == []


def test_mentions_notify_readers_only_once():
    idea, captain, member = idea_with_team()
    ada = UserFactory(email="ada.lovelace@example.com")
    colleague = UserFactory()
    comment_post(
        idea=idea,
        actor=colleague,
        body="@ada.lovelace and @yara@example.com, look. Again @ada.lovelace.",
    )
    assert len(notes(ada, MENTIONED)) == 1
    # The member is mentioned: told once, as mentioned (not also as team).
    assert len(notes(member, MENTIONED)) == 1
    assert notes(member, POSTED) == []
    assert len(notes(captain, POSTED)) == 1


def test_a_mentioned_person_who_may_not_read_the_idea_is_not_told():
    idea, captain, member = idea_with_team(visibility=Visibility.CONFIDENTIAL)
    outsider = UserFactory(email="outsider@example.com")
    comment_post(idea=idea, actor=member, body="cc @outsider")
    assert notes(outsider) == []


def test_mention_handles_parse_names_and_addresses():
    assert mention_handles("hi @a.b, @c@d.org. mail@x.com @a.b") == ["a.b", "c@d.org"]
    UserFactory(email="sam@one.com")
    UserFactory(email="sam@two.com")
    assert mentioned_people("@sam") == []  # ambiguous: nobody


def test_a_reply_tells_the_parents_author_and_stays_one_level_deep():
    idea, captain, member = idea_with_team()
    first, second = UserFactory(), UserFactory()
    top = comment_post(idea=idea, actor=first, body="Question?")
    reply = comment_post(idea=idea, actor=captain, body="Answer.", parent=top)
    assert reply.parent == top
    [note] = notes(first, REPLIED)
    assert note.body == "Answer."
    deeper = comment_post(idea=idea, actor=second, body="Me too.", parent=reply)
    assert deeper.parent == top  # flattened to the comment
    assert len(notes(captain, REPLIED)) == 1  # the reply's author is told


def test_followers_hear_of_comments():
    idea, captain, member = idea_with_team()
    follower = UserFactory()
    follow_set(actor=follower, idea=idea, on=True)
    comment_post(idea=idea, actor=UserFactory(), body="Hello")
    assert len(notes(follower, POSTED)) == 1


def test_body_is_required_and_bounded():
    idea, captain, member = idea_with_team()
    with pytest.raises(ValidationError) as empty:
        comment_post(idea=idea, actor=captain, body="   ")
    assert "body" in empty.value.error_dict
    with pytest.raises(ValidationError) as long:
        comment_post(idea=idea, actor=captain, body="x" * (Comment.MAX_LENGTH + 1))
    assert "5000" in str(long.value)
    assert Comment.objects.count() == 0


def test_a_reply_to_another_ideas_comment_is_refused():
    idea, captain, member = idea_with_team()
    other, other_captain, _ = idea_with_team(first=False)
    elsewhere = comment_post(idea=other, actor=other_captain, body="Here")
    with pytest.raises(ValidationError) as error:
        comment_post(idea=idea, actor=captain, body="x", parent=elsewhere)
    assert "parent" in error.value.error_dict


def test_drafts_of_others_and_closed_ideas_take_no_comments():
    draft = idea_draft()
    with pytest.raises(PermissionDenied):
        comment_post(idea=draft, actor=UserFactory(), body="Hi")
    comment_post(idea=draft, actor=draft.author, body="Note to self")  # the team may
    idea = idea_in_stage(Stage.WITHDRAWN)
    with pytest.raises(PermissionDenied):
        comment_post(idea=idea, actor=UserFactory(), body="Too late")


def test_commenting_too_fast_is_refused():
    idea, captain, member = idea_with_team()
    for n in range(RATE_LIMIT):
        comment_post(idea=idea, actor=member, body=f"n{n}")
    with pytest.raises(ValidationError) as error:
        comment_post(idea=idea, actor=member, body="one more")
    assert error.value.error_dict["body"][0].code == "throttled"


def test_the_author_deletes_softly_and_only_their_own():
    idea, captain, member = idea_with_team()
    comment = comment_post(idea=idea, actor=member, body="Oops")
    with pytest.raises(PermissionDenied):
        comment_delete(comment=comment, actor=captain)
    comment_delete(comment=comment, actor=member)
    comment.refresh_from_db()
    assert comment.deleted_at is not None and comment.body == "Oops"
