"""Settings for the test suite: fast hashing, eager Celery, mail in memory.

``DATABASE_URL`` still chooses the database, so the same suite runs on SQLite
and on PostgreSQL.
"""

import uuid

from .base import *  # noqa: F401,F403
from .base import CACHES, VAR_DIR, env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_RESULT_BACKEND = "cache+memory://"
AXES_ENABLED = False
MEDIA_ROOT = VAR_DIR / "test-media"
REST_FRAMEWORK = {**REST_FRAMEWORK}  # noqa: F405
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = []

# CI's PostgreSQL pass caches in Redis (CACHE_URL): each test process gets its
# own key prefix, so parallel workers and earlier runs share no rate limits,
# and a Redis cache clears only its own prefix (Django's clear() flushes the
# whole database, under the other worker's feet).
_REDIS = "django.core.cache.backends.redis.RedisCache"
CACHES = {
    alias: {
        **config,
        "KEY_PREFIX": f"test-{uuid.uuid4().hex[:12]}",
        **(
            {"BACKEND": "horserace.common.cache.PrefixedRedisCache"}
            if config["BACKEND"] == _REDIS
            else {}
        ),
    }
    for alias, config in CACHES.items()
}
