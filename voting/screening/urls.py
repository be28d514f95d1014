"""Online screening in the browser: judging and results, per racecourse."""

from django.urls import path

from voting.screening.views.feedback import feedback
from voting.screening.views.judging import cast, judge, withdraw
from voting.screening.views.results import results, results_csv, results_refresh

app_name = "voting"
urlpatterns = [
    path("<id:racecourse_id>/judge/", judge, name="judge"),
    path("<id:racecourse_id>/judge/cast/", cast, name="cast"),
    path("<id:racecourse_id>/judge/withdraw/", withdraw, name="withdraw"),
    path("<id:racecourse_id>/results/", results, name="results"),
    path(
        "<id:racecourse_id>/results/refresh/", results_refresh, name="results_refresh"
    ),
    path("<id:racecourse_id>/results.csv", results_csv, name="results_csv"),
    path("ideas/<id:pk>/feedback/", feedback, name="feedback"),
]
