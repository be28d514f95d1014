"""The demo's weekly innovation reports: the last three weeks, as Monday's
task would have built them (nobody subscribes, so nobody is told)."""

import datetime as dt

from contests.models import Season
from horserace.core.reports.selectors import week_start_of
from horserace.core.reports.services import weekly_report_build


def reports_seed(*, season: Season, now: dt.datetime) -> None:
    this_week = week_start_of(now)
    for weeks_back in (3, 2, 1):
        weekly_report_build(
            week_start=this_week - dt.timedelta(days=7 * weeks_back), season=season
        )
