"""``manage.py import_employees FILE.csv [--full] [--actor EMAIL]``.

Runs the same import as HR's upload page (``horserace.accounts.directory``),
in the foreground, with a progress bar on the terminal; the run is recorded
as a ``DirectoryImport`` like an upload.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from horserace.accounts.directory.services import (
    directory_import_create,
    directory_import_run,
)
from horserace.accounts.models import User

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Import employees, departments and managers from an HR CSV file."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file (columns: see README).")
        parser.add_argument(
            "--full",
            action="store_true",
            help="The file lists everyone: deactivate people with an employee "
            "number who are not in it.",
        )
        parser.add_argument(
            "--actor", help="E-mail of the HR admin the run is recorded for."
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="No progress bar."
        )

    def handle(self, *args, file, full, actor, no_progress, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        by = None
        if actor:
            by = User.objects.filter(email__iexact=actor).first()
            if by is None:
                raise CommandError(f"No user with e-mail {actor}")
        record = directory_import_create(
            name=path.name, data=path.read_bytes(), actor=by, full=full
        )
        bar = None if no_progress else self._bar
        record = directory_import_run(directory_import=record, progress=bar)
        if bar is not None:
            self.stderr.write("")
        out = self.stdout
        for error in record.errors:
            where = f"row {error['row']}" if error["row"] else "file"
            number = (
                f" ({error['employee_number']})" if error["employee_number"] else ""
            )
            out.write(f"{where}{number}: {'; '.join(error['messages'])}")
        for h in record.handovers:
            to = h["to_name"] or "nobody"
            note = f" ({h['note']})" if h["note"] else ""
            out.write(f"handover {h['kind']}: {h['subject']} → {to}{note}")
        summary = (
            f"{record.total} rows: {record.created} created, {record.updated} "
            f"updated, {record.unchanged} unchanged, {record.deactivated} "
            f"deactivated, {record.error_count} with errors "
            f"(import #{record.pk}, {record.status})"
        )
        if record.status == record.Status.FAILED:
            raise CommandError(summary)
        out.write(self.style.SUCCESS(summary))

    def _bar(self, done: int, total: int) -> None:
        share = done / total if total else 1.0
        filled = int(BAR_WIDTH * share)
        line = (
            f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] "
            f"{share:4.0%} {done}/{total}"
        )
        self.stderr.write(line, ending="")
        self.stderr.flush()
