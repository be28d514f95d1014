"""Attachments: checked for size, type and content before anything is stored."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ideas.models import Attachment, Stage
from ideas.services.attachments import attachment_add, attachment_remove
from ideas.services.teams import invitation_accept, team_invite
from tests.factories import UserFactory, idea_draft, idea_in_stage

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
GIF = b"GIF89a" + b"\x00" * 16
ZIP = b"PK\x03\x04" + b"\x00" * 32


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("plan.pdf", PDF, "application/pdf"),
        ("sketch.png", PNG, "image/png"),
        ("photo.JPG", JPEG, "image/jpeg"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        ("flow.gif", GIF, "image/gif"),
        ("deck.pptx", ZIP, None),
        ("brief.docx", ZIP, None),
        ("budget.xlsx", ZIP, None),
        ("notes.txt", "就这样 plain text".encode(), "text/plain"),
        ("readme.md", b"# Plan\n", None),
        ("numbers.csv", b"a,b\n1,2\n", "text/csv"),
    ],
)
def test_allowed_files_are_stored_with_their_checksum(name, content, content_type):
    """Accepted files are stored under the idea with size, type and SHA-256."""
    idea = idea_draft()

    attachment = attachment_add(
        idea=idea, actor=idea.author, upload=_upload(name, content)
    )

    assert attachment.idea == idea
    assert attachment.name == name
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.uploaded_by == idea.author
    if content_type:
        assert attachment.content_type == content_type
    assert attachment.file.name.startswith(f"attachments/idea-{idea.pk}/")
    with attachment.file.open("rb") as stored:
        assert stored.read() == content


def test_the_stored_name_drops_any_directory_part():
    """A path in the uploaded name cannot place the file elsewhere."""
    idea = idea_draft()
    attachment = attachment_add(
        idea=idea, actor=idea.author, upload=_upload("../../etc/plan.pdf", PDF)
    )
    assert attachment.name == "plan.pdf"
    assert ".." not in attachment.file.name


def test_files_over_the_size_limit_are_refused(settings):
    """The configured maximum size is enforced."""
    settings.HORSERACE_ATTACHMENT_MAX_BYTES = 64
    idea = idea_draft()
    attachment_add(idea=idea, actor=idea.author, upload=_upload("ok.txt", b"x" * 64))
    with pytest.raises(ValidationError) as excinfo:
        attachment_add(
            idea=idea, actor=idea.author, upload=_upload("big.txt", b"x" * 65)
        )
    assert "file" in excinfo.value.message_dict
    assert "too large" in excinfo.value.message_dict["file"][0]
    assert Attachment.objects.count() == 1


@pytest.mark.parametrize(
    "name",
    ["tool.exe", "page.html", "script.js", "archive.zip", "noextension", "a.pdf.exe"],
)
def test_extensions_outside_the_whitelist_are_refused(name):
    """Only the configured file types are accepted."""
    idea = idea_draft()
    with pytest.raises(ValidationError) as excinfo:
        attachment_add(idea=idea, actor=idea.author, upload=_upload(name, PDF))
    assert "not accepted" in excinfo.value.message_dict["file"][0]
    assert not Attachment.objects.exists()


def test_whitelist_comes_from_settings(settings):
    """Operators can narrow the accepted types."""
    settings.HORSERACE_ATTACHMENT_EXTENSIONS = ["pdf"]
    idea = idea_draft()
    with pytest.raises(ValidationError):
        attachment_add(idea=idea, actor=idea.author, upload=_upload("a.png", PNG))
    attachment_add(idea=idea, actor=idea.author, upload=_upload("a.pdf", PDF))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("fake.pdf", b"MZ\x90\x00 this is a program"),
        ("fake.png", JPEG),
        ("fake.jpg", PNG),
        ("fake.gif", b"GIF90a" + b"\x00" * 8),
        ("fake.docx", PDF),
        ("fake.xlsx", b"<html>not a spreadsheet</html>"),
    ],
)
def test_content_that_does_not_match_the_extension_is_refused(name, content):
    """A file's first bytes must match the format its name claims."""
    idea = idea_draft()
    with pytest.raises(ValidationError) as excinfo:
        attachment_add(idea=idea, actor=idea.author, upload=_upload(name, content))
    assert "does not match" in excinfo.value.message_dict["file"][0]
    assert not Attachment.objects.exists()


def test_binary_content_in_a_text_file_is_refused():
    """A .txt file containing NUL bytes is not text."""
    idea = idea_draft()
    with pytest.raises(ValidationError):
        attachment_add(
            idea=idea, actor=idea.author, upload=_upload("notes.txt", b"ab\x00cd")
        )


@pytest.mark.parametrize("name", ["empty.txt", "empty.pdf"])
def test_empty_files_are_refused(name):
    """An empty file is not an attachment."""
    idea = idea_draft()
    with pytest.raises(ValidationError) as excinfo:
        attachment_add(idea=idea, actor=idea.author, upload=_upload(name, b""))
    assert "empty" in excinfo.value.message_dict["file"][0]


def test_only_the_captain_attaches_files():
    """Members and strangers cannot add files to the idea."""
    idea = idea_draft()
    member = UserFactory()
    invitation_accept(
        invitation=team_invite(idea=idea, actor=idea.author, invitee=member),
        actor=member,
    )
    for actor in (member, UserFactory()):
        with pytest.raises(PermissionDenied):
            attachment_add(idea=idea, actor=actor, upload=_upload("a.pdf", PDF))
    assert not Attachment.objects.exists()


def test_finished_ideas_take_no_attachments():
    """An idea that left the race can no longer be changed."""
    idea = idea_in_stage(Stage.WITHDRAWN)
    with pytest.raises(PermissionDenied):
        attachment_add(idea=idea, actor=idea.author, upload=_upload("a.pdf", PDF))


def test_remove_deletes_the_row_and_the_file_after_commit(
    django_capture_on_commit_callbacks,
):
    """The stored file goes only once the removal has committed."""
    idea = idea_draft()
    attachment = attachment_add(
        idea=idea, actor=idea.author, upload=_upload("plan.pdf", PDF)
    )
    storage, name = attachment.file.storage, attachment.file.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        attachment_remove(attachment=attachment, actor=idea.author)
    assert not Attachment.objects.exists()
    assert storage.exists(name), "the file stays until the transaction commits"

    for callback in callbacks:
        callback()
    assert not storage.exists(name)


def test_only_the_captain_removes_attachments():
    """A stranger cannot delete the team's files."""
    idea = idea_draft()
    attachment = attachment_add(
        idea=idea, actor=idea.author, upload=_upload("plan.pdf", PDF)
    )
    with pytest.raises(PermissionDenied):
        attachment_remove(attachment=attachment, actor=UserFactory())
    assert Attachment.objects.filter(pk=attachment.pk).exists()
