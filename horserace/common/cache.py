"""A Redis cache whose ``clear()`` removes its own keys only.

Django's ``RedisCache.clear()`` runs ``FLUSHDB``: it empties the whole Redis
database, whatever the ``KEY_PREFIX``. The test settings give each test process
its own prefix, but two xdist workers share the database, so one worker's
``cache.clear()`` (a test that wants fresh rate limits) wiped a rate-limit key
another worker had just set, between its two requests. This backend scans for
``<prefix>:*`` and deletes those keys, so a clear is as private as the prefix.
"""

from django.core.cache.backends.redis import RedisCache


class PrefixedRedisCache(RedisCache):
    """``RedisCache`` with a ``clear()`` scoped to this cache's ``KEY_PREFIX``."""

    def clear(self) -> None:
        client = self._cache.get_client(None, write=True)
        batch: list[bytes] = []
        for key in client.scan_iter(match=f"{self.key_prefix}:*", count=500):
            batch.append(key)
            if len(batch) >= 500:
                client.delete(*batch)
                batch = []
        if batch:
            client.delete(*batch)
