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
    path("seasons/<int:pk>/", seasons.SeasonDetailApi.as_view(), name="season-detail"),
    path("racecourses/", seasons.RacecourseListApi.as_view(), name="racecourse-list"),
    path(
        "racecourses/<int:pk>/",
        seasons.RacecourseDetailApi.as_view(),
        name="racecourse-detail",
    ),
    path("challenges/", seasons.ChallengeListApi.as_view(), name="challenge-list"),
    path(
        "challenges/<int:pk>/",
        seasons.ChallengeDetailApi.as_view(),
        name="challenge-detail",
    ),
    # Stage windows: read, close, confirm.
    path("windows/", windows.WindowListApi.as_view(), name="window-list"),
    path("windows/<int:pk>/", windows.WindowDetailApi.as_view(), name="window-detail"),
    path(
        "windows/<int:pk>/close/", windows.WindowCloseApi.as_view(), name="window-close"
    ),
    path(
        "windows/<int:pk>/confirm/",
        windows.WindowConfirmApi.as_view(),
        name="window-confirm",
    ),
    # Gestation: catalogue, budgets, trainer pool.
    path(
        "seasons/<int:pk>/resources/",
        catalogue.SeasonResourcesApi.as_view(),
        name="season-resources",
    ),
    path(
        "racecourses/<int:pk>/budgets/",
        catalogue.RacecourseBudgetsApi.as_view(),
        name="racecourse-budgets",
    ),
    path(
        "seasons/<int:pk>/trainers/",
        catalogue.SeasonTrainersApi.as_view(),
        name="season-trainers",
    ),
    # Evaluation: rubrics.
    path(
        "racecourses/<int:pk>/rubric/",
        rubrics.RubricApi.as_view(),
        name="rubric-detail",
    ),
    path(
        "racecourses/<int:pk>/rubric/criteria/",
        rubrics.CriterionCreateApi.as_view(),
        name="rubric-criteria",
    ),
    path(
        "racecourses/<int:pk>/rubric/order/",
        rubrics.CriteriaReorderApi.as_view(),
        name="rubric-order",
    ),
    path(
        "criteria/<int:pk>/",
        rubrics.CriterionDetailApi.as_view(),
        name="criterion-detail",
    ),
]
