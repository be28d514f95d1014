"""Writes of the set-up: racecourse settings, challenges, catalogue, budgets,
the trainer pool and roles.

Every function is keyword-only and atomic, checks who may act (HR for the
season-wide things, ``contests.manage_racecourse`` for one racecourse's) and
raises ``ValidationError`` by field for bad input and ``PermissionDenied``
for a person who may not. The pages and the API call these and nothing else.

Budgets and grants: grants live with gestation (``ideas``), a floor above
the calendar. Gestation registers how much a racecourse has granted of a
resource (``register_granted_total``); ``budget_set`` locks the budget row,
as a grant does, and refuses to cut it below that sum.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from horserace.accounts.models import User
from horserace.common.permissions import can

from ..models import Challenge, Racecourse, Resource, ResourceBudget, Season, Trainer
from ..roles import RACECOURSE_ROLES, Role, RoleChange

if TYPE_CHECKING:
    from collections.abc import Sequence

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


def _save_changes(obj, changes: dict[str, Any], allowed: Iterable[str]) -> None:
    """Set the allowed fields, validate the whole row (fields and constraints)
    and save it; an unknown field is a programming error, not input."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"cannot change {sorted(unknown)}")
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()


# --- Racecourse settings ------------------------------------------------------


@transaction.atomic
def racecourse_update(
    *, racecourse: Racecourse, actor: User, changes: dict[str, Any]
) -> Racecourse:
    """Change a racecourse's name, description, audience, team size limit,
    promotion quota and evaluation settings (k, L, conflicts, blind)."""
    require_manager(actor, racecourse)
    racecourse = Racecourse.objects.select_for_update().get(pk=racecourse.pk)
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
    _save_changes(racecourse, changes, RACECOURSE_FIELDS)
    return racecourse


# --- Challenges ---------------------------------------------------------------


def _check_sponsor(sponsor: User | None) -> None:
    if sponsor is None or not sponsor.is_active:
        raise field_error(
            "sponsor", _("Choose an active person as the sponsor."), "sponsor"
        )


@transaction.atomic
def challenge_create(
    *,
    racecourse: Racecourse,
    actor: User,
    title: str,
    brief: str,
    sponsor: User | None,
    prize: str = "",
    is_open: bool = True,
) -> Challenge:
    require_manager(actor, racecourse)
    _check_sponsor(sponsor)
    challenge = Challenge(racecourse=racecourse)
    _save_changes(
        challenge,
        {
            "title": title.strip(),
            "brief": brief.strip(),
            "sponsor": sponsor,
            "prize": prize.strip(),
            "is_open": is_open,
        },
        CHALLENGE_FIELDS,
    )
    return challenge


@transaction.atomic
def challenge_update(
    *, challenge: Challenge, actor: User, changes: dict[str, Any]
) -> Challenge:
    """Edit a challenge, or close (``is_open=False``) and reopen it."""
    require_manager(actor, challenge.racecourse)
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if "sponsor" in changes:
        _check_sponsor(changes["sponsor"])
    for name in ("title", "brief", "prize"):
        if name in changes:
            changes[name] = (changes[name] or "").strip()
    _save_changes(challenge, changes, CHALLENGE_FIELDS)
    return challenge


# --- Resource catalogue and budgets -------------------------------------------


@transaction.atomic
def resource_create(*, season: Season, actor: User, **fields: Any) -> Resource:
    require_hr(actor)
    resource = Resource(season=season)
    fields["name"] = (fields.get("name") or "").strip()
    _save_changes(resource, fields, RESOURCE_FIELDS)
    return resource


