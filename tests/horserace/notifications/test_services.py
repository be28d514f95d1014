"""Notifications: named events, one row per recipient and key, rendered in the
reader's language, e-mail only once the change commits."""

import pytest
from django.core import mail
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from horserace.notifications import events
from horserace.notifications.events import EventParamsError, ToPeople, UnknownEvent
from horserace.notifications.models import Notification
from horserace.notifications.services import event_send, notification_mark_read
from ideas.events import TeamInvited
from ideas.models import TeamInvitation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@events.register
class Hello(ToPeople):
    """A test event (every send is new)."""

    kind = "tests.notifications.hello"
    params = ("text", "note")
    subject = "{text}"
    body = "{note}"
    example = {"text": "Hello", "note": ""}


@events.register
class Quiet(ToPeople):
    """A test event that is not mailed."""

    kind = "tests.notifications.quiet"
    params = ("text",)
    subject = "{text}"
    email = False
    example = {"text": "Quiet"}


@events.register
class Keyed(ToPeople):
    """A test event identified by ``thing``; its subject is translated."""

    kind = "tests.notifications.keyed"
    params = ("thing",)
    key = ("thing",)
    subject = _("Notifications")
    example = {"thing": 1}


def test_one_row_per_recipient_and_mail_after_commit(
    django_capture_on_commit_callbacks,
):
    """Rows are written at once; mail waits for the commit."""
    ann, bo = UserFactory(), UserFactory()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notes = event_send(
            Hello,
            about=[ann, bo, ann],
            url="/ideas/1/",
            text="Your idea moved",
            note="It is in screening.",
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
    note = Notification.objects.get(recipient__email=message.to[0])
    assert message.body.startswith("Your idea moved\n\nIt is in screening.\n")
    assert f"https://example.com/notifications/{note.pk}/open/" in message.body


def test_the_row_stores_the_kind_and_params_not_the_text():
    user = UserFactory()
    [note] = event_send(Hello, about=[user], text="Hi", note="there")
    note = Notification.objects.get(pk=note.pk)
    assert (note.kind, note.params) == (Hello.kind, {"text": "Hi", "note": "there"})
    assert (note.stored_subject, note.stored_body) == ("", "")
    assert (note.subject, note.body) == ("Hi", "there")


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
            event_send(Hello, about=[user], text="Never", note="")
            raise Boom

    assert callbacks == []
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_in_app_only_sends_no_mail(django_capture_on_commit_callbacks):
    """An event declared ``email = False`` writes the row and queues no mail."""
    user = UserFactory()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        event_send(Quiet, about=[user], text="Quiet")
    assert callbacks == []
    assert mail.outbox == []
    assert Notification.objects.get().subject == "Quiet"


def test_mail_without_body_or_link_is_the_subject_and_the_footer(
    django_capture_on_commit_callbacks,
):
    """An empty body and link leave no "Open it" line and no stray blank lines."""
    user = UserFactory()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event_send(Hello, about=[user], text="Hello", note="")
    body = mail.outbox[0].body
    assert body.startswith("Hello\n\n--\n")
    assert "Open it" not in body and "\n\n\n" not in body


def test_each_recipient_is_mailed_in_their_own_language(
    django_capture_on_commit_callbacks,
):
    """E-mails are rendered at send time in each recipient's language."""
    english = UserFactory(locale="en")
    chinese = UserFactory(locale="zh-hans")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event_send(Keyed, about=[english, chinese], thing=7)
    by_address = {m.to[0]: m.subject for m in mail.outbox}
    assert by_address == {english.email: "Notifications", chinese.email: "通知"}


def test_a_retried_send_writes_no_second_row_and_no_second_mail(
    django_capture_on_commit_callbacks,
):
    """The same occurrence (same key) sent again is a no-op, even to a list
    that grew: only the newcomer is told."""
    ann, bo = UserFactory(), UserFactory()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = event_send(Keyed, about=[ann], thing=7)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = event_send(Keyed, about=[ann], thing=7)
    assert len(first) == 1 and again == [] and callbacks == []
    assert Notification.objects.filter(recipient=ann).count() == 1
    assert [m.to for m in mail.outbox] == [[ann.email]]

    with django_capture_on_commit_callbacks(execute=True):
        grown = event_send(Keyed, about=[ann, bo], thing=7)
    assert [n.recipient for n in grown] == [bo]
    assert [m.to for m in mail.outbox] == [[ann.email], [bo.email]]
    # Another occurrence of the same kind is a new notification.
    assert len(event_send(Keyed, about=[ann], thing=8)) == 1


def test_the_unique_key_holds_in_the_database():
    """Two rows of one key for one recipient are refused by the table itself."""
    from django.db import IntegrityError

    user = UserFactory()
    event_send(Keyed, about=[user], thing=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            recipient=user,
            kind=Keyed.kind,
            params={"thing": 1},
            key="tests.notifications.keyed:1",
        )


def test_the_registry_rejects_an_unknown_kind():
    user = UserFactory()
    with pytest.raises(UnknownEvent):
        event_send("tests.notifications.nobody_declared", about=[user])
    with pytest.raises(UnknownEvent):
        events.get("nope")
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    "params",
    [
        {"text": "Hi"},  # missing
        {"text": "Hi", "note": "", "extra": 1},  # unknown
        {"text": _("Notifications"), "note": ""},  # lazy: not plain JSON
        {"text": UserFactory.build, "note": ""},  # anything else
    ],
)
def test_the_registry_rejects_missing_unknown_or_impure_params(params):
    with pytest.raises(EventParamsError):
        event_send(Hello, about=[UserFactory()], **params)
    assert not Notification.objects.exists()


