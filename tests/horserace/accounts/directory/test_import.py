"""The employee import: upserts, managers, leavers, bad rows, re-runs."""

import pytest

from horserace.accounts.directory.csvfile import FileError
from horserace.accounts.directory.services import (
    directory_import_create,
    directory_import_run,
    employees_import,
)
from horserace.accounts.models import Department, DirectoryImport, User
from tests.factories import DepartmentFactory, UserFactory

from .helpers import HEADER, csv_bytes, person

pytestmark = pytest.mark.django_db


def _run(*rows, full=False, actor=None):
    return employees_import(data=csv_bytes(*rows), actor=actor, full=full)


def test_a_first_import_creates_people_departments_and_managers():
    outcome = _run(
        person("E1", dept="eng", dept_name="Engineering"),
        person("E2", dept="app", dept_name="Apps", parent="eng", manager="E1"),
    )
    assert (outcome.created, outcome.updated, outcome.errors) == (2, 0, [])
    e1, e2 = (
        User.objects.get(employee_number="E1"),
        User.objects.get(employee_number="E2"),
    )
    assert e2.manager == e1 and e1.manager is None
    assert e2.department.code == "app" and e2.department.parent.code == "eng"
    assert e1.email == "e1@corp.example" and not e1.has_usable_password()


def test_a_manager_may_come_after_their_report():
    outcome = _run(person("E2", manager="E1"), person("E1"))
    assert outcome.errors == []
    assert User.objects.get(employee_number="E2").manager.employee_number == "E1"


def test_running_the_same_file_again_changes_nothing():
    rows = [
        person("E1"),
        person("E2", dept="app", dept_name="Apps", parent="eng", manager="E1"),
        person("E3", manager="E2", status="left"),
    ]
    _run(*rows)
    snapshot = list(User.objects.order_by("pk").values())
    again = _run(*rows)
    assert (again.created, again.updated, again.deactivated) == (0, 0, 0)
    assert again.unchanged == 3 and again.errors == []
    assert list(User.objects.order_by("pk").values()) == snapshot


def test_changes_update_e_mail_name_department_and_manager():
    _run(person("E1"), person("E2"), person("E3", manager="E1"))
    outcome = _run(
        person("E1"),
        person("E2", dept="ops", dept_name="Operations"),
        person("E3", email="new3@corp.example", name="Renamed", manager="E2"),
    )
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 2, 1)
    e3 = User.objects.get(employee_number="E3")
    assert (e3.email, e3.display_name, e3.manager.employee_number) == (
        "new3@corp.example",
        "Renamed",
        "E2",
    )
    assert User.objects.get(employee_number="E2").department.code == "ops"


def test_a_department_is_renamed_by_its_code():
    DepartmentFactory(code="eng", name="Old name")
    _run(person("E1", dept="eng", dept_name="Engineering"))
    assert Department.objects.get(code="eng").name == "Engineering"
    assert Department.objects.filter(code="eng").count() == 1


def test_a_person_known_only_by_e_mail_gets_their_number():
    known = UserFactory(email="ada@corp.example", employee_number=None)
    outcome = _run(person("E9", email="Ada@corp.example"))
    known.refresh_from_db()
    assert known.employee_number == "E9" and outcome.updated == 1
    assert User.objects.filter(email__iexact="ada@corp.example").count() == 1


def test_bad_rows_are_reported_and_the_rest_is_imported():
    outcome = _run(
        person("E1"),
        person("E2", email="not-an-address"),
        person("E1", email="twin@corp.example"),
        person("E3", manager="E404"),
        person("E4", status="retired"),
        person("", email="nobody@corp.example"),
    )
    by_row = {e["row"]: " ".join(e["messages"]) for e in outcome.errors}
    assert "not an e-mail address" in by_row[3]
    assert "already on row 2" in by_row[4]
    assert "Unknown manager E404" in by_row[5]
    assert "Unknown status" in by_row[6]
    assert "employee number is missing" in by_row[7]
    assert outcome.created == 1 and len(outcome.errors) == 5
    # The row with an unknown manager is imported, with no manager.
    assert User.objects.get(employee_number="E3").manager is None
    assert not User.objects.filter(employee_number__in=["E2", "E4"]).exists()
    assert User.objects.get(employee_number="E1").email == "e1@corp.example"


def test_an_e_mail_address_of_someone_else_is_refused():
    UserFactory(email="taken@corp.example", employee_number="X1")
    outcome = _run(person("E1", email="taken@corp.example"))
    assert "belongs to someone else" in outcome.errors[0]["messages"][0]
    assert not User.objects.filter(employee_number="E1").exists()


def test_a_missing_column_fails_the_whole_file():
    data = csv_bytes("E1,a@corp.example,A", header="employee_number,email,display_name")
    with pytest.raises(FileError, match="Columns missing: department_code"):
        employees_import(data=data, actor=None)
    assert not User.objects.filter(employee_number="E1").exists()


def test_a_department_circle_is_refused():
    _run(person("E1", dept="a", dept_name="A"), person("E2", dept="b", parent="a"))
    outcome = _run(person("E3", dept="a", dept_name="A", parent="b"))
    assert "circle" in outcome.errors[0]["messages"][0]
    assert Department.objects.get(code="a").parent is None


