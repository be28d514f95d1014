"""Realization in the browser, under ``/realization/``."""

from django.urls import path

from .views import realization as views

app_name = "realization"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("approvals/", views.approvals, name="approvals"),
    path("ideas/<id:pk>/", views.project, name="project"),
    path("ideas/<id:pk>/outcomes/new/", views.outcome_add, name="outcome_add"),
    path(
        "ideas/<id:pk>/allocations/new/",
        views.allocation_propose,
        name="allocation_propose",
    ),
    path("ideas/<id:pk>/plan/new/", views.plan_create, name="plan_create"),
    path("ideas/<id:pk>/tranches/new/", views.tranche_add, name="tranche_add"),
    path("ideas/<id:pk>/close/", views.close, name="close"),
    path("outcomes/<id:pk>/remove/", views.outcome_remove, name="outcome_remove"),
    path(
        "allocations/<id:pk>/decide/",
        views.allocation_decide,
        name="allocation_decide",
    ),
    path("tranches/<id:pk>/edit/", views.tranche_edit, name="tranche_edit"),
    path("tranches/<id:pk>/cancel/", views.tranche_cancel, name="tranche_cancel"),
    path("tranches/<id:pk>/review/", views.tranche_review, name="tranche_review"),
    path("tranches/<id:pk>/approve/", views.tranche_approve, name="tranche_approve"),
    path(
        "tranches/<id:pk>/send-back/",
        views.tranche_send_back,
        name="tranche_send_back",
    ),
]
