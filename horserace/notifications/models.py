"""In-app notifications (a small model: django-notifications-hq does not
migrate on Django 5.2).

A row is a named event (``kind`` and its JSON ``params``, see ``events``),
rendered in the reader's language when it is read. Rows written before events
have no kind and keep the subject and body they were saved with.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from horserace.common.models import TimeStampedModel

from . import events


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(TimeStampedModel):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=100, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # The event's kind and identifying params: one row per recipient and key.
    key = models.CharField(_("key"), max_length=255, blank=True, default="")
    # Only rows written before events (no kind) use these two: their text
    # was saved in the recipient's language when they were sent.
    stored_subject = models.CharField(
        _("subject"), max_length=255, blank=True, db_column="subject"
    )
    stored_body = models.TextField(_("body"), blank=True, db_column="body")
    url = models.CharField(_("link"), max_length=500, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~models.Q(key=""),
                name="notification_one_per_recipient_and_key",
            )
        ]

    def __str__(self):
        return self.rendered()[0]

    def rendered(self, language: str | None = None) -> tuple[str, str]:
        """``(subject, body)`` in ``language``, by default the active one.

        A row of a kind no longer declared (or whose params no longer fit)
        falls back to what it stored, so the list page never breaks.
        """
        if self.kind:
            try:
                return events.get(self.kind).render(self.params, language)
            except (LookupError, ValueError, TypeError):
                pass
        return self.stored_subject, self.stored_body

    @property
    def subject(self) -> str:
        """The subject in the active language: the reader's, on their pages."""
        return self.rendered()[0]

    @property
    def body(self) -> str:
        return self.rendered()[1]
