"""The roof's API routes: the season dashboard and the weekly reports."""

from django.urls import path

from .dashboards import apis as dashboard_apis
from .reports import apis as report_apis

urlpatterns = [
    path(
        "seasons/<id:pk>/dashboard/",
        dashboard_apis.SeasonDashboardApi.as_view(),
        name="season-dashboard",
    ),
    path(
        "reports/weekly/",
        report_apis.WeeklyReportListApi.as_view(),
        name="report-weekly-list",
    ),
    path(
        "reports/weekly/subscription/",
        report_apis.WeeklyReportSubscriptionApi.as_view(),
        name="report-weekly-subscription",
    ),
    path(
        "reports/weekly/<id:pk>/",
        report_apis.WeeklyReportDetailApi.as_view(),
        name="report-weekly-detail",
    ),
]
