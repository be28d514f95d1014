"""The leak matrix's world, built once per module (and per xdist worker).

The world is written inside one outer transaction that is rolled back when
the module ends, so it never leaks into other tests; each test runs in a
savepoint of it (pytest-django's ``db``), and each request in a savepoint of
that which is rolled back, so a write that succeeds changes nothing for the
next request.
"""

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, TestCase
from django.test.utils import override_settings

from .world import TEAM_ROLES, build_world

# --- break-glass hook -------------------------------------------------------------


def grant_access(user, idea, kind: str, reason: str) -> bool:
    """Give ``user`` an access grant on ``idea``: ``kind`` "open" (a confidential
    idea's content) or "unmask" (an anonymous team's names), with ``reason``.

    Until the visibility branch lands there is no grant model and this only
    records the intent (True): HR and racecourse admins must then see nothing
    a grant would open (the "without grant" roles ``hr`` and ``admin_this``),
    while the granted roles (``hr_granted``, ``admin_granted``) may. Once the
    access model exists (``ideas.models.IdeaAccess``), the grant is made
    through its service, so the logged "open"/"unmask" is what lets them in;
    False when the service refuses (then the role is not allowed either).
    """
    from django.core.exceptions import PermissionDenied, ValidationError

    from ideas.services.access import idea_access_request

    try:
        idea_access_request(idea=idea, user=user, kind=kind, reason=reason)
    except (PermissionDenied, ValidationError):
        return False
    return True


# --- the world ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def leak_media(tmp_path_factory):
    return tmp_path_factory.mktemp("leak-media")


@pytest.fixture(autouse=True)
def _media_root(settings, leak_media):
    """The world's files stay where they were written (not a per-test folder)."""
    settings.MEDIA_ROOT = leak_media


@pytest.fixture(scope="module")
def leak_world(django_db_setup, django_db_blocker, leak_media):
    overrides = override_settings(
        MEDIA_ROOT=leak_media,
        SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
        ACCOUNT_RATE_LIMITS=False,
    )
    overrides.enable()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with TestCase.captureOnCommitCallbacks(execute=True):
                world = build_world()
            world.clients = _clients(world)
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            overrides.disable()


def _clients(world) -> dict:
    """One logged-in client per person (signed-cookie sessions: no DB row)."""
    clients = {None: (Client(raise_request_exception=False), None)}
    users = {u.pk: u for u in world.people.values()}
    for f in world.ideas:
        for role in TEAM_ROLES:
            user = getattr(f, role)
            users[user.pk] = user
    for pk, user in users.items():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients[pk] = (client, client.cookies[settings.SESSION_COOKIE_NAME].value)
    return clients
