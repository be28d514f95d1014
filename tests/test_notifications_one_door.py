"""Notifications have one door: only ``horserace/notifications`` writes them.

Every other module sends a named event (``event_send``); none may call the
low-level writer (``notification_write``, or the old ``notification_send``)
or create or update ``Notification`` rows itself, and none picks the people:
it says what the event is about (``about=``), the event says who is told
(``Event.recipients``), so no call passes ``recipients=``. Like the funnel's check
(``tests/test_funnel_one_door.py``) it reads the source with ``ast``, so
comments and docstrings do not trip it.
"""

import ast
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SKIPPED_DIRS = {
    ".venv",
    "venv",
    ".git",
    "node_modules",
    "migrations",
    "tests",
    "var",
    "__pycache__",
}
THE_DOOR = REPO / "horserace" / "notifications"
WRITERS = {"notification_write", "notification_send"}
ROW_WRITES = {"create", "bulk_create", "get_or_create", "update_or_create", "update"}


def _chain_mentions_notifications(node: ast.AST) -> bool:
    """Does ``Notification.objects…`` or ``user.notifications…`` lead here?"""
    while True:
        if isinstance(node, ast.Attribute):
            if node.attr in {"Notification", "notifications"}:
                return True
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Name):
            return node.id in {"Notification", "notifications"}
        else:
            return False


def notification_writes(source: str, filename: str = "<source>") -> list[str]:
    """Describe every place in ``source`` that writes notifications directly."""
    found = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        where = f"{filename}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.ImportFrom | ast.Import):
            for alias in node.names:
                if alias.name in WRITERS:
                    found.append(f"{where}: imports {alias.name}")
        elif isinstance(node, ast.Name) and node.id in WRITERS:
            found.append(f"{where}: uses {node.id}")
        elif isinstance(node, ast.Attribute) and node.attr in WRITERS:
            found.append(f"{where}: uses .{node.attr}")
        elif isinstance(node, ast.Call):
            func = node.func
            if (isinstance(func, ast.Name) and func.id == "Notification") or (
                isinstance(func, ast.Attribute) and func.attr == "Notification"
            ):
                found.append(f"{where}: makes a Notification")
            elif (
                isinstance(func, ast.Attribute)
                and func.attr in ROW_WRITES
                and _chain_mentions_notifications(func.value)
            ):
                found.append(f"{where}: .{func.attr}() on notifications")
    return found


def recipients_picked(source: str, filename: str = "<source>") -> list[str]:
    """Every ``event_send`` call in ``source`` that picks its people itself
    (``recipients=``) or says nothing of what the event is about."""
    found = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if name != "event_send":
            continue
        if any(k.arg == "recipients" for k in node.keywords):
            found.append(f"{filename}:{node.lineno}: event_send(recipients=...)")
        elif not any(k.arg in {"about", None} for k in node.keywords):
            found.append(f"{filename}:{node.lineno}: event_send without about=")
    return found


def _project_modules():
    for path in sorted(REPO.rglob("*.py")):
        relative = path.relative_to(REPO)
        if SKIPPED_DIRS.intersection(relative.parts[:-1]):
            continue
        if path.is_relative_to(THE_DOOR):
            continue
        yield path


def test_no_module_outside_the_notifications_package_writes_notifications():
    offences = []
    checked = 0
    for path in _project_modules():
        checked += 1
        source = path.read_text(encoding="utf-8")
        offences += notification_writes(source, str(path.relative_to(REPO)))
    assert checked > 10, "the walk found the project's modules"
    assert offences == [], (
        "notifications written outside horserace/notifications (send a named "
        "event with event_send):\n" + "\n".join(offences)
    )


def test_no_module_outside_the_notifications_package_picks_recipients():
    offences = []
    sends = 0
    for path in _project_modules():
        source = path.read_text(encoding="utf-8")
        sends += source.count("event_send(")
        offences += recipients_picked(source, str(path.relative_to(REPO)))
    assert sends > 30, "the walk found the services that send events"
    assert offences == [], (
        "people chosen at the call site (say what the event is about, "
        "about=..., and let its recipients() choose):\n" + "\n".join(offences)
    )


@pytest.mark.parametrize(
    "snippet",
    [
        "event_send(Event, recipients=[u], url='/')",
        "services.event_send(Event, recipients=team_of(idea), idea='x')",
        "event_send(Event, url='/', idea='x')",
    ],
)
def test_the_recipients_check_catches_people_picked_at_the_call(snippet):
    assert recipients_picked(snippet), snippet


@pytest.mark.parametrize(
    "snippet",
    [
        "event_send(Event, about=invitation, url='/')",
        "event_send(event, about=people, url=url, **params, **{param: n})",
        "'''event_send(Event, recipients=[u]) in a docstring'''",
        "notify(recipients=[u])",
    ],
)
def test_the_recipients_check_lets_declared_sends_through(snippet):
    assert recipients_picked(snippet) == [], snippet


def test_the_walk_skips_only_what_it_should():
    modules = {str(p.relative_to(REPO)) for p in _project_modules()}
    assert "ideas/services/teams.py" in modules
    assert "ideas/notifications.py" in modules
    assert "horserace/notifications/services.py" not in modules
    assert not any(m.startswith((".venv/", "tests/")) for m in modules)


def test_the_door_itself_would_be_caught():
    source = (THE_DOOR / "services.py").read_text(encoding="utf-8")
    assert notification_writes(source)


@pytest.mark.parametrize(
    "snippet",
    [
        "from horserace.notifications.services import notification_write",
        "from horserace.notifications.services import notification_send",
        "services.notification_write(kind='x', params={}, key='k', url='', "
        "recipients=[], email=False)",
        "Notification(recipient=u, kind='x')",
        "models.Notification(recipient=u)",
        "Notification.objects.create(recipient=u, stored_subject='Hi')",
        "Notification.objects.bulk_create(rows)",
        "Notification.objects.using('default').get_or_create(recipient=u, key='k')",
        "user.notifications.create(stored_subject='Hi')",
        "Notification.objects.filter(recipient=u).update(params={})",
    ],
)
def test_checker_catches_notification_writes(snippet):
    assert notification_writes(textwrap.dedent(snippet)), snippet


@pytest.mark.parametrize(
    "snippet",
    [
        "event_send(Event, recipients=[u], url='/')",
        "Notification.objects.filter(recipient=u).count()",
        "user.notifications.unread().count()",
        "'''Notification.objects.create() in a docstring'''",
        "# notification_write()",
        "Idea.objects.create(title='t')",
    ],
)
def test_checker_ignores_reads_and_events(snippet):
    assert notification_writes(snippet) == [], snippet
