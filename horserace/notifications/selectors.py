"""Reading notifications: the inbox, the unread count, the preferences."""

from django.db.models import QuerySet
from django.utils.http import url_has_allowed_host_and_scheme

from . import events
from .models import Notification, NotificationPreference

PREVIEW_SIZE = 5


def notification_list(*, user, unread: bool = False) -> QuerySet[Notification]:
    """The user's own notifications, newest first (only the unread ones)."""
    qs = Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")
    return qs.unread() if unread else qs


def notification_unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user).unread().count()


def notification_preview(*, user) -> list[Notification]:
    """The latest few, read or not, for the bell's menu."""
    return list(notification_list(user=user)[:PREVIEW_SIZE])


def safe_url(url: str) -> str:
    """``url`` if it is a path on this site, else "" (never another host).

    Only a path that starts with one slash: no scheme, no ``//host``, no
    backslash tricks browsers read as a host.
    """
    url = (url or "").strip()
    if not url.startswith("/") or url.startswith("//") or "\\" in url:
        return ""
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=set()):
        return ""
    return url


def preference_list(*, user) -> list[dict]:
    """Every registered kind with how ``user`` receives it, grouped by area
    (the areas in order of their label, the kinds by theirs).

    Each row: ``kind``, ``label``, ``area``, ``area_label``, ``channel`` (in
    force) and ``default`` (the event's).
    """
    chosen = dict(
        NotificationPreference.objects.filter(user=user).values_list("kind", "channel")
    )
    rows = []
    for kind, event in events.registered().items():
        area = event.get_area()
        default = event.channel()
        rows.append(
            {
                "kind": kind,
                "label": event.get_label(),
                "area": area,
                "area_label": events.area_label(area),
                "channel": chosen.get(kind, default),
                "default": default,
            }
        )
    rows.sort(key=lambda r: (r["area_label"].lower(), r["label"].lower()))
    return rows


def preference_groups(*, user) -> list[dict]:
    """``preference_list`` as ``[{"area", "label", "rows"}]`` for the page."""
    groups: dict[str, dict] = {}
    for row in preference_list(user=user):
        group = groups.setdefault(
            row["area_label"], {"area": row["area"], "label": row["area_label"]}
        )
        group.setdefault("rows", []).append(row)
    return list(groups.values())
