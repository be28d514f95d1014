"""Online screening in the browser: judging and results, per racecourse."""

from django.urls import path

from . import views

app_name = "voting"
urlpatterns = [
    path("<int:racecourse_id>/judge/", views.judge, name="judge"),
    path("<int:racecourse_id>/judge/cast/", views.cast, name="cast"),
    path("<int:racecourse_id>/judge/withdraw/", views.withdraw, name="withdraw"),
    path("<int:racecourse_id>/results/", views.results, name="results"),
    path("<int:racecourse_id>/results.csv", views.results_csv, name="results_csv"),
]
