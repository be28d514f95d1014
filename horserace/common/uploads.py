"""Uploads stop being stored once they pass the attachment size limit.

Django hands every byte of a multipart upload to its upload handlers (memory,
then a temporary file) before any form or serializer sees the file, so a 2 GB
"attachment" would be written to disk in full only to be refused. The handler
here sits first: past ``HORSERACE_ATTACHMENT_MAX_BYTES`` it drops what the
later handlers had stored and passes them nothing more. The rest of the body
is still read off the connection (and thrown away), so the browser receives
the error page instead of a connection reset, and the file arrives as an
:class:`OversizeUpload` carrying only its name and size: the same size check
as always (``ideas.services.attachments``) then gives the clear "too large"
error, as a form message or a 400 JSON body.
"""

from io import BytesIO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class OversizeUpload(UploadedFile):
    """A file refused for its size: its name and size, and no content."""

    def __init__(self, *, name, content_type, size, charset, content_type_extra):
        super().__init__(BytesIO(), name, content_type, size, charset)
        self.content_type_extra = content_type_extra


class SizeLimitUploadHandler(FileUploadHandler):
    """Counts each file's bytes; past the limit, nothing more is kept."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = settings.HORSERACE_ATTACHMENT_MAX_BYTES
        self.received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        already_over = self.received > self.limit
        self.received += len(raw_data)
        if self.received <= self.limit:
            return raw_data
        if not already_over:
            self._discard_later_handlers_files()
        return None  # the later handlers get no more of this file

    def file_complete(self, file_size):
        if self.received <= self.limit:
            return None  # the memory or temporary-file handler has it
        return OversizeUpload(
            name=self.file_name,
            content_type=self.content_type,
            size=self.received,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )

    def _discard_later_handlers_files(self):
        """Close (and so delete) what the memory or temporary-file handler
        had stored of this file: it will never be completed."""
        handlers = self.request.upload_handlers if self.request else []
        for handler in handlers:
            if handler is not self and getattr(handler, "file", None) is not None:
                handler.file.close()
