"""An upload past the size limit stops being stored, and is still refused
with the clear "too large" error, on the page and in the API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from horserace.common.uploads import OversizeUpload
from tests.factories import UserFactory, idea_draft
from tests.factories_gestation import gestating_idea

LIMIT = 4096
RECORDED: list[int] = []


class RecordingTemporaryHandler(TemporaryFileUploadHandler):
    """Django's temporary-file handler, counting the bytes it writes."""

    def receive_data_chunk(self, raw_data, start):
        RECORDED.append(len(raw_data))
        return super().receive_data_chunk(raw_data, start)


@pytest.fixture
def small_limit(settings):
    settings.HORSERACE_ATTACHMENT_MAX_BYTES = LIMIT
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # big files go to a temp file
    settings.FILE_UPLOAD_HANDLERS = [
        f"{__name__}.RecordingTemporaryHandler" if "Temporary" in path else path
        for path in settings.FILE_UPLOAD_HANDLERS
    ]
    RECORDED.clear()


def test_bytes_past_the_limit_are_never_stored(small_limit):
    """A file 100 times the limit: at most the limit reaches the disk."""
    size = LIMIT * 100
    upload = SimpleUploadedFile("huge.pdf", b"%PDF-" + b"x" * (size - 5))
    request = RequestFactory().post("/upload/", {"file": upload})

    received = request.FILES["file"]

    assert sum(RECORDED) <= LIMIT
    assert isinstance(received, OversizeUpload)
    assert received.size == size
    assert received.name == "huge.pdf"
    assert received.read() == b""


def test_files_within_the_limit_arrive_whole(small_limit):
    content = b"%PDF-" + b"y" * (LIMIT - 5)
    request = RequestFactory().post(
        "/upload/", {"file": SimpleUploadedFile("ok.pdf", content)}
    )
    received = request.FILES["file"]
    assert not isinstance(received, OversizeUpload)
    assert received.read() == content


def test_two_files_are_counted_apart(small_limit):
    small = b"%PDF-" + b"a" * 100
    request = RequestFactory().post(
        "/upload/",
        {
            "first": SimpleUploadedFile("a.pdf", small),
            "second": SimpleUploadedFile("b.pdf", b"%PDF-" + b"b" * LIMIT * 3),
        },
    )
    assert request.FILES["first"].read() == small
    assert isinstance(request.FILES["second"], OversizeUpload)


@pytest.mark.django_db
def test_the_page_says_the_file_is_too_large(client, small_limit):
    idea = idea_draft()
    client.force_login(idea.author)
    upload = SimpleUploadedFile("huge.pdf", b"%PDF-" + b"x" * LIMIT * 10)
    response = client.post(
        reverse("ideas:attachment_upload", args=[idea.pk]),
        {"file": upload},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any("too large" in m and "40.0" in m for m in messages), messages
    assert not idea.attachments.exists()
    assert sum(RECORDED) <= LIMIT


@pytest.mark.django_db
def test_the_api_answers_400_with_the_field_error(small_limit):
    idea = gestating_idea()
    api = APIClient()
    api.force_authenticate(idea.author)
    upload = SimpleUploadedFile("huge.pdf", b"%PDF-" + b"x" * LIMIT * 10)
    response = api.post(
        reverse("api:idea-proposal-files", args=[idea.pk]),
        {"file": upload},
        format="multipart",
    )
    assert response.status_code == 400, response.content
    assert "too large" in response.json()["errors"]["file"][0]
    assert not idea.attachments.exists()
    assert sum(RECORDED) <= LIMIT


@pytest.mark.django_db
def test_the_admin_cannot_upload_around_the_checks(client):
    """The admin would store an over-size upload's empty stand-in (and skip
    the type check): attachments are added through the service only."""
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(reverse("admin:ideas_attachment_add")).status_code == 403
