"""Notifications: one row per recipient now, e-mail only once the change commits."""

import pytest
from django.core import mail
from django.db import transaction

from horserace.notifications.models import Notification
from horserace.notifications.services import notification_mark_read, notification_send
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class _LanguageOfTheMoment:
    """A stand-in for a lazy translation: it renders as the active language."""

    def __str__(self):
        from django.utils import translation

        return translation.get_language()


def test_one_row_per_recipient_and_mail_after_commit(
    django_capture_on_commit_callbacks,
):
    """Rows are written at once; mail waits for the commit."""
    ann, bo = UserFactory(), UserFactory()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notes = notification_send(
            recipients=[ann, bo, ann],
            subject="Your idea moved",
            body="It is in screening.",
            url="/ideas/1/",
        )

    assert {n.recipient for n in notes} == {ann, bo}, "duplicates are dropped"
    assert Notification.objects.count() == 2
    assert mail.outbox == [], "no mail before commit"
    assert len(callbacks) == 2

    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([ann.email, bo.email])
    message = mail.outbox[0]
    assert message.subject == "Your idea moved"
    assert message.body == "It is in screening.\n\n/ideas/1/"


def test_rolled_back_change_leaves_no_row_and_sends_no_mail(
    django_capture_on_commit_callbacks,
):
    """If the surrounding transaction fails, nobody is notified at all."""
    user = UserFactory()
    mail.outbox.clear()

    class Boom(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Boom), transaction.atomic():
            notification_send(recipients=[user], subject="Never")
            raise Boom

    assert callbacks == []
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_in_app_only_sends_no_mail(django_capture_on_commit_callbacks):
    """``email=False`` writes the row and queues no mail."""
    user = UserFactory()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification_send(recipients=[user], subject="Quiet", email=False)
    assert callbacks == []
    assert mail.outbox == []
    assert Notification.objects.get().subject == "Quiet"


def test_mail_without_body_or_link_is_just_the_subject(
    django_capture_on_commit_callbacks,
):
    """An empty body and link make an empty mail body, not stray blank lines."""
    user = UserFactory()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipients=[user], subject="Hello")
    assert mail.outbox[0].body == ""


def test_each_recipient_gets_their_own_language():
    """Lazy subjects are rendered in each recipient's language."""
    english = UserFactory(locale="en")
    chinese = UserFactory(locale="zh-hans")
    notes = notification_send(
        recipients=[english, chinese],
        subject=_LanguageOfTheMoment(),
        body=_LanguageOfTheMoment(),
        email=False,
    )
    by_user = {n.recipient: (n.subject, n.body) for n in notes}
    assert by_user[english] == ("en", "en")
    assert by_user[chinese] == ("zh-hans", "zh-hans")


def test_no_recipients_is_harmless():
    """Notifying nobody writes nothing."""
    assert notification_send(recipients=[], subject="Nobody") == []
    assert not Notification.objects.exists()


def test_mark_one_or_all_read():
    """A user marks one notification or all of their own as read."""
    me, other = UserFactory(), UserFactory()
    first, second, third = (
        notification_send(recipients=[me], subject="1", email=False)
        + notification_send(recipients=[me], subject="2", email=False)
        + (notification_send(recipients=[me], subject="3", email=False))
    )
    [theirs] = notification_send(recipients=[other], subject="x", email=False)

    assert notification_mark_read(user=me, notification_id=first.pk) == 1
    assert set(Notification.objects.filter(recipient=me).unread()) == {second, third}
    assert notification_mark_read(user=me, notification_id=first.pk) == 0
    assert notification_mark_read(user=me, notification_id=theirs.pk) == 0
    assert notification_mark_read(user=me) == 2
    assert not Notification.objects.filter(recipient=me).unread().exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None
