"""Helpers the idea services share."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from horserace.core.permissions import can


def require(actor, perm: str, obj=None, message: str | None = None) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` holds ``perm`` on ``obj``."""
    if actor is None or not can(actor, perm, obj):
        raise PermissionDenied(message or _("You are not allowed to do that."))
