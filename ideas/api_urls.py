"""The ideas API under ``/api/v1/``: ideas, registration, teams and the directory.

Views live in ``ideas.py`` and ``teams.py``, shapes in ``serializers.py``.
"""

from django.urls import path

from horserace.accounts.apis import UserListApi
from ideas.apis import access, ideas, teams
from ideas.gestation.apis.progress import (
    IdeaMilestonesApi,
    IdeaProgressUpdatesApi,
    MilestoneDetailApi,
    MilestoneDoneApi,
)
from ideas.gestation.apis.proposal import (
    IdeaExtensionsApi,
    IdeaGestationEliminateApi,
    IdeaProposalApi,
    IdeaProposalFilesApi,
)
from ideas.gestation.apis.resources import (
    IdeaResourceRequestsApi,
    IdeaResourcesApi,
    ResourceRequestAnswerApi,
    ResourceRequestAskApi,
    ResourceRequestCancelApi,
    ResourceRequestDeclineApi,
    ResourceRequestDetailApi,
    ResourceRequestGrantApi,
    ResourceRequestListApi,
)
from ideas.gestation.apis.trainers import (
    IdeaTrainerAssignmentsApi,
    IdeaTrainerRequestApi,
    TrainerAssignmentDeclineApi,
    TrainerAssignmentEndApi,
    TrainerAssignmentListApi,
    TrainerSessionsApi,
)

urlpatterns = [
    path("ideas/", ideas.IdeaListApi.as_view(), name="idea-list"),
    path("ideas/<id:pk>/", ideas.IdeaDetailApi.as_view(), name="idea-detail"),
    path(
        "ideas/<id:pk>/register/",
        ideas.IdeaRegisterApi.as_view(),
        name="idea-register",
    ),
    path(
        "ideas/<id:pk>/withdraw/",
        ideas.IdeaWithdrawApi.as_view(),
        name="idea-withdraw",
    ),
    path("ideas/<id:pk>/carry/", ideas.IdeaCarryApi.as_view(), name="idea-carry"),
    path("ideas/<id:pk>/to-farm/", ideas.IdeaToFarmApi.as_view(), name="idea-to-farm"),
    path("ideas/<id:pk>/access/", access.IdeaAccessApi.as_view(), name="idea-access"),
    path("access-log/", access.AccessLogApi.as_view(), name="access-log"),
    path("ideas/<id:pk>/team/", teams.TeamApi.as_view(), name="idea-team"),
    path(
        "ideas/<id:pk>/team/transfer/",
        teams.TeamTransferApi.as_view(),
        name="idea-team-transfer",
    ),
    path(
        "ideas/<id:pk>/team/<id:user_id>/",
        teams.TeamMemberApi.as_view(),
        name="idea-team-member",
    ),
    path(
        "ideas/<id:pk>/invitations/",
        teams.InvitationCreateApi.as_view(),
        name="idea-invitations",
    ),
    path(
        "ideas/<id:pk>/join-requests/",
        teams.JoinRequestCreateApi.as_view(),
        name="idea-join-requests",
    ),
    path("invitations/", teams.InvitationListApi.as_view(), name="invitation-list"),
    path(
        "invitations/<id:pk>/accept/",
        teams.InvitationAcceptApi.as_view(),
        name="invitation-accept",
    ),
    path(
        "invitations/<id:pk>/decline/",
        teams.InvitationDeclineApi.as_view(),
        name="invitation-decline",
    ),
    path(
        "invitations/<id:pk>/cancel/",
        teams.InvitationCancelApi.as_view(),
        name="invitation-cancel",
    ),
    path(
        "join-requests/", teams.JoinRequestListApi.as_view(), name="join-request-list"
    ),
    path(
        "join-requests/<id:pk>/accept/",
        teams.JoinRequestAcceptApi.as_view(),
        name="join-request-accept",
    ),
    path(
        "join-requests/<id:pk>/decline/",
        teams.JoinRequestDeclineApi.as_view(),
        name="join-request-decline",
    ),
    path(
        "join-requests/<id:pk>/withdraw/",
        teams.JoinRequestWithdrawApi.as_view(),
        name="join-request-withdraw",
    ),
    # The directory serves invitations: it is how a client finds an invitee.
    path("users/", UserListApi.as_view(), name="user-list"),
]

