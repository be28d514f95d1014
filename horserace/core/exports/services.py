"""Answering an export: at once for small ones, through an ``ExportJob`` for big ones.

``export_is_large`` compares the kind's row count with
``HORSERACE_EXPORT_INLINE_ROWS``; the views and the API answer a small export
with the file (``export_response``) and a large one with a job
(``export_job_create``; ``jobs`` runs it).
"""

import io

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404

from horserace.core.models import ExportJob

from .registry import ExportKind
from .tasks import export_job_task
from .writers import CONTENT_TYPES, csv_chunks, write_xlsx


def export_is_large(*, kind: ExportKind, user, params: dict) -> bool:
    return kind.count(user, params) > settings.HORSERACE_EXPORT_INLINE_ROWS


def _attachment(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def export_response(*, kind: ExportKind, user, params: dict, fmt: str):
    """The file as a download: CSV streamed row by row, XLSX written in memory."""
    header = kind.header(user, params)
    filename = kind.filename(params, fmt)
    if fmt == "csv":
        stream = StreamingHttpResponse(
            csv_chunks(header, kind.rows(user, params)),
            content_type=CONTENT_TYPES["csv"],
        )
        return _attachment(stream, filename)
    buffer = io.BytesIO()
    write_xlsx(buffer, header, kind.rows(user, params), title=kind.slug)
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES["xlsx"])
    return _attachment(response, filename)


def job_of_requester(*, user, pk: int) -> ExportJob:
    """One of ``user``'s own export jobs; anyone else's (HR included) is a 404."""
    return get_object_or_404(ExportJob, pk=pk, requested_by=user)


def job_file_response(*, job: ExportJob) -> FileResponse:
    """A finished job's file as a download (404 until it is done)."""
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    response = FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.file_name,
        content_type=CONTENT_TYPES[job.format],
    )
    response["Cache-Control"] = "private, no-store"
    return response


def export_job_create(*, kind: ExportKind, user, params: dict, fmt: str) -> ExportJob:
    """Queue a job (the caller has cleaned ``params`` for ``user``); the task
    starts when the transaction commits."""
    job = ExportJob.objects.create(
        requested_by=user, kind=kind.slug, format=fmt, params=params
    )
    export_job_task.delay_on_commit(job.pk)
    return job
