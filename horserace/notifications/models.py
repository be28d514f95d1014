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
    # How the recipient chose to hear of this kind when it was sent; later
    # changes of mind apply to later notifications.
    channel = models.CharField(
        _("channel"),
        max_length=10,
        choices=events.Channel.choices,
        default=events.Channel.IN_APP,
    )
    # Set once the e-mail (at once) or the digest that carried it went out:
    # a retried task finds it set and sends nothing again.
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    digested_at = models.DateTimeField(_("digested at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(
                fields=["channel", "recipient"],
                condition=models.Q(digested_at__isnull=True),
                name="notification_undigested",
            ),
        ]
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
    def event(self) -> type[events.Event] | None:
        try:
            return events.get(self.kind) if self.kind else None
        except LookupError:
            return None

    @property
    def area(self) -> str:
        """The preferences page's group of its kind (digests group by it)."""
        event = self.event
        return event.get_area() if event is not None else ""

    @property
    def subject(self) -> str:
        """The subject in the active language: the reader's, on their pages."""
        return self.rendered()[0]

    @property
    def body(self) -> str:
        return self.rendered()[1]


class NotificationPreference(TimeStampedModel):
    """How one person receives one kind of notification (no row: the
    event's default). The inbox always has it; this adds e-mail."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=100)
    channel = models.CharField(
        _("channel"), max_length=10, choices=events.Channel.choices
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="notification_preference_one_per_kind"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.kind}: {self.channel}"
