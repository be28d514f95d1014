"""Attachments: size- and type-checked before anything is stored."""

import hashlib
import mimetypes
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from horserace.accounts.models import User
from horserace.common.validators import BIDI_CONTROLS, NoBidiControls

from ..models import Attachment, Idea
from .common import require

# Binary formats whose first bytes we know: a file claiming one of these
# extensions must start with one of its signatures.
_SIGNATURES = {
    "pdf": [b"%PDF-"],
    "png": [b"\x89PNG\r\n\x1a\n"],
    "jpg": [b"\xff\xd8\xff"],
    "jpeg": [b"\xff\xd8\xff"],
    "gif": [b"GIF87a", b"GIF89a"],
    "docx": [b"PK\x03\x04"],
    "pptx": [b"PK\x03\x04"],
    "xlsx": [b"PK\x03\x04"],
}
_TEXT = {"txt", "md", "csv"}


def _check_upload(upload) -> str:
    name = os.path.basename(upload.name or "")
    if BIDI_CONTROLS.search(name):  # "invoice<U+202E>fdp.exe" shows as "...exe.pdf"
        raise ValidationError({"file": NoBidiControls.message})
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = settings.HORSERACE_ATTACHMENT_EXTENSIONS
    if ext not in allowed:
        raise ValidationError(
            {
                "file": _("Files of this type are not accepted. Allowed: %(types)s.")
                % {"types": ", ".join(allowed)}
            }
        )
    limit = settings.HORSERACE_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            {
                "file": _("The file is too large (%(size)s; at most %(limit)s).")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            }
        )
    if upload.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if ext in _SIGNATURES and not any(head.startswith(s) for s in _SIGNATURES[ext]):
        raise ValidationError(
            {
                "file": _("The file's content does not match its .%(ext)s name.")
                % {"ext": ext}
            }
        )
    if ext in _TEXT and b"\x00" in head:
        raise ValidationError({"file": _("This does not look like a text file.")})
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


# Who may add or remove a file of each kind: the idea's own files while it is
# live; the final proposal's only while the proposal can still be submitted.
_KIND_PERMS: dict[str, str] = {
    Attachment.Kind.IDEA: "ideas.change_idea",
    Attachment.Kind.PROPOSAL: "ideas.submit_proposal",
}


@transaction.atomic
def attachment_add(
    *, idea: Idea, actor: User, upload, kind: str = Attachment.Kind.IDEA
) -> Attachment:
    """Store ``upload`` as a file of ``idea`` (``kind`` "idea" or "proposal")."""
    if kind not in _KIND_PERMS:
        raise ValidationError({"kind": _("Unknown kind of attachment.")})
    require(actor, _KIND_PERMS[kind], idea)
    content_type = _check_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return Attachment.objects.create(
        idea=idea,
        file=upload,
        name=os.path.basename(upload.name)[:200],
        size=upload.size,
        content_type=content_type,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
        kind=kind,
    )


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor: User) -> None:
    require(actor, _KIND_PERMS[attachment.kind], attachment.idea)
    stored = attachment.file
    attachment.delete()
    transaction.on_commit(lambda: stored.delete(save=False))
