"""Periodic housekeeping for accounts."""

from celery import shared_task
from django.utils import timezone
from knox.models import AuthToken


@shared_task
def tokens_purge_expired() -> int:
    """Delete API tokens past their expiry; safe to run at any time, or twice."""
    deleted, _ = AuthToken.objects.filter(expiry__lt=timezone.now()).delete()
    return deleted


# The directory's task lives with the directory; the worker finds the tasks
# modules of apps only, so it is named here too.
from .directory.tasks import directory_import_task  # noqa: E402, F401
