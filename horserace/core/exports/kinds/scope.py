"""What every staff export shares: whose racecourses, dates without surprises."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from contests.models import Racecourse
from horserace.accounts.rules import is_hr_admin


def admin_racecourse_ids(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(Racecourse.objects.filter(admins=user).values_list("pk", flat=True))


def is_staff_exporter(user) -> bool:
    """HR, or the admin of at least one racecourse."""
    return user.is_authenticated and (
        is_hr_admin(user) or Racecourse.objects.filter(admins=user).exists()
    )


def racecourse_q(user, params: dict, field: str) -> Q:
    """The racecourses ``user`` exports from, as a filter on ``field``
    (a path to a racecourse): HR every one, a racecourse admin their own;
    narrowed to the ``season`` and ``racecourse`` parameters."""
    q = Q()
    if not is_hr_admin(user):
        q &= Q(**{f"{field}__in": admin_racecourse_ids(user)})
    if params.get("racecourse"):
        q &= Q(**{f"{field}__pk": params["racecourse"]})
    if params.get("season"):
        q &= Q(**{f"{field}__season_id": params["season"]})
    return q


def check_racecourse(user, params: dict) -> None:
    """A racecourse admin may name only a racecourse they run."""
    pk = params.get("racecourse")
    if pk and not is_hr_admin(user) and pk not in admin_racecourse_ids(user):
        raise PermissionDenied(_("You do not run this racecourse."))


def day(value: datetime | None) -> str:
    """A date in the current time zone, ISO (no time: nothing to identify by)."""
    return timezone.localdate(value).isoformat() if value else ""


def moment(value: datetime | None) -> str:
    """A time to the minute in the current time zone, ISO with its offset."""
    if not value:
        return ""
    return timezone.localtime(value).replace(second=0, microsecond=0).isoformat()
