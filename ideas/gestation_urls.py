"""Gestation in the browser, under ``/gestation/``."""

from django.urls import path

from .views import gestation as views

app_name = "gestation"
urlpatterns = [
    # The team workspace and what the team does there.
    path("ideas/<id:pk>/", views.workspace, name="workspace"),
    path("ideas/<id:pk>/requests/", views.request_create, name="request_create"),
    path("ideas/<id:pk>/milestones/", views.milestone_create, name="milestone_create"),
    path("ideas/<id:pk>/updates/", views.update_create, name="update_create"),
    path("ideas/<id:pk>/trainer/", views.trainer_request, name="trainer_request"),
    path("ideas/<id:pk>/proposal/", views.proposal, name="proposal"),
    path(
        "ideas/<id:pk>/proposal/files/",
        views.proposal_file_upload,
        name="proposal_file_upload",
    ),
    path(
        "proposal-files/<id:pk>/delete/",
        views.proposal_file_delete,
        name="proposal_file_delete",
    ),
    path("milestones/<id:pk>/done/", views.milestone_done, name="milestone_done"),
    path("milestones/<id:pk>/delete/", views.milestone_delete, name="milestone_delete"),
    # One resource request: the conversation and the decision.
    path("requests/<id:pk>/", views.request_detail, name="request"),
    # Trainers: their teams and session logs; assigning and ending.
    path("trainer/", views.trainer_home, name="trainer"),
    path("assignments/<id:pk>/", views.assignment_detail, name="assignment"),
    path("assignments/<id:pk>/end/", views.assignment_end, name="assignment_end"),
    path("assignments/<id:pk>/decline/", views.trainer_decline, name="trainer_decline"),
    path("ideas/<id:pk>/trainer/assign/", views.trainer_assign, name="trainer_assign"),
    # HR after the close: more time, or the end.
    path("ideas/<id:pk>/extension/", views.extension_grant, name="extension"),
    path("ideas/<id:pk>/eliminate/", views.eliminate, name="eliminate"),
    # The racecourse's gestation desk (HR and the racecourse's admins).
    path("racecourses/<id:pk>/", views.desk, name="desk"),
]
