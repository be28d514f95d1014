"""The weekly report and who subscribes to it (app label ``core``)."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class WeeklyReport(models.Model):
    """One week's report, computed once (``data``) and kept.

    ``week_start`` is the Monday the week starts on, in the site's time zone;
    one report per week. ``sent_at`` is set when subscribers were told, so a
    re-run tells nobody twice.
    """

    season = models.ForeignKey(
        "contests.Season",
        verbose_name=_("season"),
        on_delete=models.CASCADE,
        related_name="weekly_reports",
    )
    week_start = models.DateField(_("week starting"), unique=True)
    data = models.JSONField(_("computed report"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-week_start"]
        verbose_name = _("weekly innovation report")
        verbose_name_plural = _("weekly innovation reports")

    def __str__(self):
        return f"{self.week_start:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("core:report", args=[self.pk])

    @property
    def week_end(self) -> dt.date:
        """The Sunday the week ends on."""
        return self.week_start + dt.timedelta(days=6)


class ReportSubscription(models.Model):
    """A person who receives the weekly report as a notification."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="report_subscription",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("weekly report subscription")
        verbose_name_plural = _("weekly report subscriptions")

    def __str__(self):
        return str(self.user)
