"""Export jobs: written by a worker under the requester's rights, then purged.

``export_job_run`` (the Celery task's body) claims a queued job, writes the
file in the requester's time zone, recording progress as it goes;
``export_jobs_purge`` deletes jobs and files older than
``HORSERACE_EXPORT_KEEP_DAYS``.
"""

import logging
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from horserace.core.lifecycles import move
from horserace.core.models import ExportJob

from .registry import kind_get
from .writers import write_csv, write_xlsx

log = logging.getLogger(__name__)


class _Progress:
    """Records rows and percent on the job now and then, not on every row."""

    def __init__(self, job: ExportJob, total: int):
        self.job, self.total = job, max(total, 1)
        self.step = max(100, total // 50)
        self.rows = 0

    def __call__(self, n: int) -> None:
        self.rows = n
        if n % self.step == 0:
            percent = min(99, n * 100 // self.total)
            ExportJob.objects.filter(pk=self.job.pk).update(progress=percent, rows=n)


def _claim(job_id: int) -> ExportJob | None:
    """Queued -> running under a row lock, so a redelivered task does nothing."""
    with transaction.atomic():
        job = (
            ExportJob.objects.select_for_update()
            .select_related("requested_by")
            .filter(pk=job_id, status=ExportJob.Status.QUEUED)
            .first()
        )
        if job is None:
            return None
        move(job, "start", actor=job.requested_by)
        return job


def export_job_run(*, job_id: int) -> str:
    """Write the job's file; its status when done (``missing`` if not queued)."""
    job = _claim(job_id)
    if job is None:
        return "missing"
    user = job.requested_by
    try:
        kind = kind_get(job.kind)
        if kind is None or not user.is_active:
            raise ValueError(f"export {job.kind!r} cannot run")
        # The requester's rights now (they may have changed since the request).
        params = kind.clean(user, job.params)
        with timezone.override(user.time_zone or settings.TIME_ZONE):
            progress = _Progress(job, kind.count(user, params))
            header = kind.header(user, params)
            with tempfile.TemporaryFile() as out:
                if job.format == ExportJob.Format.CSV:
                    write_csv(out, header, kind.rows(user, params), progress=progress)
                else:
                    write_xlsx(
                        out,
                        header,
                        kind.rows(user, params),
                        title=kind.slug,
                        progress=progress,
                    )
                out.seek(0)
                job.file.save(kind.filename(params, job.format), File(out), save=False)
    except Exception as error:  # a failed export is reported, never retried
        log.exception("export job %s failed", job.pk)
        job.error = str(error)[:2000] or error.__class__.__name__
        job.finished_at = timezone.now()
        move(job, "fail", update_fields=["error", "finished_at"])
        return job.status
    job.progress = 100
    job.rows = progress.rows
    job.finished_at = timezone.now()
    move(job, "finish", update_fields=["progress", "rows", "file", "finished_at"])
    return job.status


def export_jobs_purge(*, now=None) -> int:
    """Delete jobs (and their files) older than the keeping time; how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.HORSERACE_EXPORT_KEEP_DAYS)
    count = 0
    for job in ExportJob.objects.filter(created_at__lt=cutoff).iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    return count
