"""The calendar's own pages. ``horserace.urls`` serves them under the
``contests`` namespace with the racecourse page and the window confirmation,
which belong to the floors above."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.racecourse_list, name="list"),
]
