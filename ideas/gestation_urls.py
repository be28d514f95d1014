"""Gestation in the browser, under ``/gestation/``."""

from django.urls import path

from ideas.views.gestation.desk import desk, eliminate, extension_grant
from ideas.views.gestation.proposal import (
    proposal,
    proposal_file_delete,
    proposal_file_upload,
)
from ideas.views.gestation.resources import request_detail
from ideas.views.gestation.trainers import (
    assignment_detail,
    assignment_end,
    trainer_assign,
    trainer_decline,
    trainer_home,
)
from ideas.views.gestation.workspace import (
    milestone_create,
    milestone_delete,
    milestone_done,
    request_create,
    trainer_request,
    update_create,
    workspace,
)

app_name = "gestation"
urlpatterns = [
    # The team workspace and what the team does there.
    path("ideas/<id:pk>/", workspace, name="workspace"),
    path("ideas/<id:pk>/requests/", request_create, name="request_create"),
    path("ideas/<id:pk>/milestones/", milestone_create, name="milestone_create"),
    path("ideas/<id:pk>/updates/", update_create, name="update_create"),
    path("ideas/<id:pk>/trainer/", trainer_request, name="trainer_request"),
    path("ideas/<id:pk>/proposal/", proposal, name="proposal"),
    path(
        "ideas/<id:pk>/proposal/files/",
        proposal_file_upload,
        name="proposal_file_upload",
    ),
    path(
        "proposal-files/<id:pk>/delete/",
        proposal_file_delete,
        name="proposal_file_delete",
    ),
    path("milestones/<id:pk>/done/", milestone_done, name="milestone_done"),
    path("milestones/<id:pk>/delete/", milestone_delete, name="milestone_delete"),
    # One resource request: the conversation and the decision.
    path("requests/<id:pk>/", request_detail, name="request"),
    # Trainers: their teams and session logs; assigning and ending.
    path("trainer/", trainer_home, name="trainer"),
    path("assignments/<id:pk>/", assignment_detail, name="assignment"),
    path("assignments/<id:pk>/end/", assignment_end, name="assignment_end"),
    path("assignments/<id:pk>/decline/", trainer_decline, name="trainer_decline"),
    path("ideas/<id:pk>/trainer/assign/", trainer_assign, name="trainer_assign"),
    # HR after the close: more time, or the end.
    path("ideas/<id:pk>/extension/", extension_grant, name="extension"),
    path("ideas/<id:pk>/eliminate/", eliminate, name="eliminate"),
    # The racecourse's gestation desk (HR and the racecourse's admins).
    path("racecourses/<id:pk>/", desk, name="desk"),
]
