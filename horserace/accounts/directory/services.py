"""Writes of the directory: the employee import.

``directory_import_create`` stores an uploaded file as a pending
``DirectoryImport``; ``directory_import_run`` (the Celery task's and the
command's) claims it and applies it:

1. read and check every row (``csvfile``); a file that cannot be read, or
   lacks a column, fails as a whole and changes nothing;
2. departments by code, created or renamed, then their parents;
3. people by employee number (a person with no number yet is matched by
   e-mail), created or updated in bulk, a chunk per transaction so the
   progress is visible;
4. managers, once everyone is in (a manager may come after their report);
5. leavers (``status=left``, and with ``full`` everyone with an employee
   number who is not in the file) through ``person_leave``, the one door,
   which hands over what they held; nothing of theirs is deleted.

Bad rows are reported and skipped; the rest goes on. Running the same file
again changes nothing and counts every row unchanged.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..leavers import person_leave
from ..models import Department, DirectoryImport, User
from . import lifecycles
from .bulk import bulk_set
from .csvfile import FileError, Row, read_rows

CHUNK = 1000
Progress = Callable[[int, int], None]

#: The person fields an import writes (besides ``manager``, set afterwards).
_FIELDS = (
    "email",
    "display_name",
    "employee_number",
    "department_id",
    "locale",
    "time_zone",
    "is_active",
)


@dataclass
class Outcome:
    """What a run did, row by row, before it is written to the import."""

    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    errors: list[dict] = field(default_factory=list)
    handovers: list[dict] = field(default_factory=list)


def directory_import_create(
    *, name: str, data: bytes, actor: User | None, full: bool = False
) -> DirectoryImport:
    """Store the file as a pending import (started by the task or command)."""
    record = DirectoryImport(full=full, started_by=actor)
    record.file.save(name or "employees.csv", ContentFile(data), save=False)
    record.save()
    return record


def _claim(record: DirectoryImport) -> DirectoryImport | None:
    """Move a pending import to running; None when someone else has it."""
    with transaction.atomic():
        record = DirectoryImport.objects.select_for_update().get(pk=record.pk)
        if record.status != DirectoryImport.Status.PENDING:
            return None
        record.started_at = timezone.now()
        lifecycles.move(
            record, "start", actor=record.started_by, update_fields=["started_at"]
        )
    return record


def _department_ids(rows: list[Row]) -> tuple[dict[str, int], dict[int, str]]:
    """Create and rename departments, set parents; returns code → id and, for
    rows whose parent could not be set, the message (by row line)."""
    wanted: dict[str, tuple[str, str, int]] = {}  # code → (name, parent, line)
    for row in rows:
        if row.department_code:
            name, parent, line = wanted.get(row.department_code, ("", "", row.line))
            wanted[row.department_code] = (
                name or row.department_name,
                parent or row.parent_department_code,
                line,
            )
    existing = {d.code: d for d in Department.objects.all()}
    problems: dict[int, str] = {}
    # A parent named only as a parent (a division no one reports to directly)
    # is made with its code as its name; a later file may name it.
    above_only = {
        parent: parent
        for _name, parent, _line in wanted.values()
        if parent and parent not in wanted and parent not in existing
    }
    with transaction.atomic():
        new = [
            Department(code=code, name=name or code)
            for code, (name, _p, _l) in wanted.items()
            if code not in existing
        ] + [Department(code=code, name=code) for code in above_only]
        Department.objects.bulk_create(new)
        renamed = []
        for code, (name, _p, _l) in wanted.items():
            known = existing.get(code)
            if known is not None and name and known.name != name:
                known.name = name
                renamed.append(known)
        Department.objects.bulk_update(renamed, ["name", "updated_at"])
        existing = {d.code: d for d in Department.objects.all()}
        parents = {d.pk: d.parent_id for d in existing.values()}
        moved: list[Department] = []
        for code, (_n, parent_code, line) in wanted.items():
            if not parent_code:
                continue
            department, above = existing[code], existing[parent_code]
            if department.parent_id == above.pk:
                continue
            node: int | None = above.pk
            seen = {department.pk}
            while node is not None and node not in seen:
                seen.add(node)
                node = parents.get(node)
            if node is not None:
                problems[line] = _(
                    "Department “%(code)s” cannot sit below “%(parent)s”: "
                    "that would make a circle."
                ) % {"code": code, "parent": parent_code}
                continue
            department.parent_id = above.pk
            parents[department.pk] = above.pk
            moved.append(department)
        Department.objects.bulk_update(moved, ["parent", "updated_at"])
    codes = {code: d.pk for code, d in existing.items()}
    # A problem is reported on every row of that department's code.
    by_code = {wanted_code: wanted[wanted_code][2] for wanted_code in wanted}
    return codes, {
        row.line: problems[by_code[row.department_code]]
        for row in rows
        if row.department_code and by_code.get(row.department_code) in problems
    }


def _snapshot(user: User) -> tuple:
    return tuple(getattr(user, f) for f in _FIELDS) + (user.manager_id,)


def _people(
    rows: list[Row],
    departments: dict[str, int],
    progress: Callable[[int], None],
) -> tuple[dict[int, tuple], dict[int, User]]:
    """Create and update people (each row's ``user`` is set when applied);
    returns each existing person's state before, and those created."""
    people = list(User.objects.only(*_FIELDS, "manager_id"))
    by_number = {u.employee_number: u for u in people if u.employee_number}
    by_email = {u.email.lower(): u for u in people}
    before = {u.pk: _snapshot(u) for u in people}
    created: dict[int, User] = {}
    unusable = make_password(None)
    done = 0
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        new, changed = [], []
        for row in chunk:
            if not row.ok:
                continue
            user = by_number.get(row.employee_number)
            holder = by_email.get(row.email)
            if user is None and holder is not None and not holder.employee_number:
                user = holder  # known by e-mail only so far: the number is theirs
            if holder is not None and holder is not user:
                row.messages.append(
                    _("E-mail address %(email)s belongs to someone else (%(who)s).")
                    % {"email": row.email, "who": holder.employee_number or holder}
                )
                continue
            if user is None:
                if row.left:
                    continue  # never here, and gone: nothing to record
                user = User(
                    email=row.email,
                    display_name=row.display_name,
                    employee_number=row.employee_number,
                    department_id=departments.get(row.department_code),
                    password=unusable,
                )
                if row.locale:
                    user.locale = row.locale
                if row.time_zone:
                    user.time_zone = row.time_zone
                new.append(user)
            else:
                if user.email.lower() != row.email:
                    by_email.pop(user.email.lower(), None)
                user.email = row.email
                user.display_name = row.display_name
                user.employee_number = row.employee_number
                user.department_id = departments.get(row.department_code)
                user.locale = row.locale or user.locale
                user.time_zone = row.time_zone or user.time_zone
                if not row.left:
                    user.is_active = True  # back again
                if _snapshot(user)[:-1] != before[user.pk][:-1]:
                    changed.append(user)
            by_number[row.employee_number] = user
            by_email[row.email] = user
            row.user = user
        with transaction.atomic():
            User.objects.bulk_create(new)
            bulk_set(changed, list(_FIELDS))
        created.update((u.pk, u) for u in new)
        done += len(chunk)
        progress(done)
    return before, created


def _managers(rows: list[Row]) -> None:
    """Set everyone's manager, now that everyone is in (the file's people,
    and those already in the directory with a number). A manager who has
    left, or leaves in this file, is refused: their reports are handed over
    when they leave, and the file must name the new manager."""
    leaving = {r.employee_number for r in rows if r.left and r.user is not None}
    by_number = {}
    for number, pk, active in (
        User.objects.filter(employee_number__isnull=False)
        .values_list("employee_number", "id", "is_active")
        .iterator(chunk_size=5000)
    ):
        by_number[number] = pk if active and number not in leaving else 0
    changed = []
    for row in rows:
        user = row.user
        if user is None:
            continue
        manager_id = None
        if row.manager_employee_number:
            manager_id = by_number.get(row.manager_employee_number)
            if manager_id is None:
                row.messages.append(
                    _("Unknown manager %(number)s: the manager is left as it was.")
                    % {"number": row.manager_employee_number}
                )
                continue
            if manager_id == 0 and not row.left:
                row.messages.append(
                    _("Manager %(number)s has left: the manager is left as it was.")
                    % {"number": row.manager_employee_number}
                )
                continue
            if manager_id == 0:
                continue  # a leaver's manager who leaves too: nothing to set
        if user.manager_id != manager_id:
            user.manager_id = manager_id
            changed.append(user)
    with transaction.atomic():
        bulk_set(changed, ["manager_id"])


def _leave(users: list[User], actor: User | None, outcome: Outcome) -> None:
    for user in users:
        handovers = person_leave(user=user, actor=actor)
        outcome.deactivated += 1
        outcome.handovers.extend(h.as_dict() for h in handovers)


def employees_import(
    *,
    data: bytes,
    actor: User | None,
    full: bool = False,
    progress: Progress | None = None,
) -> Outcome:
    """Apply an employee file (see the module doc); raises ``FileError``
    when the file as a whole cannot be used.

    Each row lands in one count: created, updated, unchanged, deactivated,
    or errors (a row with an error may still be partly applied: with an
    unknown manager the person is imported and their manager left alone).
    """
    rows = read_rows(data)
    outcome = Outcome(total=len(rows))
    report = progress or (lambda done, total: None)
    report(0, len(rows))
    departments, department_problems = _department_ids([r for r in rows if r.ok])
    before, created = _people(rows, departments, lambda n: report(n, len(rows)))
    _managers(rows)
    leavers: list[User] = []
    for row in rows:
        if row.line in department_problems:
            row.messages.append(department_problems[row.line])
        if row.messages:
            outcome.errors.append(row.error())
        user = row.user
        if user is None:
            if row.ok:
                outcome.unchanged += 1  # a leaver never seen: nothing to do
        elif row.left and user.is_active:
            leavers.append(user)
        elif row.messages:
            pass
        elif user.pk in created:
            outcome.created += 1
        elif _snapshot(user) != before[user.pk]:
            outcome.updated += 1
        else:
            outcome.unchanged += 1
    if full:
        listed = {r.employee_number for r in rows if r.employee_number}
        leavers.extend(
            User.objects.filter(is_active=True, employee_number__isnull=False)
            .exclude(employee_number__in=listed)
            .exclude(pk__in=[actor.pk] if actor else [])
            .order_by("pk")
        )
    _leave(leavers, actor, outcome)
    return outcome


def _fail(record: DirectoryImport, message: str) -> DirectoryImport:
    with transaction.atomic():
        record = DirectoryImport.objects.select_for_update().get(pk=record.pk)
        record.errors = [
            *record.errors,
            {"row": 0, "employee_number": "", "messages": [message]},
        ]
        record.error_count = len(record.errors)
        record.finished_at = timezone.now()
        lifecycles.move(
            record,
            "fail",
            actor=record.started_by,
            update_fields=["errors", "error_count", "finished_at"],
        )
    return record


def directory_import_run(
    *, directory_import: DirectoryImport, progress: Progress | None = None
) -> DirectoryImport:
    """Claim a pending import and run it; does nothing for one already
    claimed (so the task may run twice). A file that cannot be used fails
    the import with its reason as the one error (row 0)."""
    claimed = _claim(directory_import)
    if claimed is None:
        return DirectoryImport.objects.get(pk=directory_import.pk)
    record: DirectoryImport = claimed

    def save_progress(done: int, total: int) -> None:
        DirectoryImport.objects.filter(pk=record.pk).update(processed=done, total=total)
        if progress is not None:
            progress(done, total)

    # The report's messages are stored as text: in the language of whoever
    # started the run (a worker has no request to take it from).
    language = record.started_by.locale if record.started_by else None
    try:
        with record.file.open("rb") as f:
            data = f.read()
        with translation.override(language or translation.get_language()):
            outcome = employees_import(
                data=data,
                actor=record.started_by,
                full=record.full,
                progress=save_progress,
            )
    except FileError as exc:
        return _fail(record, str(exc))
    except Exception as exc:
        # What was written stays (each chunk is its own transaction; running
        # the file again finishes the job); the page must not poll forever.
        _fail(record, _("The import stopped: %(error)s") % {"error": exc})
        raise
    with transaction.atomic():
        record = DirectoryImport.objects.select_for_update().get(pk=record.pk)
        record.total = record.processed = outcome.total
        record.created = outcome.created
        record.updated = outcome.updated
        record.unchanged = outcome.unchanged
        record.deactivated = outcome.deactivated
        record.errors = outcome.errors
        record.error_count = len(outcome.errors)
        record.handovers = outcome.handovers
        record.finished_at = timezone.now()
        lifecycles.move(
            record,
            "finish",
            actor=record.started_by,
            update_fields=[
                "total",
                "processed",
                "created",
                "updated",
                "unchanged",
                "deactivated",
                "errors",
                "error_count",
                "handovers",
                "finished_at",
            ],
        )
    return record