# --- gestation ---
urlpatterns += [
    path(
        "ideas/<id:pk>/resources/",
        IdeaResourcesApi.as_view(),
        name="idea-resources",
    ),
    path(
        "ideas/<id:pk>/resource-requests/",
        IdeaResourceRequestsApi.as_view(),
        name="idea-resource-requests",
    ),
    path(
        "resource-requests/",
        ResourceRequestListApi.as_view(),
        name="resource-request-list",
    ),
    path(
        "resource-requests/<id:pk>/",
        ResourceRequestDetailApi.as_view(),
        name="resource-request-detail",
    ),
    *(
        path(
            f"resource-requests/<id:pk>/{action}/",
            view.as_view(),
            name=f"resource-request-{action}",
        )
        for action, view in [
            ("grant", ResourceRequestGrantApi),
            ("decline", ResourceRequestDeclineApi),
            ("ask", ResourceRequestAskApi),
            ("answer", ResourceRequestAnswerApi),
            ("cancel", ResourceRequestCancelApi),
        ]
    ),
    path(
        "ideas/<id:pk>/milestones/",
        IdeaMilestonesApi.as_view(),
        name="idea-milestones",
    ),
    path(
        "milestones/<id:pk>/",
        MilestoneDetailApi.as_view(),
        name="milestone-detail",
    ),
    path(
        "milestones/<id:pk>/done/",
        MilestoneDoneApi.as_view(),
        name="milestone-done",
    ),
    path(
        "ideas/<id:pk>/progress-updates/",
        IdeaProgressUpdatesApi.as_view(),
        name="idea-progress-updates",
    ),
    path(
        "ideas/<id:pk>/trainer-assignments/",
        IdeaTrainerAssignmentsApi.as_view(),
        name="idea-trainer-assignments",
    ),
    path(
        "ideas/<id:pk>/trainer-request/",
        IdeaTrainerRequestApi.as_view(),
        name="idea-trainer-request",
    ),
    path(
        "trainer-assignments/",
        TrainerAssignmentListApi.as_view(),
        name="trainer-assignment-list",
    ),
    path(
        "trainer-assignments/<id:pk>/end/",
        TrainerAssignmentEndApi.as_view(),
        name="trainer-assignment-end",
    ),
    path(
        "trainer-assignments/<id:pk>/decline/",
        TrainerAssignmentDeclineApi.as_view(),
        name="trainer-assignment-decline",
    ),
    path(
        "trainer-assignments/<id:pk>/sessions/",
        TrainerSessionsApi.as_view(),
        name="trainer-assignment-sessions",
    ),
    path(
        "ideas/<id:pk>/proposal/",
        IdeaProposalApi.as_view(),
        name="idea-proposal",
    ),
    path(
        "ideas/<id:pk>/proposal/files/",
        IdeaProposalFilesApi.as_view(),
        name="idea-proposal-files",
    ),
    path(
        "ideas/<id:pk>/extensions/",
        IdeaExtensionsApi.as_view(),
        name="idea-extensions",
    ),
    path(
        "ideas/<id:pk>/gestation/eliminate/",
        IdeaGestationEliminateApi.as_view(),
        name="idea-gestation-eliminate",
    ),
]
# --- realization ---
from ideas.realization import apis as realization  # noqa: E402

urlpatterns += realization.urlpatterns
# --- gestation: catalogue, budgets, trainer pool ---
from ideas.gestation.apis import catalogue  # noqa: E402

urlpatterns += [
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
]
# --- discussion ---
from ideas.discussion import apis as discussion  # noqa: E402

urlpatterns += discussion.urlpatterns
