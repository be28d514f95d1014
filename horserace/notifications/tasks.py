"""Delivery by Celery: an e-mail at once after the commit, and the digests.

Each task is idempotent: the rows it delivers are stamped in the transaction
that sends them (``sending``), so a retry sends nothing twice.
"""

from smtplib import SMTPException

from celery import shared_task

from . import events, sending


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def notification_email_task(notification_id: int) -> bool:
    """Mail one notification whose reader chose "e-mail at once"."""
    return sending.notification_email_send(notification_id=notification_id)


@shared_task
def notifications_digest_daily() -> int:
    """Each reader's daily digest (declared in ``horserace/schedules.py``)."""
    return sending.digest_send(channel=events.Channel.DAILY)


@shared_task
def notifications_digest_weekly() -> int:
    """Each reader's weekly digest (declared in ``horserace/schedules.py``)."""
    return sending.digest_send(channel=events.Channel.WEEKLY)
