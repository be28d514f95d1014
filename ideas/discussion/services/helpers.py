"""Shared by the discussion's services: checks and the notification split."""

from django.core.exceptions import ValidationError

from horserace.common.permissions import can
from horserace.notifications.events import Event
from horserace.notifications.services import event_send
from ideas.models import Comment, Idea


def field_error(field: str, message, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def comment_url(comment: Comment) -> str:
    return f"{comment.idea.get_absolute_url()}#comment-{comment.pk}"


def tell(event: type[Event], people, comment: Comment, idea: Idea) -> set[int]:
    """Send ``event`` about ``comment`` to ``people`` who may read the idea.

    A comment an anonymous team's member wrote for the team names "the team"
    to whoever may not see the team (``ideas.see_team``); the writer is never
    told of their own comment. Returns the ids of those told.
    """
    readers = {
        u.pk: u
        for u in people
        if u.is_active
        and u.pk != comment.author_id
        and can(u, "ideas.read_content", idea)
    }
    named, masked = [], []
    for user in readers.values():
        if comment.by_team and not can(user, "ideas.see_team", idea):
            masked.append(user)
        else:
            named.append(user)
    params = {"comment": comment.pk, "idea": idea.title, "text": comment.body}
    url = comment_url(comment)
    if named:
        event_send(
            event,
            recipients=named,
            url=url,
            who=str(comment.author),
            as_team=False,
            **params,
        )
    if masked:
        event_send(event, recipients=masked, url=url, who="", as_team=True, **params)
    return set(readers)
