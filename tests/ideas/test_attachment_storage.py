"""Attachments reach their bytes only through Django's storage API, so the
local disk and an S3 bucket are interchangeable: here an in-memory storage
stands in for the bucket (no network)."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ideas.services.attachments import attachment_add, attachment_remove
from tests.factories import idea_draft

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"


@pytest.fixture
def in_memory_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    # Anything that went around the storage API would land here.
    settings.MEDIA_ROOT = tmp_path / "must-stay-empty"
    yield default_storage
    assert not settings.MEDIA_ROOT.exists()


def test_an_attachment_round_trips_through_the_storage(
    client, in_memory_storage, django_capture_on_commit_callbacks
):
    idea = idea_draft()
    attachment = attachment_add(
        idea=idea, actor=idea.author, upload=SimpleUploadedFile("plan.pdf", PDF)
    )
    assert type(in_memory_storage._wrapped).__name__ == "InMemoryStorage"
    stored_as = attachment.file.name
    assert in_memory_storage.exists(stored_as)

    client.force_login(idea.author)
    download = client.get(reverse("ideas:attachment_download", args=[attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF

    with django_capture_on_commit_callbacks(execute=True):
        attachment_remove(attachment=attachment, actor=idea.author)
    assert not in_memory_storage.exists(stored_as)


def test_the_same_name_twice_keeps_both_files(in_memory_storage):
    idea = idea_draft()
    first, second = (
        attachment_add(
            idea=idea,
            actor=idea.author,
            upload=SimpleUploadedFile("plan.pdf", PDF + tag),
        )
        for tag in (b"1", b"2")
    )
    assert first.file.name != second.file.name
    assert in_memory_storage.open(first.file.name).read().endswith(b"1")


def test_a_file_missing_from_the_storage_is_a_404(client, in_memory_storage):
    idea = idea_draft()
    attachment = attachment_add(
        idea=idea, actor=idea.author, upload=SimpleUploadedFile("plan.pdf", PDF)
    )
    in_memory_storage.delete(attachment.file.name)
    client.force_login(idea.author)
    response = client.get(reverse("ideas:attachment_download", args=[attachment.pk]))
    assert response.status_code == 404


@pytest.fixture
def s3_bucket(settings, tmp_path, monkeypatch):
    """django-storages' S3 backend against moto's in-process S3 (botocore
    never opens a socket), with the options settings/base.py gives it."""
    moto = pytest.importorskip("moto")
    import boto3

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with moto.mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="hr-test")
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": "hr-test",
                    "region_name": "us-east-1",
                    "file_overwrite": False,
                    "default_acl": None,
                },
            },
        }
        settings.MEDIA_ROOT = tmp_path / "must-stay-empty"
        yield default_storage
    assert not settings.MEDIA_ROOT.exists()


def test_an_attachment_round_trips_through_s3(
    client, s3_bucket, django_capture_on_commit_callbacks
):
    idea = idea_draft()
    first, second = (
        attachment_add(
            idea=idea,
            actor=idea.author,
            upload=SimpleUploadedFile("plan.pdf", PDF + tag),
        )
        for tag in (b"1", b"2")
    )
    assert type(s3_bucket._wrapped).__name__ == "S3Storage"
    assert first.file.name != second.file.name, "the second must not overwrite"

    client.force_login(idea.author)
    download = client.get(reverse("ideas:attachment_download", args=[first.pk]))
    assert b"".join(download.streaming_content) == PDF + b"1"

    stored_as = first.file.name
    with django_capture_on_commit_callbacks(execute=True):
        attachment_remove(attachment=first, actor=idea.author)
    assert not s3_bucket.exists(stored_as)
    s3_bucket.delete(second.file.name)
    missing = client.get(reverse("ideas:attachment_download", args=[second.pk]))
    assert missing.status_code == 404
