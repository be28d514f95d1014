"""The roof's pages (namespace ``core``): the season dashboard and the
weekly innovation reports."""

from django.urls import path

from .dashboards import views as dashboard_views
from .reports import views as report_views

app_name = "core"

urlpatterns = [
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("reports/", report_views.report_list, name="reports"),
    path("reports/<id:pk>/", report_views.report_detail, name="report"),
    path(
        "reports/subscription/",
        report_views.subscription_toggle,
        name="report_subscription",
    ),
]
