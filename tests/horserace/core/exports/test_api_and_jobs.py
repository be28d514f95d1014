"""Exports through the API with a token, large ones as jobs, and the purge."""

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from openpyxl import load_workbook

from horserace.core.exports.jobs import export_jobs_purge
from horserace.core.models import ExportJob

from .world import apply_round, build, read_csv, response_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return build()


def token_client(user) -> Client:
    _, token = AuthToken.objects.create(user)
    return Client(HTTP_AUTHORIZATION=f"Token {token}")


def test_a_token_fetches_an_export_as_csv_and_excel(w):
    api = token_client(w.hr)
    response = api.get(reverse("api:export-csv", args=["ballots"]))
    assert response.status_code == 200
    rows = read_csv(response)
    assert rows[0][0] == "season" and len(rows) == 6
    response = api.get(
        reverse("api:export-xlsx", args=["ideas"]), {"racecourse": w.rc_a.pk}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response_bytes(response))).active
    assert sheet["A1"].value == "idea_id"
    assert sheet.max_row == 3


def test_the_leaderboard_is_an_export_a_token_can_fetch(w):
    from tests.factories_scoring import tally_for

    tally_for(w.idea, rank=1, rate=0.5, voters=4, window=w.window)
    api = token_client(w.hr)
    response = api.get(
        reverse("api:export-csv", args=["leaderboard"]), {"racecourse": w.rc_a.pk}
    )
    assert response.status_code == 200
    rows = read_csv(response)
    assert rows[0][:3] == ["rank", "registration_code", "title"]
    assert rows[1][:6] == ["1", w.idea.registration.code, "Cold boxes", "2", "2", "4"]
    # Hidden counts: a plain employee waits for the close.
    w.window.hide_counts = True
    w.window.save()
    response = token_client(w.employee).get(
        reverse("api:export-csv", args=["leaderboard"]), {"racecourse": w.rc_a.pk}
    )
    assert response.status_code == 403


def test_api_refuses_by_role_and_bad_input_as_json(w):
    api = token_client(w.employee)
    for kind in ("ballots", "scorecards"):
        response = api.get(reverse("api:export-csv", args=[kind]))
        assert response.status_code == 403
        assert response.json()["code"]
    response = token_client(w.hr).get(
        reverse("api:export-csv", args=["ballots"]), {"season": "x"}
    )
    assert response.status_code == 400
    assert "season" in response.json()["errors"]
    assert token_client(w.hr).get("/api/v1/exports/nope.csv").status_code == 404
    assert Client().get(reverse("api:export-csv", args=["ballots"])).status_code == 401


def test_api_lists_the_kinds_a_user_may_use(w):
    slugs = [k["slug"] for k in token_client(w.employee).get("/api/v1/exports/").json()]
    assert "records" in slugs and "ballots" not in slugs
    slugs = [k["slug"] for k in token_client(w.hr).get("/api/v1/exports/").json()]
    assert {"ideas", "ballots", "scorecards", "grants", "records"} <= set(slugs)


def test_a_large_export_runs_as_a_job_to_100_and_downloads(
    w, settings, django_capture_on_commit_callbacks
):
    settings.HORSERACE_EXPORT_INLINE_ROWS = 2
    api = token_client(w.hr)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.get(reverse("api:export-csv", args=["ballots"]))
    assert response.status_code == 202
    job = ExportJob.objects.get(pk=response.json()["id"])
    assert response["Location"] == f"/api/v1/exports/jobs/{job.pk}/"
    status = api.get(response["Location"]).json()
    assert status["status"] == "done" and status["progress"] == 100
    assert status["finished"] and status["rows"] == 5
    download = api.get(status["file_url"])
    assert download.status_code == 200
    text = response_bytes(download).decode("utf-8")
    assert text.startswith("\ufeffseason,racecourse")
    assert "Secret Voter" not in text
    # Only the requester: another HR admin gets 404 for the job and its file.
    other_hr = token_client(type(w.hr).objects.create_user(
        email="hr2@example.com", password="pw-12345678", is_hr_admin=True
    ))  # fmt: skip
    assert other_hr.get(response["Location"]).status_code == 404
    assert other_hr.get(status["file_url"]).status_code == 404


