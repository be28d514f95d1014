"""Sending the e-mails the Celery tasks deliver: one notification at once, or
a digest. Each stamps the rows it sends in the transaction that sends them,
so a retried or doubled task sends nothing twice."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from . import delivery, events
from .models import Notification

Channel = events.Channel


def notification_email_send(*, notification_id: int) -> bool:
    """Mail one notification at once, in its reader's language; True if sent.

    Only a notification on the e-mail channel, to an active person, and not
    mailed yet: the row is locked and stamped in the transaction that sends,
    so a retried or doubled task sends nothing twice; if sending fails the
    stamp is rolled back and the task's retry tries again.
    """
    with transaction.atomic():
        note = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, channel=Channel.EMAIL, emailed_at__isnull=True)
            .first()
        )
        if note is None or not note.recipient.is_active or not note.recipient.email:
            return False
        delivery.notification_message(note).send()
        note.emailed_at = timezone.now()
        note.save(update_fields=["emailed_at", "updated_at"])
    return True


def digest_send(*, channel: str) -> int:
    """Send each active person one digest of their notifications on ``channel``
    (daily or weekly) that no digest carried yet; returns how many were sent.

    Per person, the rows are locked, stamped ``digested_at`` and mailed in one
    transaction: a retried or concurrent run finds them stamped (or locked,
    and skips them) and sends nothing twice.
    """
    if channel not in events.DIGESTS:
        raise ValueError(f"{channel!r} is not a digest channel.")
    waiting = (
        Notification.objects.filter(
            channel=channel,
            digested_at__isnull=True,
            recipient__is_active=True,
        )
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by("recipient_id")
    )
    sent = 0
    for user_id in list(waiting):
        sent += _digest_one(user_id=user_id, channel=channel)
    return sent


def _digest_one(*, user_id: int, channel: str) -> int:
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return 0
    with transaction.atomic():
        notes = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(recipient=user, channel=channel, digested_at__isnull=True)
            .order_by("created_at", "pk")
        )
        if not notes:
            return 0
        now = timezone.now()
        Notification.objects.filter(pk__in=[n.pk for n in notes]).update(
            digested_at=now, updated_at=now
        )
        delivery.digest_message(user=user, notes=notes, channel=channel).send()
    return 1
