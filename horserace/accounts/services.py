"""Writes for accounts."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import TIME_ZONE_CHOICES, User

_ZONES = {tz for tz, _label in TIME_ZONE_CHOICES}


@transaction.atomic
def user_update_preferences(
    *,
    user: User,
    display_name: str | None = None,
    locale: str | None = None,
    time_zone: str | None = None,
) -> User:
    changed = []
    if display_name is not None:
        if not display_name.strip():
            raise ValidationError({"display_name": _("This field is required.")})
        user.display_name = display_name.strip()
        changed.append("display_name")
    if locale is not None:
        if locale not in dict(settings.LANGUAGES):
            raise ValidationError({"locale": _("Unknown language.")})
        user.locale = locale
        changed.append("locale")
    if time_zone is not None:
        if time_zone not in _ZONES:
            raise ValidationError({"time_zone": _("Unknown time zone.")})
        user.time_zone = time_zone
        changed.append("time_zone")
    if changed:
        user.save(update_fields=changed)
    return user
