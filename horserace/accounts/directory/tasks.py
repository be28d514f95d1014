"""The directory import, run by a worker."""

from celery import shared_task

from ..models import DirectoryImport
from .services import directory_import_run


@shared_task(acks_late=True)
def directory_import_task(import_id: int) -> str:
    """Run a pending import; a second run of the same id does nothing (the
    import is claimed under a row lock), so a redelivered task is safe."""
    record = DirectoryImport.objects.filter(pk=import_id).first()
    if record is None:
        return "missing"
    return directory_import_run(directory_import=record).status
