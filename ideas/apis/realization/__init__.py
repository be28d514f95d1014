"""Realization over the API: outcomes, time allocations, the investment plan,
milestone reviews and closing — the same services and rules as the pages.

Idea-scoped routes live under ``ideas/{id}/realization/``; a tranche, outcome
or allocation is addressed under ``realization/``. Something the user may not
see is a 404; something they see but may not do is a 403 from the service.

Where things are: ``projects`` (a project, closing, outcomes and the lists
for HR), ``allocations`` (time allocations), ``plan`` (the plan, tranches
and reviews), ``serializers`` (every shape) and ``helpers``. The routes are
here, in ``urlpatterns`` (``ideas.apis`` includes them).
"""

from django.urls import path

from .allocations import (
    AllocationApproveApi,
    AllocationDeclineApi,
    AllocationListApi,
    AllocationProposeApi,
)
from .plan import (
    PlanCreateApi,
    TrancheApproveApi,
    TrancheCancelApi,
    TrancheCreateApi,
    TrancheReviewApi,
    TrancheSendBackApi,
    TrancheUpdateApi,
)
from .projects import (
    OutcomeCreateApi,
    OutcomeDeleteApi,
    ProjectListApi,
    RealizationCloseApi,
    RealizationDetailApi,
    ReviewQueueApi,
)

urlpatterns = [
    path(
        "ideas/<id:pk>/realization/",
        RealizationDetailApi.as_view(),
        name="realization-detail",
    ),
    path(
        "ideas/<id:pk>/realization/close/",
        RealizationCloseApi.as_view(),
        name="realization-close",
    ),
    path(
        "ideas/<id:pk>/realization/outcomes/",
        OutcomeCreateApi.as_view(),
        name="realization-outcome-create",
    ),
    path(
        "ideas/<id:pk>/realization/allocations/",
        AllocationProposeApi.as_view(),
        name="realization-allocation-create",
    ),
    path(
        "ideas/<id:pk>/realization/plan/",
        PlanCreateApi.as_view(),
        name="realization-plan-create",
    ),
    path(
        "ideas/<id:pk>/realization/plan/tranches/",
        TrancheCreateApi.as_view(),
        name="realization-tranche-create",
    ),
    path(
        "realization/outcomes/<id:pk>/",
        OutcomeDeleteApi.as_view(),
        name="realization-outcome-delete",
    ),
    path(
        "realization/allocations/",
        AllocationListApi.as_view(),
        name="realization-allocation-list",
    ),
    path(
        "realization/allocations/<id:pk>/approve/",
        AllocationApproveApi.as_view(),
        name="realization-allocation-approve",
    ),
    path(
        "realization/allocations/<id:pk>/decline/",
        AllocationDeclineApi.as_view(),
        name="realization-allocation-decline",
    ),
    path(
        "realization/tranches/<id:pk>/",
        TrancheUpdateApi.as_view(),
        name="realization-tranche-update",
    ),
    path(
        "realization/tranches/<id:pk>/cancel/",
        TrancheCancelApi.as_view(),
        name="realization-tranche-cancel",
    ),
    path(
        "realization/tranches/<id:pk>/review/",
        TrancheReviewApi.as_view(),
        name="realization-tranche-review",
    ),
    path(
        "realization/tranches/<id:pk>/approve/",
        TrancheApproveApi.as_view(),
        name="realization-tranche-approve",
    ),
    path(
        "realization/tranches/<id:pk>/send-back/",
        TrancheSendBackApi.as_view(),
        name="realization-tranche-send-back",
    ),
    path(
        "realization/reviews/",
        ReviewQueueApi.as_view(),
        name="realization-review-list",
    ),
    path(
        "realization/projects/",
        ProjectListApi.as_view(),
        name="realization-project-list",
    ),
]
