"""HR's upload page, the progress page and its JSON, the sample file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from horserace.accounts.directory.csvfile import REQUIRED_COLUMNS
from horserace.accounts.directory.services import (
    directory_import_create,
    directory_import_run,
)
from horserace.accounts.models import DirectoryImport, User
from tests.factories import UserFactory

from .helpers import csv_bytes, person

pytestmark = pytest.mark.django_db

START = "/directory/imports/"


@pytest.fixture
def hr(client):
    user = UserFactory(is_hr_admin=True)
    client.force_login(user)
    return user


def _upload(client, data, **extra):
    return client.post(START, {"file": SimpleUploadedFile("people.csv", data), **extra})


def test_hr_sees_the_form_the_columns_and_the_sample(client, hr):
    page = client.get(START).content.decode()
    for column in REQUIRED_COLUMNS:
        assert f"<code>{column}</code>" in page
    sample = client.get("/directory/imports/sample.csv")
    assert sample["Content-Type"].startswith("text/csv")
    assert sample.content.decode().startswith(",".join(REQUIRED_COLUMNS))


def test_the_sample_file_imports_cleanly(client, hr):
    sample = client.get("/directory/imports/sample.csv").content
    record = directory_import_create(name="s.csv", data=sample, actor=hr)
    record = directory_import_run(directory_import=record)
    assert record.error_count == 0 and record.created == 3


def test_an_upload_runs_the_import_and_shows_its_report(
    client, hr, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(
            client, csv_bytes(person("E1"), person("E2", email="bad")), full="on"
        )
    record = DirectoryImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/directory/imports/{record.pk}/"
    assert record.full and record.started_by == hr
    page = client.get(response["Location"]).content.decode()
    assert "is not an e-mail address" in page
    assert "data-progress-url" not in page  # finished: no polling
    assert User.objects.filter(employee_number="E1").exists()


def test_a_running_import_polls_its_progress(client, hr):
    record = directory_import_create(
        name="p.csv", data=csv_bytes(person("E1")), actor=hr
    )
    page = client.get(f"/directory/imports/{record.pk}/").content.decode()
    url = f"/directory/imports/{record.pk}/progress/"
    assert f'data-progress-url="{url}"' in page and "<progress" in page
    body = client.get(url).json()
    assert body["status"] == "pending" and body["finished"] is False
    assert body["processed"] == 0


def test_a_file_that_is_not_csv_is_refused(client, hr):
    response = client.post(
        START, {"file": SimpleUploadedFile("people.xlsx", b"PK\x03\x04")}
    )
    assert response.status_code == 200
    assert "Upload a .csv file." in response.content.decode()
    assert not DirectoryImport.objects.exists()


@pytest.mark.parametrize(
    "url",
    [START, "/directory/imports/sample.csv", "{detail}", "{detail}progress/"],
)
def test_only_hr_may_import(client, url):
    record = directory_import_create(name="p.csv", data=b"", actor=None)
    url = url.format(detail=f"/directory/imports/{record.pk}/")
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    assert _upload(client, csv_bytes(person("E1"))).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page


def test_an_unknown_import_is_404(client, hr):
    assert client.get("/directory/imports/999999/").status_code == 404
    assert client.get("/directory/imports/999999/progress/").status_code == 404


def test_a_file_past_the_upload_limit_is_refused(client, hr, settings):
    settings.HORSERACE_ATTACHMENT_MAX_BYTES = 100
    response = _upload(client, csv_bytes(*(person(f"E{n}") for n in range(10))))
    assert "The file is larger than 1 MB." in response.content.decode()
    assert not DirectoryImport.objects.exists()
