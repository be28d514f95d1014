"""Helpers the idea services share: permission checks, the idea's lock, its team."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from horserace.accounts.models import User
from horserace.common.permissions import can

from ..models import Idea


def require(
    actor: User | None, perm: str, obj=None, message: str | None = None
) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` holds ``perm`` on ``obj``."""
    if actor is None or not can(actor, perm, obj):
        raise PermissionDenied(message or _("You are not allowed to do that."))


def lock_idea(idea: Idea, *, season: bool = False) -> Idea:
    """The idea's row, locked for the rest of the transaction, read afresh.

    ``season=True`` also locks its racecourse and season rows: team changes
    count a person's teams across the whole season, so two joins anywhere in
    it must not pass that check at the same moment.
    """
    qs = Idea.objects.select_related("racecourse__season")
    locked = qs.select_for_update() if season else qs.select_for_update(of=("self",))
    return locked.get(pk=idea.pk)
