"""Realization in the browser, under ``/realization/``."""

from django.urls import path  # noqa: F401

app_name = "realization"
urlpatterns = []
