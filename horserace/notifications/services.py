"""Writing notifications: one row per recipient, plus an e-mail."""

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation

from .models import Notification

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@transaction.atomic
def notification_send(
    *,
    recipients: Iterable,
    subject: "StrOrPromise",
    body: "StrOrPromise" = "",
    url: str = "",
    email=True,
) -> list[Notification]:
    """Notify each recipient in the app and, unless ``email`` is false, by mail.

    ``subject`` and ``body`` may be lazy translations: each recipient gets them
    in their own language. Mail goes out after the transaction commits, so a
    rolled-back change never mails anyone.
    """
    made: list[Notification] = []
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
            transaction.on_commit(partial(_mail, note, address))
    return made


def _mail(note: Notification, address: str) -> None:
    send_mail(
        note.subject,
        f"{note.body}\n\n{note.url}".strip(),
        settings.DEFAULT_FROM_EMAIL,
        [address],
        fail_silently=True,
    )


def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one notification, or all of the user's, as read."""
    qs = Notification.objects.filter(recipient=user).unread()
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())