def test_post_queues_a_job_and_the_browser_follows_it(
    w, client, settings, django_capture_on_commit_callbacks
):
    api = token_client(w.admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/exports/",
            {"kind": "ideas", "format": "xlsx", "params": {"racecourse": w.rc_a.pk}},
            content_type="application/json",
        )
    assert response.status_code == 202
    job = ExportJob.objects.get(pk=response.json()["id"])
    assert (job.status, job.progress, job.rows) == ("done", 100, 2)
    assert job.file.name.endswith(f"ideas-racecourse-{w.rc_a.pk}.xlsx")
    # Another racecourse's: 403 before any job is made.
    response = api.post(
        "/api/v1/exports/",
        {"kind": "ideas", "format": "csv", "params": {"racecourse": w.rc_b.pk}},
        content_type="application/json",
    )
    assert response.status_code == 403
    # In the browser: a large export redirects to the job page, which polls.
    settings.HORSERACE_EXPORT_INLINE_ROWS = 0
    client.force_login(w.admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("exports:csv", args=["ballots"]))
    job = ExportJob.objects.order_by("-pk").first()
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:job", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert reverse("exports:job_file", args=[job.pk]) in page
    progress = reverse("exports:job_progress", args=[job.pk])
    assert progress not in page  # done: no more polling
    file = client.get(reverse("exports:job_file", args=[job.pk]))
    assert b"Cold boxes" in response_bytes(file)
    # The exports page lists the job by its title, with its download.
    page = client.get(reverse("exports:index")).content.decode()
    assert "Screening ballots, anonymised</a>" in page
    assert reverse("exports:job_file", args=[job.pk]) in page


def test_a_running_job_page_polls_its_progress(w, client):
    job = ExportJob.objects.create(
        requested_by=w.hr, kind="ballots", format="csv", status="running", progress=40
    )
    client.force_login(w.hr)
    page = client.get(reverse("exports:job", args=[job.pk])).content.decode()
    assert f'hx-get="{reverse("exports:job_progress", args=[job.pk])}"' in page
    part = client.get(reverse("exports:job_progress", args=[job.pk])).content.decode()
    assert "40%" in part
    client.force_login(w.employee)
    assert client.get(reverse("exports:job", args=[job.pk])).status_code == 404


def test_a_job_runs_once_and_fails_cleanly(w):
    from horserace.core.exports.jobs import export_job_run

    job = ExportJob.objects.create(
        requested_by=w.employee, kind="ballots", format="csv"
    )
    assert export_job_run(job_id=job.pk) == "failed"  # no longer allowed
    job.refresh_from_db()
    assert job.status == "failed" and job.error
    assert export_job_run(job_id=job.pk) == "missing"  # a redelivery does nothing


def test_old_job_files_are_purged(w, django_capture_on_commit_callbacks):
    api = token_client(w.hr)
    with django_capture_on_commit_callbacks(execute=True):
        api.post(
            "/api/v1/exports/",
            {"kind": "ballots", "format": "csv"},
            content_type="application/json",
        )
    job = ExportJob.objects.get()
    storage, name = job.file.storage, job.file.name
    assert storage.exists(name)
    assert export_jobs_purge(now=timezone.now() + dt.timedelta(days=6)) == 0
    assert export_jobs_purge(now=timezone.now() + dt.timedelta(days=8)) == 1
    assert not storage.exists(name)
    assert not ExportJob.objects.exists()


def test_feedback_through_the_api_and_export(w):
    api = token_client(w.captain)
    url = reverse("api:idea-feedback", args=[w.idea.pk])
    assert api.get(url).json() == []
    apply_round(w.window)
    rounds = api.get(url).json()
    assert len(rounds) == 1
    assert rounds[0]["supports"] == 2 and rounds[0]["opposes"] == 2
    assert rounds[0]["with_reason"] == 3
    assert [r["choice"] for r in rounds[0]["reasons"]] == [
        "support",
        "oppose",
        "oppose",
    ]
    assert "voter" not in repr(rounds).lower()
    assert token_client(w.employee).get(url).status_code == 404
    csv = token_client(w.captain).get(
        reverse("api:export-csv", args=["feedback"]), {"idea": w.idea.pk}
    )
    assert read_csv(csv)[1] == [
        "Alpha course",
        "1",
        "support",
        "Useful for small sellers",
    ]
