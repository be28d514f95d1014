"""The deploy checks: a shared cache for rate limits, and a real SECRET_KEY."""

import secrets

import pytest

from horserace.core.checks import (
    KNOWN_SECRET_KEYS,
    check_secret_key,
    check_shared_cache,
)

REDIS = {"BACKEND": "django.core.cache.backends.redis.RedisCache"}
LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
DUMMY = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}


def ids(errors):
    return [error.id for error in errors]


@pytest.mark.parametrize("cache", [LOCMEM, DUMMY])
def test_a_per_process_default_cache_fails_the_deploy_check(settings, cache):
    """DRF throttles and allauth's login limits count in the default cache."""
    settings.CACHES = {"default": cache}
    assert ids(check_shared_cache(None)) == ["horserace.E001"]


def test_redis_passes_the_shared_cache_check(settings):
    settings.CACHES = {"default": REDIS}
    assert check_shared_cache(None) == []


def test_axes_database_handler_shares_state_through_the_database(settings):
    """Our axes handler is the database one: its cache does not matter."""
    settings.CACHES = {"default": REDIS, "local": LOCMEM}
    settings.AXES_CACHE = "local"
    assert "database" in settings.AXES_HANDLER
    assert check_shared_cache(None) == []


def test_axes_cache_handler_needs_a_shared_axes_cache(settings):
    settings.CACHES = {"default": REDIS, "local": LOCMEM}
    settings.AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
    settings.AXES_CACHE = "local"
    assert ids(check_shared_cache(None)) == ["horserace.E001"]


@pytest.mark.parametrize(
    "key",
    [
        *sorted(KNOWN_SECRET_KEYS),
        "django-insecure-" + "x" * 60,
        "short",
        "a" * 80,
        "please-change-me-" + "Zq8vK2mW9xR4tL7nB3cF6hJ1pD5sG0yE" * 2,
    ],
)
def test_known_or_weak_secret_keys_fail_the_deploy_check(settings, key):
    settings.SECRET_KEY = key
    assert ids(check_secret_key(None)) == ["horserace.E002"]


def test_a_weak_fallback_key_fails_too(settings):
    settings.SECRET_KEY = secrets.token_urlsafe(50)
    settings.SECRET_KEY_FALLBACKS = [sorted(KNOWN_SECRET_KEYS)[0]]
    assert ids(check_secret_key(None)) == ["horserace.E002"]


def test_a_random_key_passes(settings):
    settings.SECRET_KEY = secrets.token_urlsafe(50)
    settings.SECRET_KEY_FALLBACKS = []
    assert check_secret_key(None) == []


def _redis_up(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_timeout=1).ping())
    except redis.RedisError:
        return False


TEST_REDIS = "redis://127.0.0.1:6379/3"


@pytest.mark.parametrize(
    ("config", "shared"),
    [
        pytest.param(
            {**REDIS, "LOCATION": TEST_REDIS},
            True,
            marks=pytest.mark.skipif(
                not _redis_up(TEST_REDIS), reason="no Redis on 127.0.0.1"
            ),
        ),
        (LOCMEM, False),
    ],
    ids=["redis", "locmem"],
)
def test_what_the_check_stands_for_two_processes_share_a_throttle(config, shared):
    """Two web processes (two cache connections) throttle one client
    together on Redis, and each on its own with the in-process cache."""
    from django.contrib.auth.models import AnonymousUser
    from django.utils.module_loading import import_string
    from rest_framework.test import APIRequestFactory

    from horserace.common.throttling import AnonRateThrottle

    prefix = f"check-{secrets.token_hex(6)}"

    def process():
        backend = import_string(config["BACKEND"])
        # A locmem cache's memory is per name: a new name is a new process.
        location = config.get("LOCATION", secrets.token_hex(6))
        cache = backend(location, {"KEY_PREFIX": prefix})

        class Throttle(AnonRateThrottle):
            rate = "1/min"

        Throttle.cache = cache
        return Throttle()

    request = APIRequestFactory().get("/api/", REMOTE_ADDR="192.0.2.7")
    request.user = AnonymousUser()
    first, second = process(), process()
    assert first.allow_request(request, None)
    assert second.allow_request(request, None) is not shared