def test_a_leaver_is_deactivated_and_keeps_everything():
    _run(person("E1"), person("E2", manager="E1"), person("E3", manager="E2"))
    leaver = User.objects.get(employee_number="E2")
    rows = [
        person("E1"),
        person("E2", manager="E1", status="left"),
        person("E3", manager="E2"),
    ]
    outcome = _run(*rows)
    leaver.refresh_from_db()
    assert outcome.deactivated == 1 and not leaver.is_active
    assert User.objects.filter(pk=leaver.pk).exists()
    # Their report now reports to the leaver's manager, and that is reported;
    # the file still naming the leaver as manager is an error to fix.
    assert User.objects.get(employee_number="E3").manager.employee_number == "E1"
    assert {(h["kind"], h["to_name"]) for h in outcome.handovers} == {
        ("reports", "Person E1")
    }
    assert "Manager E2 has left" in outcome.errors[0]["messages"][0]
    again = _run(*rows)
    assert again.deactivated == 0 and again.handovers == []
    assert User.objects.get(employee_number="E3").manager.employee_number == "E1"


def test_a_full_file_deactivates_whoever_is_missing_but_not_the_unnumbered():
    _run(person("E1"), person("E2"))
    admin = UserFactory(employee_number=None)
    outcome = _run(person("E1"), full=True)
    assert outcome.deactivated == 1
    assert not User.objects.get(employee_number="E2").is_active
    admin.refresh_from_db()
    assert admin.is_active


def test_without_full_a_missing_person_stays():
    _run(person("E1"), person("E2"))
    _run(person("E1"))
    assert User.objects.get(employee_number="E2").is_active


def test_a_leaver_who_comes_back_is_active_again():
    _run(person("E1"), person("E2", status="left"))
    _run(person("E1", status="left"))
    outcome = _run(person("E1"))
    assert outcome.updated == 1
    assert User.objects.get(employee_number="E1").is_active


def test_the_run_is_recorded_with_its_counts_and_errors():
    hr = UserFactory(is_hr_admin=True)
    record = directory_import_create(
        name="people.csv",
        data=csv_bytes(person("E1"), person("E2", email="bad")),
        actor=hr,
    )
    record = directory_import_run(directory_import=record)
    assert record.status == DirectoryImport.Status.DONE
    assert (record.total, record.processed, record.created, record.error_count) == (
        2,
        2,
        1,
        1,
    )
    assert record.errors[0]["row"] == 3 and record.started_by == hr
    assert record.started_at and record.finished_at
    # Claimed once: running it again does nothing.
    assert directory_import_run(directory_import=record).created == 1
    assert User.objects.filter(employee_number="E1").count() == 1


def test_an_unusable_file_fails_the_import():
    record = directory_import_create(name="x.csv", data=b"", actor=None)
    record = directory_import_run(directory_import=record)
    assert record.status == DirectoryImport.Status.FAILED
    assert record.errors == [
        {"row": 0, "employee_number": "", "messages": ["The file is empty."]}
    ]


def test_header_names_are_case_and_space_insensitive():
    header = ", ".join(c.upper() for c in HEADER.split(","))
    outcome = employees_import(data=csv_bytes(person("E1"), header=header), actor=None)
    assert outcome.created == 1


def test_a_leaving_captains_team_is_handed_over_and_reported():
    from ideas.models import Stage, TeamMembership
    from tests.factories import idea_in_stage

    _run(person("E1"), person("E2", manager="E1"))
    captain = User.objects.get(employee_number="E2")
    idea = idea_in_stage(Stage.REGISTERED, author=captain)
    outcome = _run(person("E1"), person("E2", manager="E1", status="left"))
    assert (
        TeamMembership.objects.get(idea=idea, role="captain").user.employee_number
        == "E1"
    )
    assert outcome.handovers == [
        {
            "kind": "captaincy",
            "subject": idea.title,
            "object_id": idea.pk,
            "from_user_id": captain.pk,
            "to_user_id": User.objects.get(employee_number="E1").pk,
            "to_name": "Person E1",
            "note": "",
        }
    ]


def test_a_leavers_ballots_and_ideas_stay():
    from ideas.models import Idea
    from tests.factories import idea_draft
    from tests.voting.factories import screening_idea, screening_round
    from voting.models import Ballot
    from voting.screening.services.ballots import ballot_cast

    _run(person("E1"))
    voter = User.objects.get(employee_number="E1")
    idea = screening_idea(screening_round())
    ballot_cast(voter=voter, idea=idea, choice="support")
    own = idea_draft(author=voter)
    _run(person("E1", status="left"))
    assert Ballot.objects.filter(voter=voter).count() == 1
    assert Idea.objects.filter(pk=own.pk, author=voter).exists()


def test_a_parent_known_only_as_a_parent_is_made_from_its_code():
    outcome = _run(person("E1", dept="apps", dept_name="Apps", parent="group"))
    assert outcome.errors == []
    group = Department.objects.get(code="group")
    assert group.name == "group" and group.parent is None
    assert Department.objects.get(code="apps").parent == group
