"""The directory import over the API: HR sends a file, then follows the run."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from horserace.accounts.models import DirectoryImport, User
from tests.factories import UserFactory

from .helpers import csv_bytes, person

pytestmark = pytest.mark.django_db

URL = "/api/v1/directory/imports/"


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def send(client, data: bytes, name="people.csv", **extra):
    return client.post(
        URL, {"file": SimpleUploadedFile(name, data), **extra}, format="multipart"
    )


@pytest.fixture
def hr():
    return client_for(UserFactory(is_hr_admin=True))


def test_hr_sends_a_file_and_follows_the_run_to_its_report(
    hr, django_capture_on_commit_callbacks
):
    data = csv_bytes(
        person("E1", dept="ops", dept_name="Operations"),
        person("E2", dept="ops", dept_name="Operations", manager="E1"),
        "E3,not-an-email,Broken,ops,Operations,,,active",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = send(hr, data)
    assert response.status_code == 202, response.content
    sent = response.json()
    assert sent["status"] == DirectoryImport.Status.PENDING
    assert not sent["finished"] and sent["file_name"] == "people.csv"

    run = hr.get(f"{URL}{sent['id']}/").json()
    assert (run["status"], run["finished"]) == ("done", True)
    assert (run["total"], run["created"], run["error_count"]) == (3, 2, 1)
    assert run["row_errors"][0]["row"] == 4
    assert User.objects.get(employee_number="E2").manager.employee_number == "E1"
    assert [r["id"] for r in hr.get(URL).json()] == [sent["id"]]


def test_a_full_file_deactivates_who_is_missing(hr, django_capture_on_commit_callbacks):
    UserFactory(employee_number="GONE")
    with django_capture_on_commit_callbacks(execute=True):
        sent = send(hr, csv_bytes(person("E1")), full="true").json()
    run = hr.get(f"{URL}{sent['id']}/").json()
    assert run["full"] is True and run["deactivated"] == 1
    assert not User.objects.get(employee_number="GONE").is_active


@pytest.mark.parametrize(
    "payload, field",
    [
        ({}, "file"),
        ({"file": SimpleUploadedFile("people.xlsx", b"PK\x03\x04")}, "file"),
    ],
)
def test_a_missing_or_wrong_file_is_a_400_and_stores_nothing(hr, payload, field):
    response = hr.post(URL, payload, format="multipart")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not DirectoryImport.objects.exists()


def test_only_hr_imports_or_reads_imports():
    employee = client_for(UserFactory())
    assert send(employee, csv_bytes(person("E1"))).status_code == 403
    assert employee.get(URL).status_code == 403
    assert client_for().get(URL).status_code == 401
    assert not DirectoryImport.objects.exists()
    run = DirectoryImport.objects.create(file="x.csv")
    assert employee.get(f"{URL}{run.pk}/").status_code == 403


def test_an_unknown_run_is_a_404(hr):
    assert hr.get(f"{URL}999999/").status_code == 404
