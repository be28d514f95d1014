"""Online screening in the browser: judging and results, per racecourse."""

from django.urls import path

from . import views

app_name = "voting"
urlpatterns = [
    path("<id:racecourse_id>/judge/", views.judge, name="judge"),
    path("<id:racecourse_id>/judge/cast/", views.cast, name="cast"),
    path("<id:racecourse_id>/judge/withdraw/", views.withdraw, name="withdraw"),
    path("<id:racecourse_id>/results/", views.results, name="results"),
    path("<id:racecourse_id>/results.csv", views.results_csv, name="results_csv"),
]