@transaction.atomic
def resource_update(
    *, resource: Resource, actor: User, changes: dict[str, Any]
) -> Resource:
    require_hr(actor)
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
    _save_changes(resource, changes, RESOURCE_FIELDS)
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
    _save_changes(
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
    _save_changes(trainer, changes, TRAINER_FIELDS)
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


# --- Roles ----------------------------------------------------------------------

_FLAGS = {
    Role.EVALUATOR: "is_evaluator",
    Role.MENTOR: "is_mentor",
    Role.HR_ADMIN: "is_hr_admin",
}


def require_role_manager(actor: User, role: str, racecourse: Racecourse | None):
    """Company-wide roles are HR's; a racecourse's admins and evaluator pool
    are also its admins'."""
    if role in RACECOURSE_ROLES:
        if racecourse is None:
            raise field_error("racecourse", _("Choose the racecourse."), "required")
        require_manager(actor, racecourse)
    elif role in _FLAGS:
        require_hr(actor)
    else:
        raise field_error("role", _("No such role."), "invalid")


def role_holds(*, role: str, person: User, racecourse: Racecourse | None) -> bool:
    if role == Role.RACECOURSE_ADMIN:
        assert racecourse is not None
        return racecourse.admins.filter(pk=person.pk).exists()
    if role == Role.RACECOURSE_EVALUATOR:
        assert racecourse is not None
        return racecourse.evaluators.filter(pk=person.pk).exists()
    return bool(getattr(person, _FLAGS[Role(role)]))


def _record(person, role, racecourse, action, actor, source) -> None:
    RoleChange.objects.create(
        person=person,
        role=role,
        racecourse=racecourse if role in RACECOURSE_ROLES else None,
        action=action,
        actor=actor,
        source=source,
    )


def _grant(role: str, person: User, racecourse: Racecourse | None) -> None:
    if role == Role.RACECOURSE_ADMIN:
        assert racecourse is not None
        racecourse.admins.add(person)
    elif role == Role.RACECOURSE_EVALUATOR:
        assert racecourse is not None
        racecourse.evaluators.add(person)
    else:
        User.objects.filter(pk=person.pk).update(**{_FLAGS[Role(role)]: True})


@transaction.atomic
def role_appoint(
    *,
    role: str,
    person: User,
    actor: User,
    racecourse: Racecourse | None = None,
    source: str = RoleChange.Source.PAGE,
) -> bool:
    """Give ``person`` the role; ``False`` (and nothing recorded) if they had it.

    A racecourse's evaluator pool takes evaluators only, so joining it makes
    the person an evaluator too (recorded as its own appointment).
    """
    require_role_manager(actor, role, racecourse)
    person = User.objects.select_for_update().get(pk=person.pk)
    if not person.is_active:
        raise field_error(
            "person", _("%(person)s has left.") % {"person": person}, "inactive"
        )
    if role == Role.RACECOURSE_EVALUATOR and not person.is_evaluator:
        _grant(Role.EVALUATOR, person, None)
        _record(person, Role.EVALUATOR, None, "appoint", actor, source)
    if role_holds(role=role, person=person, racecourse=racecourse):
        return False
    _grant(role, person, racecourse)
    _record(person, role, racecourse, RoleChange.Action.APPOINT, actor, source)
    return True


@transaction.atomic
def role_remove(
    *,
    role: str,
    person: User,
    actor: User,
    racecourse: Racecourse | None = None,
    source: str = RoleChange.Source.PAGE,
) -> bool:
    """Take the role away; ``False`` if they did not have it.

    Nobody takes away their own HR role (HR would lock itself out). A mentor
    who stops being one stops taking teams in every trainer pool.
    """
    require_role_manager(actor, role, racecourse)
    if role == Role.HR_ADMIN and person.pk == actor.pk:
        raise field_error("person", _("You cannot take away your own HR role."), "self")
    person = User.objects.select_for_update().get(pk=person.pk)
    if not role_holds(role=role, person=person, racecourse=racecourse):
        return False
    if role == Role.RACECOURSE_ADMIN:
        assert racecourse is not None
        racecourse.admins.remove(person)
    elif role == Role.RACECOURSE_EVALUATOR:
        assert racecourse is not None
        racecourse.evaluators.remove(person)
    else:
        User.objects.filter(pk=person.pk).update(**{_FLAGS[Role(role)]: False})
        if role == Role.MENTOR:
            Trainer.objects.filter(user=person, is_active=True).update(is_active=False)
    _record(person, role, racecourse, RoleChange.Action.REMOVE, actor, source)
    return True


# --- Roles in bulk ----------------------------------------------------------------


@dataclass
class BulkRow:
    """One person of a bulk appointment, and what became of them."""

    line: int
    value: str
    status: str = ""  # appointed, already, unknown, inactive, duplicate
    person: User | None = None


@dataclass
class BulkReport:
    rows: list[BulkRow] = field(default_factory=list)
    applied: bool = False

    @property
    def bad(self) -> list[BulkRow]:
        return [r for r in self.rows if r.status in BAD_STATUSES]

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)


