"""Realization in the browser, under ``/realization/``."""

from django.urls import path

from ideas.views.realization.outcomes import (
    allocation_decide,
    allocation_propose,
    outcome_add,
    outcome_remove,
)
from ideas.views.realization.pages import approvals, desk, project
from ideas.views.realization.plan import (
    close,
    plan_create,
    tranche_add,
    tranche_approve,
    tranche_cancel,
    tranche_edit,
    tranche_review,
    tranche_send_back,
)

app_name = "realization"
urlpatterns = [
    path("", desk, name="desk"),
    path("approvals/", approvals, name="approvals"),
    path("ideas/<id:pk>/", project, name="project"),
    path("ideas/<id:pk>/outcomes/new/", outcome_add, name="outcome_add"),
    path(
        "ideas/<id:pk>/allocations/new/",
        allocation_propose,
        name="allocation_propose",
    ),
    path("ideas/<id:pk>/plan/new/", plan_create, name="plan_create"),
    path("ideas/<id:pk>/tranches/new/", tranche_add, name="tranche_add"),
    path("ideas/<id:pk>/close/", close, name="close"),
    path("outcomes/<id:pk>/remove/", outcome_remove, name="outcome_remove"),
    path(
        "allocations/<id:pk>/decide/",
        allocation_decide,
        name="allocation_decide",
    ),
    path("tranches/<id:pk>/edit/", tranche_edit, name="tranche_edit"),
    path("tranches/<id:pk>/cancel/", tranche_cancel, name="tranche_cancel"),
    path("tranches/<id:pk>/review/", tranche_review, name="tranche_review"),
    path("tranches/<id:pk>/approve/", tranche_approve, name="tranche_approve"),
    path(
        "tranches/<id:pk>/send-back/",
        tranche_send_back,
        name="tranche_send_back",
    ),
]
