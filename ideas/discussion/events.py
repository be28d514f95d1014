"""The discussion's notification events.

Each says who is told (``recipients``, from what it is about). ``who`` is
the writer's name, or "the team" (translated when read: ``who`` is then empty
and ``as_team`` set) for a member of an anonymous team writing to someone who
may not see the team. Only people who may read the idea's content are sent a
comment's text, and the writer is never told of their own comment.

A new comment (``NewComment``) tells, each person once: the people it
mentions, then the author of the comment it answers, then the idea's team
and followers.
"""

from dataclasses import dataclass
from functools import cached_property

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from horserace.common.permissions import can
from horserace.notifications.events import Event, register, register_area
from ideas.models import Comment, Follow, Idea
from ideas.people import moderators_of, team_of

from .mentions import mentioned_people

register_area("ideas.discussion", _("Discussion"))

_COMMENT = {"comment": 1, "who": "Ada Lovelace", "as_team": False}
_COMMENT |= {"idea": "Solar roofs", "text": "Nice idea!"}


@dataclass(eq=False)
class NewComment:
    """A comment just posted, and the one it answers (a reply's own author is
    told even when the new comment hangs under its top-level comment)."""

    comment: Comment
    answered: Comment | None = None

    @property
    def idea(self) -> Idea:
        return self.comment.idea

    def readers(self, people) -> list:
        """``people`` who may read the idea, once each, but the writer."""
        found = {
            u.pk: u
            for u in people
            if u.is_active
            and u.pk != self.comment.author_id
            and can(u, "ideas.read_content", self.idea)
        }
        return list(found.values())

    @cached_property
    def mentioned(self) -> list:
        return self.readers(mentioned_people(self.comment.body))

    @cached_property
    def replied_to(self) -> list:
        answered = self.answered
        if answered is None or answered.author_id in {u.pk for u in self.mentioned}:
            return []
        return self.readers([answered.author])

    @cached_property
    def others(self) -> list:
        told = {u.pk for u in [*self.mentioned, *self.replied_to]}
        followers = [
            f.user for f in Follow.objects.filter(idea=self.idea).select_related("user")
        ]
        return self.readers(
            [u for u in [*team_of(self.idea), *followers] if u.pk not in told]
        )


class _ByWriter(Event):
    params = ("comment", "who", "as_team", "idea", "text")
    key = ("comment",)
    content = ("text",)
    body = "{text}"

    @classmethod
    def params_for(cls, user, about: NewComment, params):
        """The writer's name, or "the team" to whoever may not see the team."""
        if about.comment.by_team and not can(user, "ideas.see_team", about.idea):
            return {**params, "who": "", "as_team": True}
        return dict(params)

    @classmethod
    def context(cls, params):
        who = gettext("the team") if params["as_team"] else params["who"]
        return {**params, "who": who}


@register
class CommentPosted(_ByWriter):
    """To the idea's team and its followers (not the writer, nor anyone told
    of the comment already)."""

    kind = "ideas.discussion.comment_posted"
    label = _("A comment on your team’s idea or one you follow")
    subject = _("{who} commented on “{idea}”")
    example = _COMMENT

    @classmethod
    def recipients(cls, about: NewComment):
        return about.others


@register
class CommentReplied(_ByWriter):
    """To the author of the comment replied to (unless it mentions them)."""

    kind = "ideas.discussion.comment_replied"
    label = _("A reply to your comment")
    subject = _("{who} replied to your comment on “{idea}”")
    example = _COMMENT

    @classmethod
    def recipients(cls, about: NewComment):
        return about.replied_to


@register
class CommentMentioned(_ByWriter):
    """To each person @mentioned who may read the idea."""

    kind = "ideas.discussion.mentioned"
    label = _("You were mentioned in a comment")
    subject = _("{who} mentioned you on “{idea}”")
    example = _COMMENT

    @classmethod
    def recipients(cls, about: NewComment):
        return about.mentioned


@register
class CommentHidden(Event):
    """To the comment's author; the body is the moderator's reason."""

    kind = "ideas.discussion.comment_hidden"
    label = _("A moderator hid your comment")
    params = ("comment", "idea", "reason")
    key = ("comment",)
    subject = _("A moderator hid your comment on “{idea}”")
    body = "{reason}"
    example = {"comment": 1, "idea": "Solar roofs", "reason": "Off topic."}

    @classmethod
    def recipients(cls, comment: Comment):
        return [comment.author]


@register
class CommentReported(Event):
    """To the moderators of the idea (its racecourse's admins, or HR when it
    has none), the first time a comment is reported."""

    kind = "ideas.discussion.comment_reported"
    label = _("A comment was reported for moderation")
    params = ("comment", "idea")
    key = ("comment",)
    subject = _("A comment on “{idea}” was reported")
    email = False
    example = {"comment": 1, "idea": "Solar roofs"}

    @classmethod
    def recipients(cls, comment: Comment):
        return moderators_of(comment.idea)


@register
class ChallengeIdeaRegistered(Event):
    """To the followers of the idea's challenge who may see the idea (not its
    author): a new idea answers it."""

    kind = "ideas.discussion.challenge_idea"
    label = _("A new idea for a challenge you follow")
    params = ("idea_id", "idea", "challenge")
    key = ("idea_id",)
    subject = _("A new idea answers the challenge “{challenge}”: “{idea}”")
    email = False
    example = {"idea_id": 1, "idea": "Solar roofs", "challenge": "Greener offices"}

    @classmethod
    def recipients(cls, idea: Idea):
        if idea.challenge_id is None:
            return []
        return [
            f.user
            for f in Follow.objects.filter(challenge_id=idea.challenge_id)
            .exclude(user_id=idea.author_id)
            .select_related("user")
            if f.user.is_active and can(f.user, "ideas.view_idea", idea)
        ]
