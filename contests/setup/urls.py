"""Routes of the set-up: pages (the ``setup`` namespace, under ``/setup/``)
and API operations (``api_urlpatterns``, under ``/api/v1/``)."""

from django.urls import path

from . import apis, views

app_name = "setup"

urlpatterns = [
    path("roles/", views.roles, name="roles"),
    path("people/", views.people_search, name="people_search"),
    path("racecourses/<id:pk>/", views.racecourse_settings, name="racecourse"),
    path("racecourses/<id:pk>/challenges/", views.challenges, name="challenges"),
    path("racecourses/<id:pk>/budgets/", views.budgets, name="budgets"),
    path("racecourses/<id:pk>/people/", views.racecourse_people, name="people"),
    path("challenges/<id:pk>/", views.challenge_edit, name="challenge_edit"),
    path("seasons/<id:pk>/resources/", views.resources, name="resources"),
    path("seasons/<id:pk>/trainers/", views.trainers, name="trainers"),
]

api_urlpatterns = [
    path(
        "racecourses/<id:pk>/challenges/",
        apis.RacecourseChallengeCreateApi.as_view(),
        name="racecourse-challenges",
    ),
    path(
        "racecourses/<id:pk>/budgets/<id:resource_id>/",
        apis.RacecourseBudgetSetApi.as_view(),
        name="racecourse-budget",
    ),
    path(
        "racecourses/<id:pk>/admins/",
        apis.RacecourseAdminsApi.as_view(),
        name="racecourse-admins",
    ),
    path(
        "racecourses/<id:pk>/admins/<id:user_id>/",
        apis.RacecourseAdminRemoveApi.as_view(),
        name="racecourse-admin",
    ),
    path(
        "racecourses/<id:pk>/evaluators/",
        apis.RacecourseEvaluatorsApi.as_view(),
        name="racecourse-evaluators",
    ),
    path(
        "racecourses/<id:pk>/evaluators/<id:user_id>/",
        apis.RacecourseEvaluatorRemoveApi.as_view(),
        name="racecourse-evaluator",
    ),
    path("resources/<id:pk>/", apis.ResourceUpdateApi.as_view(), name="resource"),
    path(
        "seasons/<id:pk>/trainers/<id:user_id>/",
        apis.SeasonTrainerApi.as_view(),
        name="season-trainer",
    ),
    path("roles/<slug:role>/", apis.RoleApi.as_view(), name="role"),
    path(
        "roles/<slug:role>/<id:user_id>/",
        apis.RoleRemoveApi.as_view(),
        name="role-person",
    ),
]
