"""Realization in the browser, under ``/realization/``."""

from django.urls import path

from .views import realization as views

app_name = "realization"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("approvals/", views.approvals, name="approvals"),
    path("ideas/<int:pk>/", views.project, name="project"),
    path("ideas/<int:pk>/outcomes/new/", views.outcome_add, name="outcome_add"),
    path(
        "ideas/<int:pk>/allocations/new/",
        views.allocation_propose,
        name="allocation_propose",
    ),
    path("ideas/<int:pk>/plan/new/", views.plan_create, name="plan_create"),
    path("ideas/<int:pk>/tranches/new/", views.tranche_add, name="tranche_add"),
    path("ideas/<int:pk>/close/", views.close, name="close"),
    path("outcomes/<int:pk>/remove/", views.outcome_remove, name="outcome_remove"),
    path(
        "allocations/<int:pk>/decide/",
        views.allocation_decide,
        name="allocation_decide",
    ),
    path("tranches/<int:pk>/edit/", views.tranche_edit, name="tranche_edit"),
    path("tranches/<int:pk>/cancel/", views.tranche_cancel, name="tranche_cancel"),
    path("tranches/<int:pk>/review/", views.tranche_review, name="tranche_review"),
    path("tranches/<int:pk>/approve/", views.tranche_approve, name="tranche_approve"),
    path(
        "tranches/<int:pk>/send-back/",
        views.tranche_send_back,
        name="tranche_send_back",
    ),
]
