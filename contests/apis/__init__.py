"""API for the rules of the race: seasons, racecourses, challenges and windows.

HR manages these in the Django admin; REST clients read them. The one write
is a window's close: HR and racecourse admins may apply a closed window's
rule now (``close``, through ``contests.closing``). Deciding a window left to
a person is screening's (``voting.screening.apis.windows``); the gestation catalogue is
``ideas.gestation.apis.catalogue`` and rubrics are ``voting.evaluation.apis.rubrics``.

Where things are: ``seasons`` (seasons, racecourses, challenges; their
shapes in ``serializers``), ``windows`` (stage windows: read, close). The
routes are here.
"""

from django.urls import path

from ..setup.urls import api_urlpatterns as setup_api_urlpatterns
from . import seasons, windows

urlpatterns = [
    # Seasons, racecourses and challenges.
    path("seasons/", seasons.SeasonListApi.as_view(), name="season-list"),
    path("seasons/<id:pk>/", seasons.SeasonDetailApi.as_view(), name="season-detail"),
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
    path("windows/<id:pk>/", windows.WindowDetailApi.as_view(), name="window-detail"),
    path(
        "windows/<id:pk>/close/", windows.WindowCloseApi.as_view(), name="window-close"
    ),
    # Setting up racecourses, challenges, catalogue, budgets, trainers, roles.
    *setup_api_urlpatterns,
]
