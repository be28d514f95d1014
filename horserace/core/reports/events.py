"""The weekly report's notification event. Registered when ``core`` is ready."""

import datetime as dt

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from horserace.notifications.events import Event, register, register_area

from .models import ReportSubscription, WeeklyReport

register_area("reports.weekly", _("Reports"))


@register
class WeeklyReportPublished(Event):
    """To everyone subscribed to the weekly report (``about``), active."""

    kind = "reports.weekly.published"
    label = _("The weekly innovation report")
    params = ("report", "week")
    key = ("report",)
    subject = _("The weekly innovation report for the week of {week} is out")
    example = {"report": 1, "week": "2026-11-30"}

    @classmethod
    def recipients(cls, report: WeeklyReport):
        return [
            s.user
            for s in ReportSubscription.objects.select_related("user").filter(
                user__is_active=True
            )
        ]

    @classmethod
    def context(cls, params):
        out = dict(params)
        try:
            day = dt.date.fromisoformat(str(params["week"]))
        except ValueError:
            return out
        out["week"] = formats.date_format(day, "SHORT_DATE_FORMAT")
        return out
