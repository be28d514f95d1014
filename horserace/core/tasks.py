"""Celery tasks of the roof. Thin: call a service. Declared in
``horserace/schedules.py``."""

from celery import shared_task

from horserace.celery import DATABASE_RETRY, reconnecting

from .reports.services import weekly_report_run


@shared_task(**DATABASE_RETRY)
def weekly_report() -> int | None:
    """Build last week's innovation report and tell its subscribers (once)."""
    with reconnecting():
        report = weekly_report_run()
        return None if report is None else report.pk
