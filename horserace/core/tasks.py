"""The roof's Celery tasks (found by autodiscovery): the export jobs."""

from .exports.tasks import export_job_task, export_jobs_purge_task

__all__ = ["export_job_task", "export_jobs_purge_task"]
