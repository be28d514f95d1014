"""API for the rules of the race: seasons, racecourses, challenges and windows.

REST clients read them; HR sets seasons up through the season console
(``console``: create, change, copy, review and open a season, add department
racecourses and windows, move a window or close it early, read its history).
HR and racecourse admins may apply a closed window's rule now (``close``,
through ``contests.closing``). Deciding a window left to
a person is screening's (``voting.screening.apis.windows``); the gestation catalogue is
``ideas.gestation.apis.catalogue`` and rubrics are ``voting.evaluation.apis.rubrics``.

Where things are: ``seasons`` (seasons, racecourses, challenges; their
shapes in ``serializers``), ``windows`` (stage windows: read, close). The
routes are here.
"""

from django.urls import path

from ..setup.urls import api_urlpatterns as setup_api_urlpatterns
from . import console, seasons, windows

urlpatterns = [
    # Seasons, racecourses and challenges (seasons are written by the console).
    path("seasons/", console.SeasonListApi.as_view(), name="season-list"),
    path("seasons/<id:pk>/", console.SeasonDetailApi.as_view(), name="season-detail"),
    path("racecourses/", seasons.RacecourseListApi.as_view(), name="racecourse-list"),
    path(
        "racecourses/<id:pk>/",
        seasons.RacecourseDetailApi.as_view(),
        name="racecourse-detail",
    ),
    path("challenges/", seasons.ChallengeListApi.as_view(), name="challenge-list"),
    path(
        "challenges/<id:pk>/",
        seasons.ChallengeDetailApi.as_view(),
        name="challenge-detail",
    ),
    # Stage windows: read, close, confirm.
    path("windows/", windows.WindowListApi.as_view(), name="window-list"),
    path("windows/<id:pk>/", console.WindowDetailApi.as_view(), name="window-detail"),
    path(
        "windows/<id:pk>/close/", windows.WindowCloseApi.as_view(), name="window-close"
    ),
    # The season console.
    path("seasons/<id:pk>/copy/", console.SeasonCopyApi.as_view(), name="season-copy"),
    path("seasons/<id:pk>/open/", console.SeasonOpenApi.as_view(), name="season-open"),
    path(
        "seasons/<id:pk>/review/",
        console.SeasonReviewApi.as_view(),
        name="season-review",
    ),
    path(
        "seasons/<id:pk>/department-racecourses/",
        console.DepartmentRacecoursesApi.as_view(),
        name="season-department-racecourses",
    ),
    path(
        "racecourses/<id:pk>/windows/",
        console.WindowCreateApi.as_view(),
        name="racecourse-windows-create",
    ),
    path(
        "windows/<id:pk>/close-early/",
        console.WindowCloseEarlyApi.as_view(),
        name="window-close-early",
    ),
    path(
        "windows/<id:pk>/changes/",
        console.WindowChangeListApi.as_view(),
        name="window-changes",
    ),
    # Setting up racecourses, challenges, catalogue, budgets, trainers, roles.
    *setup_api_urlpatterns,
]
