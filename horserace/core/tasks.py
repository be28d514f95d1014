"""Celery tasks of the roof (found by autodiscovery). Thin: call a service.
Periodic ones are declared in ``horserace/schedules.py``."""

from celery import shared_task

from horserace.celery import DATABASE_RETRY, reconnecting

from .exports.tasks import export_job_task, export_jobs_purge_task
from .reports.services import weekly_report_run

__all__ = ["export_job_task", "export_jobs_purge_task", "weekly_report"]


@shared_task(**DATABASE_RETRY)
def weekly_report() -> int | None:
    """Build last week's innovation report and tell its subscribers (once)."""
    with reconnecting():
        report = weekly_report_run()
        return None if report is None else report.pk
