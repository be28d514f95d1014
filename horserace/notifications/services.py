"""Writing notifications: named events, one row per recipient, then delivery.

``event_send`` is the one door: every other module sends a registered event
(``events``); a test fails if one writes ``Notification`` rows itself.

Delivery follows each recipient's preference for the kind
(``NotificationPreference``, else the event's default channel): the inbox
always, plus an e-mail at once (a Celery task after the commit) or a place in
the daily or weekly digest (``digest_send``, run by the schedule).
"""

import json
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import events
from .models import Notification, NotificationPreference
from .selectors import preference_list
from .sending import digest_send, notification_email_send
from .tasks import notification_email_task

__all__ = [
    "digest_send",
    "event_send",
    "notification_email_send",
    "notification_mark_read",
    "preference_set",
    "preferences_set",
    "preferences_set_all",
]

Channel = events.Channel


@transaction.atomic
def event_send(
    event: type[events.Event] | str,
    *,
    about: Any,
    url: str = "",
    **params: Any,
) -> list[Notification]:
    """Tell whoever ``event`` is for that it happened to ``about``; returns
    the rows written.

    The event chooses the people from ``about`` (``Event.recipients``) and
    what each is sent (``Event.params_for``: an idea's content blanked for
    whoever may not read it). The rows are written in the caller's
    transaction (a rolled-back change tells nobody) and keyed by the event's
    kind and identifying params: the same occurrence sent again (a retried
    task) writes no second row and mails nobody twice. Mail goes out after
    the commit, rendered in each recipient's language; the row is rendered
    when it is read.
    """
    kind = event if isinstance(event, str) else event.kind
    declared = events.validate(kind, params)
    key = declared.make_key(params)
    people = {u.pk: u for u in declared.recipients(about)}
    # One write per distinct version of the params (most events: one).
    groups: dict[str, tuple[dict, list]] = {}
    for user in people.values():
        own = declared.params_for(user, about, params)
        group = groups.setdefault(json.dumps(own, sort_keys=True), (own, []))
        group[1].append(user)
    made: list[Notification] = []
    for own, recipients in groups.values():
        made += notification_write(
            kind=kind,
            params=own,
            key=key,
            url=url,
            recipients=recipients,
            default_channel=declared.channel(),
        )
    return made


def notification_write(
    *,
    kind: str,
    params: dict,
    key: str,
    url: str,
    recipients: Iterable,
    default_channel: str,
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
    chosen = dict(
        NotificationPreference.objects.filter(
            kind=kind, user_id__in=people
        ).values_list("user_id", "channel")
    )
    made = [
        Notification(
            recipient=user,
            kind=kind,
            params=params,
            key=key,
            url=url,
            channel=chosen.get(pk, default_channel),
        )
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
                defaults={
                    "kind": kind,
                    "params": params,
                    "url": url,
                    "channel": note.channel,
                },
            )[1]
        ]
    for note in made:
        if note.channel == Channel.EMAIL and note.recipient.is_active:
            # robust: a broker that is down is logged, not a 500 after the
            # change has committed (the row is in the inbox all the same).
            transaction.on_commit(partial(_queue_email, note.pk), robust=True)
    return made


def _queue_email(notification_id: int) -> None:
    notification_email_task.delay(notification_id)


def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one notification, or all of the user's, as read."""
    qs = Notification.objects.filter(recipient=user).unread()
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())


def preference_set(*, user, kind: str, channel: str) -> str:
    """Choose how ``user`` receives ``kind``; returns the channel now in force.

    Choosing the event's default removes the row, so the person follows the
    default if it changes. Raises ``UnknownEvent`` or ``ValueError``.
    """
    default = events.get(kind).channel()
    channel = Channel(channel).value
    if channel == default:
        NotificationPreference.objects.filter(user=user, kind=kind).delete()
    else:
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"channel": channel}
        )
    return channel


@transaction.atomic
def preferences_set(*, user, choices: dict[str, str], reset_others: bool = False):
    """Set several kinds at once (``kind -> channel``), all or none.

    ``reset_others`` puts every kind not in ``choices`` back to its default
    (a full replacement, the API's PUT).
    """
    for kind, channel in choices.items():
        preference_set(user=user, kind=kind, channel=channel)
    if reset_others:
        NotificationPreference.objects.filter(user=user).exclude(
            kind__in=list(choices)
        ).delete()


@transaction.atomic
def preferences_set_all(*, user, channel: str, emailed_only: bool = True) -> int:
    """The shortcut: every kind (by default only those that e-mail, by choice
    or by default) to ``channel``, e.g. "everything as a daily digest"."""
    changed = 0
    for row in preference_list(user=user):
        if emailed_only and row["channel"] == Channel.IN_APP:
            continue
        if row["channel"] != channel:
            preference_set(user=user, kind=row["kind"], channel=channel)
            changed += 1
    return changed
