"""Delivery by preference: an e-mail at once (a Celery task after the
commit, plain text and HTML in the reader's language) or the daily and
weekly digests, each sent once."""

import pytest
from django.core import mail
from django.utils import translation

from horserace.notifications import events, tasks
from horserace.notifications.models import Notification, NotificationPreference
from horserace.notifications.services import (
    digest_send,
    event_send,
    notification_email_send,
    preference_set,
)
from horserace.schedules import SCHEDULE
from ideas.events import TeamInvited, TeamJoinDeclined
from ideas.models import TeamInvitation
from tests.factories import UserFactory

from .sample_events import Murmur, Ping, Weekly

pytestmark = pytest.mark.django_db

INVITED = {"invitation": 1, "who": "Ada", "idea": "Solar roofs", "message": "Join us"}


def _html(message) -> str:
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


def test_defaults_come_from_the_event():
    assert TeamInvited.channel() == "email"  # email=True
    assert TeamJoinDeclined.channel() == "in_app"  # email=False
    assert Weekly.channel() == "weekly"  # default_channel
    assert Ping.get_label() == "Ping sent"  # no label: from the kind
    assert Ping.get_area() == "tests.sample"
    assert Weekly.get_area() == "tests.digests"
    with translation.override("zh-hans"):
        assert Murmur.get_label() == "通知"  # its own (translated) label


def test_a_chinese_reader_gets_the_mail_at_once_in_chinese_with_html(
    django_capture_on_commit_callbacks,
):
    reader = UserFactory(locale="zh-hans")
    mail.outbox.clear()
    with translation.override("en"):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            [note] = event_send(
                TeamInvited,
                about=TeamInvitation(invitee=reader),
                url="/ideas/1/",
                **INVITED,
            )
        assert mail.outbox == [], "nothing is sent inline, before the commit"
        for callback in callbacks:
            callback()  # the task, run eagerly

    [message] = mail.outbox
    assert message.to == [reader.email]
    assert message.subject == "Ada 邀请你加入“Solar roofs”的团队"
    assert "Ada 邀请你加入“Solar roofs”的团队" in message.body
    html = _html(message)
    assert '<html lang="zh-hans">' in html
    assert "Ada 邀请你加入“Solar roofs”的团队" in html
    assert f"/notifications/{note.pk}/open/" in html
    note.refresh_from_db()
    assert note.channel == "email" and note.emailed_at is not None

    # The task again (a retry, a duplicate): nothing more is sent.
    assert tasks.notification_email_task.delay(note.pk).get() is False
    assert len(mail.outbox) == 1


def test_html_mail_escapes_what_people_wrote(django_capture_on_commit_callbacks):
    reader = UserFactory()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event_send(Ping, about=[reader], text="<script>x</script>")
    html = _html(mail.outbox[0])
    assert "<script>x" not in html and "&lt;script&gt;x" in html
    assert mail.outbox[0].subject == "<script>x</script>"  # plain text as is


def test_a_preference_changes_how_the_next_one_arrives(
    django_capture_on_commit_callbacks,
):
    me = UserFactory()
    preference_set(user=me, kind=Ping.kind, channel="in_app")
    preference_set(user=me, kind=Murmur.kind, channel="email")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        [ping] = event_send(Ping, about=[me], text="ping")
        [murmur] = event_send(Murmur, about=[me], text="murmur")
    assert (ping.channel, murmur.channel) == ("in_app", "email")
    assert [m.subject for m in mail.outbox] == ["murmur"]
    # Choosing the default again removes the row.
    preference_set(user=me, kind=Ping.kind, channel="email")
    assert not NotificationPreference.objects.filter(kind=Ping.kind).exists()
    with pytest.raises(events.UnknownEvent):
        preference_set(user=me, kind="no.such.kind", channel="email")
    with pytest.raises(ValueError):
        preference_set(user=me, kind=Ping.kind, channel="loud")


