"""API for the rules of the race: seasons, racecourses, challenges and windows.

HR manages these in the Django admin; REST clients read them. The one write
is a window's close: HR and racecourse admins may apply a closed window's
rule now (``close``) or decide a window left to a person (``confirm``).

Where things are: ``seasons`` (seasons, racecourses, challenges; their
shapes in ``serializers``), ``windows`` (stage windows: read, close,
confirm), ``catalogue`` (gestation's resources, budgets and trainer pool)
and ``rubrics`` (evaluation rubrics). The routes are here.
"""

from django.urls import path

from . import catalogue, rubrics, seasons, windows

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
    path(
        "windows/<id:pk>/confirm/",
        windows.WindowConfirmApi.as_view(),
        name="window-confirm",
    ),
    # Gestation: catalogue, budgets, trainer pool.
    path(
        "seasons/<id:pk>/resources/",
        catalogue.SeasonResourcesApi.as_view(),
        name="season-resources",
    ),
    path(
        "racecourses/<id:pk>/budgets/",
        catalogue.RacecourseBudgetsApi.as_view(),
        name="racecourse-budgets",
    ),
    path(
        "seasons/<id:pk>/trainers/",
        catalogue.SeasonTrainersApi.as_view(),
        name="season-trainers",
    ),
    # Evaluation: rubrics.
    path(
        "racecourses/<id:pk>/rubric/",
        rubrics.RubricApi.as_view(),
        name="rubric-detail",
    ),
    path(
        "racecourses/<id:pk>/rubric/criteria/",
        rubrics.CriterionCreateApi.as_view(),
        name="rubric-criteria",
    ),
    path(
        "racecourses/<id:pk>/rubric/order/",
        rubrics.CriteriaReorderApi.as_view(),
        name="rubric-order",
    ),
    path(
        "criteria/<id:pk>/",
        rubrics.CriterionDetailApi.as_view(),
        name="criterion-detail",
    ),
]
