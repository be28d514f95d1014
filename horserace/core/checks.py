"""Deployment checks that Django's own ``check --deploy`` does not make.

Both are errors, not warnings, so ``manage.py check --deploy`` exits non-zero
and a deployment script that runs it stops there.
"""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

# Caches that live inside one process (or nowhere): with several web
# processes each gets its own throttle and login-limit budget.
_UNSHARED_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}

# Keys that are, or were, written in this repository: anyone who reads it can
# sign sessions, password-reset links and tokens with them.
KNOWN_SECRET_KEYS = {
    "dev-only-insecure-key-change-me-in-production-0123456789",
    "change-me-compose-demo-secret-key-0123456789abcdef",
    "collectstatic-only-not-a-secret",
}
# Words of placeholders, not of random keys.
_PLACEHOLDER_WORDS = ("change-me", "changeme", "insecure", "not-a-secret", "example")
_MIN_LENGTH = 50
_MIN_UNIQUE = 5


def _limiter_cache_aliases() -> list[str]:
    """Cache aliases holding rate-limit state: DRF throttles and allauth's
    login limits use ``default``; django-axes uses a cache only with its cache
    handler (the database handler, our default, shares state through the
    database)."""
    aliases = ["default"]
    handler = getattr(settings, "AXES_HANDLER", "")
    if "cache" in handler.lower():
        aliases.append(getattr(settings, "AXES_CACHE", "default"))
    return list(dict.fromkeys(aliases))


@register(Tags.caches, Tags.security, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    """horserace.E001: throttles and login limits need one cache for every
    process, such as Redis (``CACHE_URL=redis://...``)."""
    errors = []
    for alias in _limiter_cache_aliases():
        backend = settings.CACHES.get(alias, {}).get("BACKEND", "")
        if backend in _UNSHARED_CACHES:
            errors.append(
                Error(
                    f"The {alias!r} cache ({backend}) is not shared between "
                    "processes, so every web process keeps its own API throttle "
                    "and login rate-limit counts.",
                    hint="Set CACHE_URL to a shared cache, e.g. redis://redis:6379/1.",
                    id="horserace.E001",
                )
            )
    return errors


def secret_key_is_weak(key: str) -> bool:
    """True for a key from this repository, a placeholder, or one Django
    itself calls weak (short, few distinct characters, ``django-insecure-``)."""
    lowered = key.lower()
    return (
        key in KNOWN_SECRET_KEYS
        or any(word in lowered for word in _PLACEHOLDER_WORDS)
        or len(key) < _MIN_LENGTH
        or len(set(key)) < _MIN_UNIQUE
        or key.startswith("django-insecure-")
    )


@register(Tags.security, deploy=True)
def check_secret_key(app_configs, **kwargs):
    """horserace.E002: SECRET_KEY (and every fallback) must be a real secret."""
    try:
        keys = {"SECRET_KEY": settings.SECRET_KEY}
    except (ImproperlyConfigured, AttributeError):
        keys = {"SECRET_KEY": ""}
    for index, key in enumerate(getattr(settings, "SECRET_KEY_FALLBACKS", [])):
        keys[f"SECRET_KEY_FALLBACKS[{index}]"] = key
    return [
        Error(
            f"{name} is known or weak: it is in the repository, is a "
            f"placeholder, or is shorter than {_MIN_LENGTH} characters.",
            hint='Generate one with: python -c "import secrets; '
            'print(secrets.token_urlsafe(50))"',
            id="horserace.E002",
        )
        for name, key in keys.items()
        if secret_key_is_weak(str(key))
    ]
