"""The exports API, under ``/api/v1/`` (the ``api`` namespace)."""

from django.urls import path

from . import apis

urlpatterns = [
    path("exports/", apis.ExportListApi.as_view(), name="export-list"),
    path("exports/<slug:kind>.csv", apis.ExportCsvApi.as_view(), name="export-csv"),
    path("exports/<slug:kind>.xlsx", apis.ExportXlsxApi.as_view(), name="export-xlsx"),
    path(
        "exports/jobs/<id:pk>/",
        apis.ExportJobDetailApi.as_view(),
        name="export-job-detail",
    ),
    path(
        "exports/jobs/<id:pk>/file/",
        apis.ExportJobFileApi.as_view(),
        name="export-job-file",
    ),
]
