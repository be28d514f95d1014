"""The import's Celery task, and the progress it writes as it goes."""

import pytest

from horserace.accounts.directory import services
from horserace.accounts.directory.services import (
    directory_import_create,
    directory_import_run,
)
from horserace.accounts.directory.tasks import directory_import_task
from horserace.accounts.models import DirectoryImport, User

from .helpers import csv_bytes, person

pytestmark = pytest.mark.django_db


def _record(*rows):
    return directory_import_create(name="p.csv", data=csv_bytes(*rows), actor=None)


def test_the_task_runs_a_pending_import_once():
    record = _record(person("E1"), person("E2"))
    assert directory_import_task.delay(record.pk).get() == "done"
    assert directory_import_task.delay(record.pk).get() == "done"
    record.refresh_from_db()
    assert (record.created, record.unchanged) == (2, 0)
    assert User.objects.filter(employee_number__in=["E1", "E2"]).count() == 2


def test_the_task_of_a_deleted_import_does_nothing():
    assert directory_import_task.delay(999999).get() == "missing"


def test_progress_is_saved_chunk_by_chunk(monkeypatch):
    monkeypatch.setattr(services, "CHUNK", 2)
    record = _record(*(person(f"E{n}") for n in range(5)))
    seen = []

    def spy(done, total):
        saved = DirectoryImport.objects.get(pk=record.pk)
        seen.append((done, total, saved.processed, saved.status))

    directory_import_run(directory_import=record, progress=spy)
    assert seen == [
        (0, 5, 0, "running"),
        (2, 5, 2, "running"),
        (4, 5, 4, "running"),
        (5, 5, 5, "running"),
    ]


def test_an_import_that_breaks_is_marked_failed_not_left_running(monkeypatch):
    def broken(rows, departments, progress):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_people", broken)
    record = _record(person("E1"))
    with pytest.raises(RuntimeError):
        directory_import_run(directory_import=record)
    record.refresh_from_db()
    assert record.status == DirectoryImport.Status.FAILED and record.finished_at
    assert record.errors[-1]["messages"] == ["The import stopped: disk full"]
