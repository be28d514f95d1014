"""The employee file: its columns, and each row read and checked on its own.

Checks that need the database or the whole file (unknown manager, e-mail
taken by someone else) are the import's (``services.py``); here each row is
checked alone, plus duplicates within the file.
"""

import csv
import io
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_slug
from django.utils.translation import gettext as _

from horserace.common.validators import no_bidi_controls

#: The columns every file must have, in the order the sample gives them.
REQUIRED_COLUMNS = (
    "employee_number",
    "email",
    "display_name",
    "department_code",
    "department_name",
    "parent_department_code",
    "manager_employee_number",
    "status",
)
#: Columns a file may add; an empty cell leaves the person's setting alone.
OPTIONAL_COLUMNS = ("locale", "time_zone")

ACTIVE, LEFT = "active", "left"

SAMPLE = (
    ",".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)
    + "\r\n"
    + "\r\n".join(
        [
            "E1001,ada@example.com,Ada Lovelace,eng,Engineering,,,active,en,Europe/London",
            "E1002,li.wei@example.com,Li Wei,eng-app,Apps,eng,E1001,active,zh-hans,Asia/Shanghai",
            "E1003,grace@example.com,Grace Hopper,eng-app,Apps,eng,E1002,active,,",
            "E1004,old.hand@example.com,Old Hand,eng,Engineering,,E1001,left,,",
        ]
    )
    + "\r\n"
)

_ZONES = zoneinfo.available_timezones()


class FileError(Exception):
    """The whole file cannot be read: nothing is imported."""


@dataclass
class Row:
    line: int
    employee_number: str
    email: str
    display_name: str
    department_code: str
    department_name: str
    parent_department_code: str
    manager_employee_number: str
    left: bool
    locale: str = ""
    time_zone: str = ""
    messages: list[str] = field(default_factory=list)
    #: The person the row was applied to (set by the import), or None.
    user: Any = None

    @property
    def ok(self) -> bool:
        return not self.messages

    def error(self) -> dict:
        return {
            "row": self.line,
            "employee_number": self.employee_number,
            "messages": list(self.messages),
        }


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileError(_("The file is not UTF-8 text."))


def _check(row: Row) -> None:
    m = row.messages
    if not row.employee_number:
        m.append(_("The employee number is missing."))
    elif len(row.employee_number) > 32:
        m.append(_("The employee number is longer than 32 characters."))
    try:
        validate_email(row.email)
    except ValidationError:
        m.append(_("“%(value)s” is not an e-mail address.") % {"value": row.email})
    if not row.display_name:
        m.append(_("The name is missing."))
    elif len(row.display_name) > 150:
        m.append(_("The name is longer than 150 characters."))
    for value in (row.display_name, row.department_name):
        try:
            no_bidi_controls(value)
        except ValidationError as exc:
            m.extend(exc.messages)
    for code in (row.department_code, row.parent_department_code):
        if code:
            try:
                validate_slug(code)
            except ValidationError:
                m.append(
                    _(
                        "“%(value)s” is not a department code (letters, digits, - and _)."
                    )
                    % {"value": code}
                )
    if len(row.department_code) > 50 or len(row.department_name) > 200:
        m.append(_("The department code or name is too long."))
    if row.department_code and row.parent_department_code == row.department_code:
        m.append(_("A department cannot be its own parent."))
    if not row.department_code and (row.department_name or row.parent_department_code):
        m.append(_("A department name or parent needs a department code."))
    if (
        row.manager_employee_number
        and row.manager_employee_number == row.employee_number
    ):
        m.append(_("A person cannot be their own manager."))
    if row.locale and row.locale not in dict(settings.LANGUAGES):
        m.append(_("Unknown language “%(value)s”.") % {"value": row.locale})
    if row.time_zone and row.time_zone not in _ZONES:
        m.append(_("Unknown time zone “%(value)s”.") % {"value": row.time_zone})


def read_rows(data: bytes) -> list[Row]:
    """Every data row of the file, each checked; raises ``FileError`` when the
    file cannot be read or lacks a required column."""
    text = _decode(data)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    if not header:
        raise FileError(_("The file is empty."))
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise FileError(
            _("Columns missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    reader.fieldnames = header
    rows: list[Row] = []
    numbers: dict[str, int] = {}
    emails: dict[str, int] = {}
    try:
        for record in reader:
            values = {k: (v or "").strip() for k, v in record.items() if k}
            if not any(values.values()):
                continue  # a blank line
            status = values["status"].lower() or ACTIVE
            row = Row(
                line=reader.line_num,
                employee_number=values["employee_number"],
                email=values["email"].lower(),
                display_name=values["display_name"],
                department_code=values["department_code"],
                department_name=values["department_name"],
                parent_department_code=values["parent_department_code"],
                manager_employee_number=values["manager_employee_number"],
                left=status == LEFT,
                locale=values.get("locale", "").lower(),
                time_zone=values.get("time_zone", ""),
            )
            if status not in (ACTIVE, LEFT):
                row.messages.append(
                    _("Unknown status “%(value)s”: use active or left.")
                    % {"value": values["status"]}
                )
            _check(row)
            first = numbers.setdefault(row.employee_number, row.line)
            if row.employee_number and first != row.line:
                row.messages.append(
                    _("Employee number %(number)s is already on row %(row)d.")
                    % {"number": row.employee_number, "row": first}
                )
            first = emails.setdefault(row.email, row.line)
            if row.email and first != row.line:
                row.messages.append(
                    _("E-mail address %(email)s is already on row %(row)d.")
                    % {"email": row.email, "row": first}
                )
            rows.append(row)
    except csv.Error as exc:
        raise FileError(
            _("The file is not valid CSV (row %(row)d): %(error)s")
            % {"row": reader.line_num, "error": exc}
        ) from exc
    return rows
