"""The inbox, opening a notification, mark all read, the bell and the
preferences page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from horserace.notifications.models import Notification, NotificationPreference
from horserace.notifications.services import event_send
from tests.factories import UserFactory

from .sample_events import Murmur, Ping

pytestmark = pytest.mark.django_db


def _send(user, text, url=""):
    [note] = event_send(Murmur, about=[user], url=url, text=text)
    return note


def _badge(client) -> str:
    """The bell's count as the page shows it ("" when there is none)."""
    page = client.get(reverse("notifications:list")).content.decode()
    if 'id="bell-count"' not in page:
        return ""
    return page.split('id="bell-count">', 1)[1].split("<", 1)[0]


def test_opening_a_notification_marks_it_read_and_follows_its_link(client):
    """The bug of the badge that stayed at 12: the link now goes through
    ``open``, which marks the notification read before following it."""
    me = UserFactory()
    notes = [_send(me, f"n{i}", url=f"/ideas/{i}/") for i in range(12)]
    client.force_login(me)
    assert _badge(client) == "12"

    response = client.get(reverse("notifications:open", args=[notes[3].pk]))

    assert response.status_code == 302
    assert response["Location"] == "/ideas/3/"
    assert Notification.objects.get(pk=notes[3].pk).read_at is not None
    assert _badge(client) == "11"
    # Every item of the inbox links through ``open``.
    page = client.get(reverse("notifications:list")).content.decode()
    assert reverse("notifications:open", args=[notes[0].pk]) in page
    assert 'href="/ideas/0/"' not in page


def test_opening_anothers_notification_is_a_404_and_changes_nothing(client):
    me, other = UserFactory(), UserFactory()
    theirs = _send(other, "theirs", url="/ideas/1/")
    client.force_login(me)
    response = client.get(reverse("notifications:open", args=[theirs.pk]))
    assert response.status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert client.get("/notifications/99999999999/open/").status_code == 404


