"""Writing notifications: one row per recipient, plus an e-mail."""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation

from .models import Notification


@transaction.atomic
def notification_send(
    *, recipients: Iterable, subject: str, body: str = "", url: str = "", email=True
) -> list[Notification]:
    """Notify each recipient in the app and, unless ``email`` is false, by mail.

    ``subject`` and ``body`` may be lazy translations: each recipient gets them
    in their own language. Mail goes out after the transaction commits, so a
    rolled-back change never mails anyone.
    """
    made = []
    for user in {u.pk: u for u in recipients}.values():
        with translation.override(user.locale or settings.LANGUAGE_CODE):
            made.append(
                Notification(
                    recipient=user, subject=str(subject), body=str(body), url=url
                )
            )
    Notification.objects.bulk_create(made)
    if email:
        for note in made:
            address = note.recipient.email
            transaction.on_commit(
                lambda n=note, a=address: send_mail(
                    n.subject,
                    f"{n.body}\n\n{n.url}".strip(),
                    settings.DEFAULT_FROM_EMAIL,
                    [a],
                    fail_silently=True,
                )
            )
    return made


def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one notification, or all of the user's, as read."""
    qs = Notification.objects.filter(recipient=user).unread()
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())
