"""Writes for the weekly report: build it, tell subscribers, (un)subscribe."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from contests.models import Season
from contests.selectors import season_current
from horserace.notifications.services import event_send

from .events import WeeklyReportPublished
from .models import ReportSubscription, WeeklyReport
from .selectors import report_compute, week_start_of


def weekly_report_build(*, week_start: dt.date, season: Season | None = None):
    """The report of the week starting ``week_start`` (a Monday), made once.

    Idempotent: if the week has a report, it is returned as it is. The season
    is the current one (``None`` and no report if there is none).
    """
    existing = WeeklyReport.objects.filter(week_start=week_start).first()
    if existing is not None:
        return existing
    season = season or season_current()
    if season is None:
        return None
    data = report_compute(season=season, week_start=week_start)
    try:
        with transaction.atomic():
            return WeeklyReport.objects.create(
                season=season, week_start=week_start, data=data
            )
    except IntegrityError:  # built at the same moment by another run
        return WeeklyReport.objects.get(week_start=week_start)


@transaction.atomic
def weekly_report_publish(*, report: WeeklyReport) -> int:
    """Tell every subscriber once; how many were told now.

    The report row is locked and ``sent_at`` set, so a second run (or one at
    the same moment) sends nothing; the event's key (the report) also keeps
    a person from being told twice.
    """
    report = WeeklyReport.objects.select_for_update().get(pk=report.pk)
    if report.sent_at is not None:
        return 0
    rows = event_send(
        WeeklyReportPublished,
        about=report,
        url=report.get_absolute_url(),
        report=report.pk,
        week=report.week_start.isoformat(),
    )
    report.sent_at = timezone.now()
    report.save(update_fields=["sent_at"])
    return len(rows)


def weekly_report_run(*, now: dt.datetime | None = None) -> WeeklyReport | None:
    """Build and send the report of the last full week (Monday's task)."""
    now = now or timezone.now()
    last_week = week_start_of(now) - dt.timedelta(days=7)
    report = weekly_report_build(week_start=last_week)
    if report is not None:
        weekly_report_publish(report=report)
    return report


def report_subscribe(*, user) -> ReportSubscription:
    subscription, _created = ReportSubscription.objects.get_or_create(user=user)
    return subscription


def report_unsubscribe(*, user) -> None:
    ReportSubscription.objects.filter(user=user).delete()
