"""HR's directory pages, under ``/directory/``."""

from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("imports/", views.import_start, name="import_start"),
    path("imports/<id:pk>/", views.import_detail, name="import"),
    path("imports/<id:pk>/progress/", views.import_progress, name="import_progress"),
    path("imports/sample.csv", views.import_sample, name="import_sample"),
]