def test_an_event_kind_is_registered_once():
    class Copy(ToPeople):
        kind = Hello.kind
        params = ("text", "note")

    with pytest.raises(ValueError):
        events.register(Copy)
    assert events.get(Hello.kind) is Hello


def test_a_row_of_a_kind_no_longer_declared_shows_what_it_stored():
    """Rows written before events (no kind), or of a kind since removed,
    render their stored subject and body."""
    user = UserFactory()
    old = Notification.objects.create(
        recipient=user, stored_subject="Old subject", stored_body="Old body"
    )
    gone = Notification.objects.create(
        recipient=user, kind="tests.gone", params={}, stored_subject="Gone"
    )
    assert (old.subject, old.body) == ("Old subject", "Old body")
    assert gone.subject == "Gone"


def test_a_chinese_reader_reads_chinese_whatever_the_senders_language(client):
    """An English-speaking actor's invitation reaches a zh-hans reader in
    Chinese, rendered when read; the same row follows the reader's language."""
    from django.utils import translation

    with translation.override("en"):
        [note] = event_send(
            TeamInvited,
            about=TeamInvitation(invitee=(reader := UserFactory(locale="zh-hans"))),
            invitation=1,
            who="Ada",
            idea="Solar roofs",
            message="Join us",
        )
    client.force_login(reader)
    page = client.get("/notifications/").content.decode()
    assert "Ada 邀请你加入“Solar roofs”的团队" in page
    assert "invites you" not in page

    reader.locale = "en"
    reader.save(update_fields=["locale"])
    page = client.get("/notifications/").content.decode()
    assert "Ada invites you to join the team of “Solar roofs”" in page
    assert Notification.objects.get(pk=note.pk).rendered("zh-hans")[0] == (
        "Ada 邀请你加入“Solar roofs”的团队"
    )


def test_no_recipients_is_harmless():
    """Notifying nobody writes nothing."""
    assert event_send(Hello, about=[], text="Nobody", note="") == []
    assert not Notification.objects.exists()


def test_mark_one_or_all_read():
    """A user marks one notification or all of their own as read."""
    me, other = UserFactory(), UserFactory()
    first, second, third = (
        event_send(Quiet, about=[me], text="1")
        + event_send(Quiet, about=[me], text="2")
        + event_send(Quiet, about=[me], text="3")
    )
    [theirs] = event_send(Quiet, about=[other], text="x")

    assert notification_mark_read(user=me, notification_id=first.pk) == 1
    assert set(Notification.objects.filter(recipient=me).unread()) == {second, third}
    assert notification_mark_read(user=me, notification_id=first.pk) == 0
    assert notification_mark_read(user=me, notification_id=theirs.pk) == 0
    assert notification_mark_read(user=me) == 2
    assert not Notification.objects.filter(recipient=me).unread().exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None
