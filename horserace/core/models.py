"""The roof's own rows: the weekly innovation report and its subscribers."""

from .reports.models import ReportSubscription, WeeklyReport

__all__ = ["ReportSubscription", "WeeklyReport"]
