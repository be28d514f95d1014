"""Shared by the set-up services: who may act, saving a validated row."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from horserace.accounts.models import User
from horserace.common.permissions import can

from ...models import Racecourse

MAX_AMOUNT = Decimal("9999999999.99")  # what the amount column holds
MAX_CSV_ROWS = 5000

RACECOURSE_FIELDS = (
    "name",
    "description",
    "audience",
    "team_size_limit",
    "promotion_quota",
    "evaluators_per_project",
    "max_projects_per_evaluator",
    "conflict_same_department",
    "conflict_manager_depth",
    "blind_evaluation",
)
CHALLENGE_FIELDS = ("title", "brief", "sponsor", "prize", "is_open")
RESOURCE_FIELDS = ("kind", "name", "unit", "description", "is_active")
TRAINER_FIELDS = ("capacity", "expertise", "is_active")


def field_error(field: str, message: str, code: str) -> ValidationError:
    """A refusal of one field's value, with a code tests and clients can read."""
    return ValidationError({field: ValidationError(message, code=code)})


# --- Who may ------------------------------------------------------------------


def require_hr(actor: User) -> None:
    if not can(actor, "contests.manage_season"):
        raise PermissionDenied(_("Only HR can do this."))


def require_manager(actor: User, racecourse: Racecourse) -> None:
    if not can(actor, "contests.manage_racecourse", racecourse):
        raise PermissionDenied(_("You do not run this racecourse."))


def save_validated(obj, changes: dict[str, Any], allowed: Iterable[str]) -> None:
    """Set the allowed fields, validate the whole row (fields and constraints)
    and save it; an unknown field is a programming error, not input."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"cannot change {sorted(unknown)}")
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
