"""``manage.py import_employees``: the same import, with a terminal progress bar."""

import io

import pytest
from django.core.management import CommandError, call_command

from horserace.accounts.models import DirectoryImport, User
from tests.factories import UserFactory

from .helpers import csv_bytes, person

pytestmark = pytest.mark.django_db


def _call(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_employees", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_reports_and_draws_a_progress_bar(tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(
        csv_bytes(person("E1"), person("E2", manager="E404"), person("E3"))
    )
    out, err = _call(path)
    assert (
        "3 rows: 2 created, 0 updated, 0 unchanged, 0 deactivated, 1 with errors" in out
    )
    assert "row 3 (E2): Unknown manager E404" in out
    assert "[" + "#" * 30 + "] 100% 3/3" in err
    record = DirectoryImport.objects.get()
    assert record.status == "done" and record.file.name.endswith(".csv")


def test_a_second_run_counts_everything_unchanged(tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes(person("E1"), person("E2", manager="E1")))
    _call(path)
    out, _err = _call(path, "--no-progress")
    assert "2 rows: 0 created, 0 updated, 2 unchanged" in out
    assert DirectoryImport.objects.count() == 2


def test_full_deactivates_the_missing_and_reports_handovers(tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes(person("E1"), person("E2", manager="E1")))
    _call(path)
    User.objects.filter(employee_number="E1").update(display_name="Boss")
    path.write_bytes(csv_bytes(person("E1", name="Boss")))
    hr = UserFactory(is_hr_admin=True, employee_number=None)
    out, _err = _call(path, "--full", "--actor", hr.email)
    assert "1 deactivated" in out
    assert not User.objects.get(employee_number="E2").is_active
    assert DirectoryImport.objects.first().started_by == hr


def test_a_file_without_the_columns_fails_with_the_reason(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("employee_number,email\nE1,a@corp.example\n")
    with pytest.raises(CommandError, match="0 rows"):
        _call(path)
    assert DirectoryImport.objects.get().status == "failed"


def test_an_unknown_file_or_actor_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        _call(tmp_path / "nope.csv")
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes(person("E1")))
    with pytest.raises(CommandError, match="No user"):
        _call(path, "--actor", "ghost@corp.example")
