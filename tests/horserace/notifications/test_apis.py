"""The notifications API: only your own, paged, marked read, preferences."""

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from horserace.notifications.models import Notification, NotificationPreference
from horserace.notifications.services import event_send
from tests.factories import UserFactory

from .sample_events import Murmur, Ping

pytestmark = pytest.mark.django_db

BASE = "/api/v1/notifications/"


def _client(user) -> APIClient:
    """Signed in with an API token, as an integration is."""
    client = APIClient()
    _, token = AuthToken.objects.create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def _send(user, text, url=""):
    [note] = event_send(Murmur, about=[user], url=url, text=text)
    return note


def test_the_list_is_mine_paged_and_filters_unread():
    me, other = UserFactory(), UserFactory()
    notes = [_send(me, f"n{i}", url="/ideas/1/") for i in range(30)]
    _send(other, "theirs")
    Notification.objects.filter(pk=notes[0].pk).update(read_at=notes[0].created_at)
    api = _client(me)

    first = api.get(BASE).json()
    assert first["count"] == 30
    assert len(first["results"]) == 25
    row = first["results"][0]
    assert row["subject"] == "n29" and row["unread"] is True
    assert row["url"] == "/ideas/1/" and row["kind"] == Murmur.kind
    assert "theirs" not in str(first)

    unread = api.get(BASE, {"unread": "true", "page_size": 100}).json()
    assert unread["count"] == 29
    assert "n0" not in {r["subject"] for r in unread["results"]}
    read = api.get(BASE, {"unread": "false"}).json()
    assert [r["subject"] for r in read["results"]] == ["n0"]

    bad = api.get(BASE, {"unread": "maybe"})
    assert bad.status_code == 400 and "unread" in bad.json()["errors"]
    assert api.get(BASE, {"page": 9}).status_code == 400


def test_an_external_stored_link_is_not_handed_out():
    me = UserFactory()
    _send(me, "x", url="https://evil.example.com/")
    assert _client(me).get(BASE).json()["results"][0]["url"] == ""


def test_count_read_one_and_read_all():
    me, other = UserFactory(), UserFactory()
    mine = [_send(me, f"n{i}") for i in range(3)]
    theirs = _send(other, "theirs")
    api = _client(me)
    assert api.get(BASE + "unread-count/").json() == {"unread": 3}

    response = api.post(f"{BASE}{mine[0].pk}/read/")
    assert response.status_code == 200
    assert response.json()["unread"] is False and response.json()["read_at"]
    assert api.get(BASE + "unread-count/").json() == {"unread": 2}
    # Again: still 200, no change.
    assert api.post(f"{BASE}{mine[0].pk}/read/").status_code == 200

    # Another's notification does not exist for me.
    response = api.post(f"{BASE}{theirs.pk}/read/")
    assert response.status_code == 404 and response.json()["code"]
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert api.post(f"{BASE}999999999/read/").status_code == 404

    assert api.post(BASE + "read-all/").json() == {"marked": 2}
    assert api.get(BASE + "unread-count/").json() == {"unread": 0}
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_anonymous_is_refused():
    client = APIClient()
    assert client.get(BASE).status_code == 401
    assert client.get(BASE + "unread-count/").status_code == 401
    assert client.post(BASE + "read-all/").status_code == 401
    assert client.get(BASE + "preferences/").status_code == 401


def test_preferences_default_and_change():
    me = UserFactory()
    api = _client(me)
    rows = {r["kind"]: r for r in api.get(BASE + "preferences/").json()}
    invited = rows["ideas.team.invited"]
    assert invited["channel"] == invited["default"] == "email"
    assert invited["label"] == "An invitation to join a team"
    assert invited["area_label"] == "Teams"
    assert rows[Ping.kind]["label"] == "Ping sent"
    assert rows["ideas.team.join_declined"]["channel"] == "in_app"

    response = api.patch(
        BASE + "preferences/",
        [
            {"kind": "ideas.team.invited", "channel": "daily"},
            {"kind": Ping.kind, "channel": "weekly"},
        ],
        format="json",
    )
    assert response.status_code == 200
    rows = {r["kind"]: r["channel"] for r in response.json()}
    assert rows["ideas.team.invited"] == "daily" and rows[Ping.kind] == "weekly"

    # PUT replaces: what is not sent goes back to its default.
    response = api.put(
        BASE + "preferences/", [{"kind": Ping.kind, "channel": "in_app"}], format="json"
    )
    rows = {r["kind"]: r["channel"] for r in response.json()}
    assert rows["ideas.team.invited"] == "email" and rows[Ping.kind] == "in_app"
    assert list(NotificationPreference.objects.values_list("kind", "channel")) == [
        (Ping.kind, "in_app")
    ]


@pytest.mark.parametrize(
    "body",
    [
        [{"kind": "no.such.kind", "channel": "daily"}],
        [{"kind": "ideas.team.invited", "channel": "loud"}],
        [{"kind": "ideas.team.invited"}],
        {"kind": "ideas.team.invited", "channel": "daily"},
        ["daily"],
    ],
)
def test_bad_preferences_are_a_400_and_change_nothing(body):
    me = UserFactory()
    api = _client(me)
    api.patch(
        BASE + "preferences/",
        [{"kind": Ping.kind, "channel": "daily"}],
        format="json",
    )
    for method in (api.patch, api.put):
        response = method(BASE + "preferences/", body, format="json")
        assert response.status_code == 400
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["errors"]
    assert list(NotificationPreference.objects.values_list("kind", "channel")) == [
        (Ping.kind, "daily")
    ]
