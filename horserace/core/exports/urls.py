"""The exports pages, under ``/exports/``."""

from django.urls import path

from . import views

app_name = "exports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:kind>.csv", views.download, {"fmt": "csv"}, name="csv"),
    path("<slug:kind>.xlsx", views.download, {"fmt": "xlsx"}, name="xlsx"),
    path("jobs/<id:pk>/", views.job_detail, name="job"),
    path("jobs/<id:pk>/progress/", views.job_progress, name="job_progress"),
    path("jobs/<id:pk>/file/", views.job_file, name="job_file"),
]
