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
