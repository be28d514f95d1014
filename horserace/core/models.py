"""The roof's own rows: export jobs (``horserace.core.exports``), the weekly
innovation report and its subscribers (``horserace.core.reports``)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from horserace.common.lifecycles import StatusChangeBase
from horserace.common.models import TimeStampedModel

from .reports.models import ReportSubscription, WeeklyReport

__all__ = ["ExportJob", "ReportSubscription", "StatusChange", "WeeklyReport"]


def _export_upload_to(instance, filename: str) -> str:
    # An unguessable folder per job; the file is served only through the
    # download view, which checks the requester.
    return f"exports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}/{filename}"


class ExportJob(TimeStampedModel):
    """A large export, written by a Celery task; its file is kept for a week.

    Only ``requested_by`` may download it. ``params`` are the cleaned
    parameters of the export kind (``horserace.core.exports.registry``).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="export_jobs",
    )
    kind = models.CharField(_("export"), max_length=32)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    file = models.FileField(
        _("file"), upload_to=_export_upload_to, max_length=300, blank=True
    )
    error = models.TextField(_("error"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        indexes = [models.Index(fields=["requested_by", "-created_at"])]

    def __str__(self):
        return f"{self.kind}.{self.format} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def file_name(self) -> str:
        return (self.file.name or "").rsplit("/", 1)[-1]


class StatusChange(StatusChangeBase):
    """One row for every status change of an export job (``core/lifecycles.py``)."""

    class Meta(StatusChangeBase.Meta):
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
