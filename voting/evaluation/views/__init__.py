"""Offline evaluation in the browser, under ``/evaluation/`` (``voting.evaluation.urls``)."""
