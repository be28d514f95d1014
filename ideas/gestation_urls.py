"""Gestation in the browser, under ``/gestation/``."""

from django.urls import path  # noqa: F401

app_name = "gestation"
urlpatterns = []