@pytest.mark.parametrize(
    "stored",
    [
        "https://evil.example.com/",
        "//evil.example.com/path",
        "/\\evil.example.com",
        "javascript:alert(1)",
        "ideas/1/",
        "",
    ],
)
def test_open_never_redirects_off_the_site(client, stored):
    """A stored link that is not a path on this site leads to the inbox."""
    me = UserFactory()
    note = _send(me, "x", url=stored)
    client.force_login(me)
    response = client.get(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:list")
    assert Notification.objects.get(pk=note.pk).read_at is not None


def test_open_needs_a_login(client):
    note = _send(UserFactory(), "x", url="/ideas/1/")
    response = client.get(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert Notification.objects.get(pk=note.pk).read_at is None


def test_mark_all_read_marks_only_mine_and_returns_safely(client):
    me, other = UserFactory(), UserFactory()
    for i in range(3):
        _send(me, f"mine {i}")
    theirs = _send(other, "theirs")
    client.force_login(me)

    response = client.post(
        reverse("notifications:read"), {"next": "https://evil.example.com/"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:list")
    assert not Notification.objects.filter(recipient=me).unread().exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert _badge(client) == ""
    # GET does not mark anything.
    _send(me, "new")
    assert client.get(reverse("notifications:read")).status_code == 405
    assert Notification.objects.filter(recipient=me).unread().count() == 1


def test_the_inbox_filters_unread_highlights_them_and_pages(client):
    me = UserFactory()
    notes = [_send(me, f"subject-{i:02d}") for i in range(25)]
    Notification.objects.filter(pk=notes[0].pk).update(read_at=notes[0].created_at)
    client.force_login(me)

    everything = client.get(reverse("notifications:list")).content.decode()
    second = client.get(reverse("notifications:list") + "?page=2").content.decode()
    assert everything.count("list-group-item-unread") == 20  # a page of 20
    assert "subject-24" in everything and "subject-00" not in everything
    assert "subject-00" in second
    assert "Page 2 of 2" in second

    unread = client.get(reverse("notifications:list") + "?filter=unread")
    text = unread.content.decode()
    assert "subject-00" not in text
    assert "filter=unread&amp;page=2" in text
    only_unread = client.get(reverse("notifications:list") + "?filter=unread&page=2")
    assert "subject-01" in only_unread.content.decode()
    # A page that is not there is the last one, not an error.
    assert client.get(reverse("notifications:list") + "?page=abc").status_code == 200


def test_the_unread_count_costs_one_query_per_page(client):
    """The bell's count is read several times on a page (badge, menu, the
    inbox's own button and tab) but counted once."""
    me = UserFactory()
    for i in range(3):
        _send(me, f"n{i}")
    client.force_login(me)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("notifications:list"))
    counts = [
        q["sql"]
        for q in queries.captured_queries
        if "COUNT(" in q["sql"].upper()
        and "notifications_notification" in q["sql"]
        and "read_at" in q["sql"]  # not the paginator's count of all
    ]
    assert page.content.decode().count(">3<") >= 1
    assert len(counts) == 1, counts


def test_a_page_without_the_bell_does_not_count(client, rf):
    """The count is lazy: nothing is counted unless a template reads it."""
    from horserace.notifications.context_processors import notifications

    me = UserFactory()
    request = rf.get("/")
    request.user = me
    with CaptureQueriesContext(connection) as queries:
        context = notifications(request)
    assert queries.captured_queries == []
    _send(me, "x")
    with CaptureQueriesContext(connection) as queries:
        assert context["unread_notifications"] == 1
        assert str(context["unread_notifications"]) == "1"
    assert len(queries.captured_queries) == 1


def test_the_bell_preview_shows_my_latest_five(client):
    me, other = UserFactory(), UserFactory()
    for i in range(7):
        _send(me, f"latest-{i}")
    _send(other, "not-mine")
    client.force_login(me)
    text = client.get(reverse("notifications:preview")).content.decode()
    assert [f"latest-{i}" in text for i in range(7)] == [False] * 2 + [True] * 5
    assert "not-mine" not in text
    # The menu itself is in every page's bell, with "See all" and "Mark all read".
    page = client.get(reverse("home")).content.decode()
    assert reverse("notifications:preview") in page
    assert "See all" in page and "Mark all read" in page


def test_the_preferences_page_lists_every_kind_grouped_with_labels(client):
    me = UserFactory()
    client.force_login(me)
    text = client.get(reverse("notifications:preferences")).content.decode()
    # A declared event with a known label, under its area.
    assert "An invitation to join a team" in text
    assert text.index(">Teams<") < text.index("An invitation to join a team")
    # Events with no label: one made from the kind; with one: theirs.
    assert "Ping sent" in text
    assert 'name="kind:tests.other.murmur"' in text
    assert 'name="kind:ideas.team.invited"' in text
    # It is linked from the user menu's preferences.
    prefs = client.get(reverse("accounts:preferences")).content.decode()
    assert reverse("notifications:preferences") in prefs


def test_the_preferences_page_saves_a_choice_and_ignores_nonsense(client):
    me = UserFactory()
    client.force_login(me)
    response = client.post(
        reverse("notifications:preferences"),
        {
            "kind:ideas.team.invited": "daily",
            "kind:tests.sample.ping_sent": "email",  # its default: no row
            "kind:no.such.kind": "daily",
            "kind:tests.other.murmur": "loud",
        },
    )
    assert response.status_code == 302
    rows = set(NotificationPreference.objects.values_list("user", "kind", "channel"))
    assert rows == {(me.pk, "ideas.team.invited", "daily")}
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert 'value="daily" selected' in page.split('name="kind:ideas.team.invited"')[1]


def test_the_shortcut_sends_every_mailed_kind_to_the_digest(client):
    me = UserFactory()
    client.force_login(me)
    client.post(
        reverse("notifications:preferences"),
        {"apply_all": "1", "all_channel": "weekly"},
    )
    chosen = dict(
        NotificationPreference.objects.filter(user=me).values_list("kind", "channel")
    )
    assert chosen["ideas.team.invited"] == "weekly"  # mailed by default
    assert chosen[Ping.kind] == "weekly"
    assert Murmur.kind not in chosen  # kept in the app
    assert "ideas.team.join_declined" not in chosen  # in the app by default
    bad = client.post(
        reverse("notifications:preferences"), {"apply_all": "1", "all_channel": "x"}
    )
    assert bad.status_code == 302
    assert NotificationPreference.objects.filter(user=me).count() == len(chosen)