BAD_STATUSES = ("unknown", "inactive")


def csv_identifiers(data: bytes | str) -> list[tuple[int, str]]:
    """(line, e-mail or employee number) of each row of a CSV file.

    The first column holds the person, unless a header names an ``email`` or
    ``employee_number`` column; blank rows are skipped.
    """
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise field_error(
                "file", _("The file is not UTF-8 text."), "encoding"
            ) from None
    if "\x00" in data:
        raise field_error("file", _("The file is not a CSV."), "binary")
    try:
        rows = list(csv.reader(io.StringIO(data)))
    except csv.Error as error:
        raise field_error(
            "file", _("The file is not a CSV: %(error)s") % {"error": error}, "csv"
        ) from None
    column = 0
    start = 0
    if rows:
        header = [cell.strip().lower().replace(" ", "_") for cell in rows[0]]
        for name in ("email", "e-mail", "employee_number", "person"):
            if name in header:
                column, start = header.index(name), 1
                break
    found = [
        (n + 1, row[column].strip())
        for n, row in enumerate(rows)
        if n >= start and len(row) > column and row[column].strip()
    ]
    if len(found) > MAX_CSV_ROWS:
        raise field_error(
            "file",
            _("At most %(max)d people per file.") % {"max": MAX_CSV_ROWS},
            "too_many",
        )
    return found


def _lookup(values: Sequence[str]) -> dict[str, User]:
    emails = {v.lower() for v in values if "@" in v}
    numbers = {v for v in values if "@" not in v}
    found: dict[str, User] = {}
    for user in User.objects.filter(email__in=emails):
        found[user.email.lower()] = user
    for user in User.objects.filter(employee_number__in=numbers):
        found[str(user.employee_number)] = user
    return found


@transaction.atomic
def roles_bulk_appoint(
    *,
    role: str,
    identifiers: Sequence[tuple[int, str]],
    actor: User,
    racecourse: Racecourse | None = None,
    source: str = RoleChange.Source.CSV,
) -> BulkReport:
    """Appoint everyone listed, or nobody.

    ``identifiers`` are (line, e-mail or employee number). Each row is
    reported: ``appointed``, ``already`` (had the role: running a file again
    changes nothing), ``duplicate`` (listed twice), ``unknown`` or
    ``inactive``. One unknown or inactive person and nothing is applied:
    fix the file and upload it again.
    """
    require_role_manager(actor, role, racecourse)
    if not identifiers:
        raise field_error("file", _("Nobody is listed."), "empty")
    people = _lookup([value for _line, value in identifiers])
    report = BulkReport()
    seen: set[int] = set()
    for line, value in identifiers:
        row = BulkRow(line=line, value=value)
        person = people.get(value.lower() if "@" in value else value)
        if person is None:
            row.status = "unknown"
        elif not person.is_active:
            row.status, row.person = "inactive", person
        elif person.pk in seen:
            row.status, row.person = "duplicate", person
        else:
            row.person = person
            seen.add(person.pk)
        report.rows.append(row)
    if report.bad:
        return report
    for row in report.rows:
        if row.status:
            continue
        assert row.person is not None
        appointed = role_appoint(
            role=role,
            person=row.person,
            actor=actor,
            racecourse=racecourse,
            source=source,
        )
        row.status = "appointed" if appointed else "already"
    report.applied = True
    return report


def bulk_report_errors(report: BulkReport) -> list[str]:
    """One message per bad row, for a 400 body or the page."""
    messages = []
    for row in report.bad:
        if row.status == "unknown":
            text = _("Row %(line)d: nobody is known as “%(value)s”.")
        else:
            text = _("Row %(line)d: “%(value)s” has left the company.")
        messages.append(text % {"line": row.line, "value": row.value})
    return messages
