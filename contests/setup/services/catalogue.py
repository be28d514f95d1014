"""The season's resource catalogue, the racecourses' budgets and the trainer pool."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from horserace.accounts.models import User

from ...models import Racecourse, Resource, ResourceBudget, Season, Trainer
from ...roles import Role, RoleChange
from .common import (
    MAX_AMOUNT,
    RESOURCE_FIELDS,
    TRAINER_FIELDS,
    field_error,
    require_hr,
    save_validated,
)
from .roles import role_appoint

# --- Resource catalogue and budgets -------------------------------------------


@transaction.atomic
def resource_create(*, season: Season, actor: User, **fields: Any) -> Resource:
    require_hr(actor)
    resource = Resource(season=season)
    fields["name"] = (fields.get("name") or "").strip()
    save_validated(resource, fields, RESOURCE_FIELDS)
    return resource


@transaction.atomic
def resource_update(
    *, resource: Resource, actor: User, changes: dict[str, Any]
) -> Resource:
    require_hr(actor)
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
    save_validated(resource, changes, RESOURCE_FIELDS)
    return resource


GrantedTotal = Callable[..., Decimal]
_granted_total: GrantedTotal | None = None


def register_granted_total(function: GrantedTotal) -> None:
    """Gestation tells the calendar how much is granted (``resource=``,
    ``racecourse=``); called from its ``AppConfig.ready``."""
    global _granted_total
    _granted_total = function


def granted_total(*, resource: Resource, racecourse: Racecourse) -> Decimal:
    """What ``racecourse`` has granted of ``resource`` (none without gestation)."""
    if _granted_total is None:
        return Decimal("0")
    return _granted_total(resource=resource, racecourse=racecourse)


def _amount(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise field_error("amount", _("Enter a number."), "invalid") from None
    if not amount.is_finite() or amount < 0:
        raise field_error("amount", _("The budget cannot be negative."), "negative")
    if amount > MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        raise field_error(
            "amount",
            _("Use at most 10 digits before the point and 2 after it."),
            "invalid",
        )
    return amount


@transaction.atomic
def budget_set(
    *, racecourse: Racecourse, resource: Resource, actor: User, amount: Any
) -> ResourceBudget:
    """Set how much of ``resource`` the racecourse may grant (creating the budget).

    Locks the budget row as a grant does, then sums what is granted: a
    budget is never cut below what its racecourse has already handed out,
    even while a grant is being made.
    """
    require_hr(actor)
    value = _amount(amount)
    if resource.season_id != racecourse.season_id:
        raise field_error(
            "resource", _("This resource belongs to another season."), "other_season"
        )
    budget, _created = ResourceBudget.objects.select_for_update().get_or_create(
        resource=resource, racecourse=racecourse, defaults={"amount": value}
    )
    granted = granted_total(resource=resource, racecourse=racecourse)
    if value < granted:
        raise field_error(
            "amount",
            _(
                "%(racecourse)s has already granted %(granted)s of "
                "%(resource)s: the budget cannot be less."
            )
            % {"racecourse": racecourse, "granted": granted, "resource": resource},
            "below_granted",
        )
    budget.amount = value
    budget.save(update_fields=["amount", "updated_at"])
    return budget


# --- Trainer pool ---------------------------------------------------------------


@transaction.atomic
def trainer_add(
    *,
    season: Season,
    user: User,
    actor: User,
    capacity: int = 3,
    expertise: str = "",
    make_mentor: bool = False,
    source: str = RoleChange.Source.PAGE,
) -> Trainer:
    """Put a mentor in the season's trainer pool (again: update their entry).

    Only mentors can train; with ``make_mentor`` a person who is not one is
    made a mentor first (and that is recorded).
    """
    require_hr(actor)
    if not user.is_active:
        raise field_error("user", _("This person has left."), "inactive")
    if not user.is_mentor:
        if not make_mentor:
            raise field_error(
                "user",
                _(
                    "%(person)s is not a mentor. Make them a mentor to add "
                    "them to the pool."
                )
                % {"person": user},
                "not_mentor",
            )
        role_appoint(role=Role.MENTOR, person=user, actor=actor, source=source)
        user.refresh_from_db(fields=["is_mentor"])
    trainer = (
        Trainer.objects.select_for_update().filter(season=season, user=user).first()
    ) or Trainer(season=season, user=user)
    save_validated(
        trainer,
        {"capacity": capacity, "expertise": expertise.strip(), "is_active": True},
        TRAINER_FIELDS,
    )
    return trainer


@transaction.atomic
def trainer_update(
    *, trainer: Trainer, actor: User, changes: dict[str, Any]
) -> Trainer:
    require_hr(actor)
    trainer = Trainer.objects.select_for_update().get(pk=trainer.pk)
    if "expertise" in changes:
        changes["expertise"] = (changes["expertise"] or "").strip()
    save_validated(trainer, changes, TRAINER_FIELDS)
    return trainer


def trainer_remove(*, trainer: Trainer, actor: User) -> bool:
    """Take a trainer out of the pool; ``False`` when they coached teams, so
    their entry stays (for the record) but takes no more teams."""
    require_hr(actor)
    try:
        with transaction.atomic():
            trainer.delete()
        return True
    except ProtectedError:
        trainer_update(trainer=trainer, actor=actor, changes={"is_active": False})
        return False
