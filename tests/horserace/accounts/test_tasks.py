"""Expired API tokens: refused on use, purged by the hourly task."""

import datetime as dt

import pytest
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from horserace.accounts.tasks import tokens_purge_expired
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _expire(token_object):
    AuthToken.objects.filter(pk=token_object.pk).update(
        expiry=timezone.now() - dt.timedelta(minutes=1)
    )


def test_an_expired_token_is_refused_and_deleted_on_use():
    user = UserFactory()
    instance, token = AuthToken.objects.create(user=user)
    _expire(instance)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/auth/me/").status_code == 401
    assert not AuthToken.objects.filter(pk=instance.pk).exists()


def test_using_one_token_leaves_the_others_to_the_purge_task():
    user = UserFactory()
    stale, _ = AuthToken.objects.create(user=user)
    _expire(stale)
    _, live = AuthToken.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {live}")
    assert client.get("/api/auth/me/").status_code == 200
    assert AuthToken.objects.filter(pk=stale.pk).exists()
    assert tokens_purge_expired() == 1
    assert tokens_purge_expired() == 0
    assert AuthToken.objects.filter(user=user).count() == 1


# --- authenticating: one query, knox's checks, no write per request ---------------


def _client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_a_token_authenticates_with_one_query(django_assert_num_queries):
    from horserace.accounts.authentication import TokenAuthentication

    user = UserFactory()
    _, token = AuthToken.objects.create(user=user)
    with django_assert_num_queries(1):
        found, auth_token = TokenAuthentication().authenticate_credentials(
            token.encode()
        )
    assert found == user and auth_token.user_id == user.pk
    assert found.department_id == user.department_id  # the whole user, loaded


def test_a_wrong_token_or_an_inactive_user_is_refused():
    user = UserFactory()
    _, token = AuthToken.objects.create(user=user)
    wrong = token[:-1] + ("0" if token[-1] != "0" else "1")  # same key prefix
    assert _client(wrong).get("/api/auth/me/").status_code == 401
    assert _client("nonsense").get("/api/auth/me/").status_code == 401
    user.is_active = False
    user.save()
    assert _client(token).get("/api/auth/me/").status_code == 401


def test_the_expiry_is_renewed_at_most_once_a_minute(django_assert_num_queries):
    """AUTO_REFRESH moves the expiry forward, but a busy client writes it at
    most once per knox's MIN_REFRESH_INTERVAL, not on every request."""
    from horserace.accounts.authentication import TokenAuthentication

    user = UserFactory()
    instance, token = AuthToken.objects.create(user=user)
    auth = TokenAuthentication()
    with django_assert_num_queries(1):  # just issued: nothing to write
        auth.authenticate_credentials(token.encode())
    AuthToken.objects.filter(pk=instance.pk).update(
        expiry=instance.expiry - dt.timedelta(minutes=5)
    )
    with django_assert_num_queries(2):  # the read, and the renewal
        auth.authenticate_credentials(token.encode())
    instance.refresh_from_db()
    assert instance.expiry > timezone.now() + dt.timedelta(hours=1)
    with django_assert_num_queries(1):
        auth.authenticate_credentials(token.encode())
