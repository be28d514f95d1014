"""Comments and replies: posting (with @mentions) and deleting one's own."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from horserace.accounts.models import User
from horserace.notifications.services import event_send
from ideas.discussion import events
from ideas.discussion.services.helpers import comment_url, field_error
from ideas.models import Comment, Idea
from ideas.services.common import require
from ideas.visibility import is_team_member

#: A person posts at most this many comments in ``RATE_WINDOW``.
RATE_LIMIT = 10
RATE_WINDOW = timedelta(minutes=1)


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise field_error("body", _("Write a comment."), "required")
    if len(body) > Comment.MAX_LENGTH:
        raise field_error(
            "body",
            _("A comment has at most %(max)d characters (this one has %(n)d).")
            % {"max": Comment.MAX_LENGTH, "n": len(body)},
            "max_length",
        )
    return body


@transaction.atomic
def comment_post(
    *, idea: Idea, actor: User, body: str, parent: Comment | None = None
) -> Comment:
    """``actor`` comments on ``idea``, or replies to ``parent``.

    Replies are one level deep: answering a reply answers its comment (the
    reply's author is still the one told). Told, each once and only if they
    may read the idea: the people mentioned, then the author of the comment
    answered, then the team and the idea's followers.
    """
    require(
        actor,
        "ideas.comment_idea",
        idea,
        _("You cannot comment on this idea."),
    )
    body = _clean_body(body)
    answered = parent
    if parent is not None:
        if parent.idea_id != idea.pk:
            raise field_error(
                "parent", _("That comment is on another idea."), "other_idea"
            )
        if parent.is_hidden or parent.is_deleted:
            raise field_error(
                "parent", _("That comment can no longer be answered."), "closed"
            )
        if parent.parent_id is not None:
            parent = parent.parent
    recent = Comment.objects.filter(
        author=actor, created_at__gte=timezone.now() - RATE_WINDOW
    ).count()
    if recent >= RATE_LIMIT:
        raise field_error(
            "body",
            _("You are commenting very fast: wait a minute and try again."),
            "throttled",
        )
    comment = Comment.objects.create(
        idea=idea,
        parent=parent,
        author=actor,
        by_team=is_team_member(actor, idea),
        body=body,
    )
    comment.idea = idea
    new = events.NewComment(comment=comment, answered=answered)
    for event in (
        events.CommentMentioned,
        events.CommentReplied,
        events.CommentPosted,
    ):
        event_send(
            event,
            about=new,
            url=comment_url(comment),
            comment=comment.pk,
            who=str(comment.author),
            as_team=False,
            idea=idea.title,
            text=comment.body,
        )
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, actor: User) -> Comment:
    """The author withdraws their comment: it shows as deleted, the text is
    kept for the record (a moderator may still need it)."""
    require(
        actor,
        "ideas.delete_comment",
        comment,
        _("Only its author can delete a comment."),
    )
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.deleted_at is None:
        comment.deleted_at = timezone.now()
        comment.save(update_fields=["deleted_at"])
    return comment
