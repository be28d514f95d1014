"""Roles: appoint and remove, one by one or in bulk from a CSV, each recorded."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from horserace.accounts.models import User

from ...models import Racecourse, Trainer
from ...roles import RACECOURSE_ROLES, Role, RoleChange
from .common import MAX_CSV_ROWS, field_error, require_hr, require_manager

if TYPE_CHECKING:
    from collections.abc import Sequence

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


def _record(person: User, role, racecourse, action, actor: User, source) -> None:
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
    outcome: str = ""  # appointed, already, unknown, inactive, duplicate
    person: User | None = None


@dataclass
class BulkReport:
    rows: list[BulkRow] = field(default_factory=list)
    applied: bool = False

    @property
    def bad(self) -> list[BulkRow]:
        return [r for r in self.rows if r.outcome in BAD_STATUSES]

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)


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
            row.outcome = "unknown"
        elif not person.is_active:
            row.outcome, row.person = "inactive", person
        elif person.pk in seen:
            row.outcome, row.person = "duplicate", person
        else:
            row.person = person
            seen.add(person.pk)
        report.rows.append(row)
    if report.bad:
        return report
    for row in report.rows:
        if row.outcome:
            continue
        assert row.person is not None
        appointed = role_appoint(
            role=role,
            person=row.person,
            actor=actor,
            racecourse=racecourse,
            source=source,
        )
        row.outcome = "appointed" if appointed else "already"
    report.applied = True
    return report


def bulk_report_errors(report: BulkReport) -> list[str]:
    """One message per bad row, for a 400 body or the page."""
    messages = []
    for row in report.bad:
        if row.outcome == "unknown":
            text = _("Row %(line)d: nobody is known as “%(value)s”.")
        else:
            text = _("Row %(line)d: “%(value)s” has left the company.")
        messages.append(text % {"line": row.line, "value": row.value})
    return messages
