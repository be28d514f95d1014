"""Export jobs, run by a worker, and the weekly purge of their files."""

from celery import shared_task

from .jobs import export_job_run, export_jobs_purge


@shared_task(acks_late=True)
def export_job_task(job_id: int) -> str:
    """Run a queued job; a second delivery finds it claimed and does nothing."""
    return export_job_run(job_id=job_id)


@shared_task
def export_jobs_purge_task() -> int:
    """Delete export files past their keeping time (safe to run twice)."""
    return export_jobs_purge()