def test_nobody_inactive_is_mailed(django_capture_on_commit_callbacks):
    gone = UserFactory(is_active=False)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        [note] = event_send(Ping, about=[gone], text="hello")
        event_send(Weekly, about=[gone], text="later")
    assert mail.outbox == []
    assert notification_email_send(notification_id=note.pk) is False
    assert digest_send(channel="weekly") == 0
    assert mail.outbox == []


def test_the_daily_digest_groups_by_area_and_is_sent_once(
    django_capture_on_commit_callbacks,
):
    ann, bo = UserFactory(), UserFactory(locale="zh-hans")
    for person in (ann, bo):
        preference_set(user=person, kind=Ping.kind, channel="daily")
        preference_set(user=person, kind=TeamInvited.kind, channel="daily")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event_send(Ping, about=[ann, bo], url="/ideas/9/", text="first ping")
        event_send(Ping, about=[ann], text="second ping")
        for invitee in (ann, bo):  # one invitation, as if to both
            invited = TeamInvitation(invitee=invitee)
            event_send(TeamInvited, about=invited, url="/ideas/1/", **INVITED)
        event_send(Weekly, about=[ann], text="for the week")
        event_send(Murmur, about=[ann], text="in the app")
    assert mail.outbox == [], "digest kinds are not mailed at once"

    assert tasks.notifications_digest_daily.delay().get() == 2

    by_person = {m.to[0]: m for m in mail.outbox}
    assert set(by_person) == {ann.email, bo.email}
    text = by_person[ann.email].body
    assert "3 notifications" in by_person[ann.email].subject
    # Grouped: the team's invitation under "Teams", the pings under their area.
    assert text.index("== Teams ==") < text.index("Ada invites you")
    assert text.index("== Tests sample ==") < text.index("first ping")
    assert text.index("first ping") < text.index("second ping")
    assert "for the week" not in text and "in the app" not in text
    html = _html(by_person[ann.email])
    assert "Teams</h2>" in html and "second ping" in html
    # Bo reads Chinese: the invitation and its area are in Chinese.
    chinese = by_person[bo.email].body
    assert "Ada 邀请你加入“Solar roofs”的团队" in chinese
    assert "second ping" not in chinese

    # Run again (a retry): nothing is sent twice.
    mail.outbox.clear()
    assert tasks.notifications_digest_daily.delay().get() == 0
    assert mail.outbox == []
    # The next one carries only what came since.
    with django_capture_on_commit_callbacks(execute=True):
        event_send(Ping, about=[ann], text="third ping")
    assert digest_send(channel="daily") == 1
    [message] = mail.outbox
    assert "third ping" in message.body and "first ping" not in message.body
    assert "1 notification" in message.subject


def test_the_weekly_digest_takes_only_weekly_ones(django_capture_on_commit_callbacks):
    me = UserFactory()
    preference_set(user=me, kind=Ping.kind, channel="daily")
    with django_capture_on_commit_callbacks(execute=True):
        event_send(Weekly, about=[me], text="weekly one")
        event_send(Weekly, about=[me], text="weekly two")
        event_send(Ping, about=[me], text="daily one")
    mail.outbox.clear()

    assert tasks.notifications_digest_weekly.delay().get() == 1

    [message] = mail.outbox
    assert "weekly" in message.subject.lower()
    assert "weekly one" in message.body and "weekly two" in message.body
    assert "daily one" not in message.body
    assert not Notification.objects.filter(
        channel="weekly", digested_at__isnull=True
    ).exists()
    assert Notification.objects.get(channel="daily").digested_at is None
    assert digest_send(channel="weekly") == 0
    with pytest.raises(ValueError):
        digest_send(channel="email")


def test_the_digests_are_scheduled():
    tasks_scheduled = {entry["task"] for entry in SCHEDULE.values()}
    assert "horserace.notifications.tasks.notifications_digest_daily" in tasks_scheduled
    assert (
        "horserace.notifications.tasks.notifications_digest_weekly" in tasks_scheduled
    )
