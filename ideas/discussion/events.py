"""The discussion's notification events.

Each says in its docstring who is told. ``who`` is the writer's name, or
"the team" (translated when read: ``who`` is then empty and ``as_team`` set)
for a member of an anonymous team writing to someone who may not see the
team. Only people who may read the idea's content are sent a comment's text.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from horserace.notifications.events import Event, register

_COMMENT = {"comment": 1, "who": "Ada Lovelace", "as_team": False}
_COMMENT |= {"idea": "Solar roofs", "text": "Nice idea!"}


class _ByWriter(Event):
    params = ("comment", "who", "as_team", "idea", "text")
    key = ("comment",)
    content = ("text",)
    body = "{text}"

    @classmethod
    def context(cls, params):
        who = gettext("the team") if params["as_team"] else params["who"]
        return {**params, "who": who}


@register
class CommentPosted(_ByWriter):
    """To the idea's team and its followers (not the writer)."""

    kind = "ideas.discussion.comment_posted"
    subject = _("{who} commented on “{idea}”")
    example = _COMMENT


@register
class CommentReplied(_ByWriter):
    """To the author of the comment replied to."""

    kind = "ideas.discussion.comment_replied"
    subject = _("{who} replied to your comment on “{idea}”")
    example = _COMMENT


@register
class CommentMentioned(_ByWriter):
    """To each person @mentioned who may read the idea."""

    kind = "ideas.discussion.mentioned"
    subject = _("{who} mentioned you on “{idea}”")
    example = _COMMENT


@register
class CommentHidden(Event):
    """To the comment's author; the body is the moderator's reason."""

    kind = "ideas.discussion.comment_hidden"
    params = ("comment", "idea", "reason")
    key = ("comment",)
    subject = _("A moderator hid your comment on “{idea}”")
    body = "{reason}"
    example = {"comment": 1, "idea": "Solar roofs", "reason": "Off topic."}


@register
class CommentReported(Event):
    """To the moderators of the idea (its racecourse's admins, or HR when it
    has none), the first time a comment is reported."""

    kind = "ideas.discussion.comment_reported"
    params = ("comment", "idea")
    key = ("comment",)
    subject = _("A comment on “{idea}” was reported")
    email = False
    example = {"comment": 1, "idea": "Solar roofs"}


@register
class ChallengeIdeaRegistered(Event):
    """To the followers of a challenge who may see the idea: a new idea
    answers it."""

    kind = "ideas.discussion.challenge_idea"
    params = ("idea_id", "idea", "challenge")
    key = ("idea_id",)
    subject = _("A new idea answers the challenge “{challenge}”: “{idea}”")
    email = False
    example = {"idea_id": 1, "idea": "Solar roofs", "challenge": "Greener offices"}
