"""A Redis cache's clear() leaves other prefixes' keys alone (two xdist workers)."""

import uuid

import pytest
from django.conf import settings

from horserace.common.cache import PrefixedRedisCache

REDIS_URL = "redis://127.0.0.1:6379/1"


def _cache(prefix: str) -> PrefixedRedisCache:
    return PrefixedRedisCache(REDIS_URL, {"KEY_PREFIX": prefix})


@pytest.fixture
def two_workers():
    mine, theirs = _cache(f"t-{uuid.uuid4().hex}"), _cache(f"t-{uuid.uuid4().hex}")
    try:
        mine.get("ping")
    except Exception:  # noqa: BLE001 - no Redis on this machine
        pytest.skip("needs Redis at 127.0.0.1:6379")
    yield mine, theirs
    mine.clear()
    theirs.clear()


def test_clear_removes_only_its_own_prefix(two_workers):
    mine, theirs = two_workers
    mine.set("limit", 1)
    theirs.set("limit", 2)
    mine.set_many({f"k{i}": i for i in range(1200)})

    mine.clear()

    assert mine.get("limit") is None
    assert mine.get("k1199") is None
    assert theirs.get("limit") == 2


def test_the_test_settings_use_it_for_redis():
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend != "django.core.cache.backends.redis.RedisCache"
