"""Offline evaluation in the browser, under ``/evaluation/``."""

from django.urls import path  # noqa: F401

app_name = "evaluation"
urlpatterns = []

# --- evaluation: conflicts and assignments (voting/views/assignments.py) ---
# --- end evaluation: conflicts and assignments ---

# --- evaluation: scorecards and panel (voting/views/scorecards.py, panel.py) ---
# --- end evaluation: scorecards and panel ---
