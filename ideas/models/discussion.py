"""The discussion around an idea: comments and one level of replies, reports
of comments and their moderation, follows of ideas and challenges, and the
daily views that (with comments) mark an idea as trending.

Nothing here is deleted: an author's delete and a moderator's hide only set
a date (and, for a hide, who and why); the text stays for the record.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Comment(models.Model):
    """A comment on an idea, or a reply to one (``parent``: one level only)."""

    MAX_LENGTH = 5000

    # No reverse names on Idea ("+"): the discussion is read through its own
    # selectors, and Idea's field list (quoted by mypy's baseline) stays put.
    idea = models.ForeignKey("ideas.Idea", on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The author was on the team when they wrote it: an anonymous team's
    # member then speaks as "the team" to whoever may not see the team.
    by_team = models.BooleanField(default=False)
    body = models.TextField(_("comment"), max_length=MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    hidden_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["idea", "created_at"])]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return f"comment {self.pk} on idea {self.idea_id}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class CommentReport(models.Model):
    """Someone asks the moderators to look at a comment, and says why."""

    class Resolution(models.TextChoices):
        OPEN = "open", _("open")
        HIDDEN = "hidden", _("comment hidden")
        DISMISSED = "dismissed", _("dismissed")

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"), max_length=1000)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    resolution = models.CharField(
        max_length=10, choices=Resolution.choices, default=Resolution.OPEN
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"], name="comment_report_once"
            )
        ]
        verbose_name = _("comment report")
        verbose_name_plural = _("comment reports")

    def __str__(self) -> str:
        return f"report {self.pk} of comment {self.comment_id}"


class Follow(models.Model):
    """A person follows an idea or a challenge (exactly one of them)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    idea = models.ForeignKey(
        "ideas.Idea",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    challenge = models.ForeignKey(
        "contests.Challenge",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follows",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(idea__isnull=False, challenge__isnull=True)
                | Q(idea__isnull=True, challenge__isnull=False),
                name="follow_one_thing",
            ),
            models.UniqueConstraint(
                fields=["user", "idea"],
                condition=Q(idea__isnull=False),
                name="follow_idea_once",
            ),
            models.UniqueConstraint(
                fields=["user", "challenge"],
                condition=Q(challenge__isnull=False),
                name="follow_challenge_once",
            ),
        ]
        verbose_name = _("follow")
        verbose_name_plural = _("follows")

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.idea_id or self.challenge_id}"


class IdeaView(models.Model):
    """A person looked at an idea's page on a day (one row per person, idea
    and day: enough to tell "many views lately" without a row per hit)."""

    idea = models.ForeignKey("ideas.Idea", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "user", "day"], name="idea_view_once_a_day"
            )
        ]
        indexes = [models.Index(fields=["idea", "day"])]
        verbose_name = _("idea view")
        verbose_name_plural = _("idea views")

    def __str__(self) -> str:
        return f"{self.user_id} viewed {self.idea_id} on {self.day}"
