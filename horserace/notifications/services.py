"""Writing notifications: named events, one row per recipient, plus an e-mail.

``event_send`` is the one door: every other module sends a registered event
(``events``); a test fails if one writes ``Notification`` rows itself.
"""

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import events
from .models import Notification


@transaction.atomic
def event_send(
    event: type[events.Event] | str,
    *,
    recipients: Iterable,
    url: str = "",
    **params: Any,
) -> list[Notification]:
    """Tell each recipient that ``event`` happened; returns the rows written.

    The rows are written in the caller's transaction (a rolled-back change
    tells nobody) and keyed by the event's kind and identifying params: the
    same occurrence sent again (a retried task) writes no second row and
    mails nobody twice. Mail goes out after the commit, rendered in each
    recipient's language; the row is rendered when it is read.
    """
    kind = event if isinstance(event, str) else event.kind
    declared = events.validate(kind, params)
    key = declared.make_key(params)
    return notification_write(
        kind=kind,
        params=params,
        key=key,
        url=url,
        recipients=recipients,
        email=declared.email,
    )


def notification_write(
    *, kind: str, params: dict, key: str, url: str, recipients: Iterable, email: bool
) -> list[Notification]:
    """The low-level writer, for ``event_send`` only (see the module's doc)."""
    people = {u.pk: u for u in recipients}
    if not people:
        return []
    told = set(
        Notification.objects.filter(key=key, recipient_id__in=people).values_list(
            "recipient_id", flat=True
        )
    )
    made = [
        Notification(recipient=user, kind=kind, params=params, key=key, url=url)
        for pk, user in people.items()
        if pk not in told
    ]
    try:
        with transaction.atomic():
            Notification.objects.bulk_create(made)
    except IntegrityError:
        # A concurrent send of the same occurrence won the race for some of
        # them: keep only the rows this one created.
        made = [
            note
            for note in made
            if Notification.objects.get_or_create(
                recipient=note.recipient,
                key=key,
                defaults={"kind": kind, "params": params, "url": url},
            )[1]
        ]
    if email:
        for note in made:
            transaction.on_commit(partial(_mail, note))
    return made


def _mail(note: Notification) -> None:
    user = note.recipient
    subject, body = note.rendered(user.locale or settings.LANGUAGE_CODE)
    send_mail(
        subject,
        f"{body}\n\n{note.url}".strip(),
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
        fail_silently=True,
    )


def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one notification, or all of the user's, as read."""
    qs = Notification.objects.filter(recipient=user).unread()
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())
