"""The season console's pages, under ``/console/`` in the ``console`` namespace."""

from django.urls import path

from . import views

app_name = "console"

urlpatterns = [
    path("", views.index, name="index"),
    path("seasons/new/", views.season_new, name="season_new"),
    path("seasons/<id:pk>/", views.season_timeline, name="season"),
    path("seasons/<id:pk>/edit/", views.season_edit, name="season_edit"),
    path("seasons/<id:pk>/review/", views.season_review, name="review"),
    path(
        "seasons/<id:pk>/departments/",
        views.department_racecourses,
        name="departments",
    ),
    path("racecourses/<id:pk>/windows/new/", views.window_add, name="window_add"),
    path("windows/<id:pk>/move/", views.window_move, name="window_move"),
    path(
        "windows/<id:pk>/close-early/",
        views.window_close_early,
        name="window_close_early",
    ),
]
