"""The ideas API under ``/api/v1/``: ideas, registration, teams and the directory.

Views live in ``ideas.py`` and ``teams.py``, shapes in ``serializers.py``.
"""

from django.urls import path

from horserace.accounts.apis import UserListApi

from . import ideas, teams

urlpatterns = [
    path("ideas/", ideas.IdeaListApi.as_view(), name="idea-list"),
    path("ideas/<int:pk>/", ideas.IdeaDetailApi.as_view(), name="idea-detail"),
    path(
        "ideas/<int:pk>/register/",
        ideas.IdeaRegisterApi.as_view(),
        name="idea-register",
    ),
    path(
        "ideas/<int:pk>/withdraw/",
        ideas.IdeaWithdrawApi.as_view(),
        name="idea-withdraw",
    ),
    path("ideas/<int:pk>/team/", teams.TeamApi.as_view(), name="idea-team"),
    path(
        "ideas/<int:pk>/team/transfer/",
        teams.TeamTransferApi.as_view(),
        name="idea-team-transfer",
    ),
    path(
        "ideas/<int:pk>/team/<int:user_id>/",
        teams.TeamMemberApi.as_view(),
        name="idea-team-member",
    ),
    path(
        "ideas/<int:pk>/invitations/",
        teams.InvitationCreateApi.as_view(),
        name="idea-invitations",
    ),
    path(
        "ideas/<int:pk>/join-requests/",
        teams.JoinRequestCreateApi.as_view(),
        name="idea-join-requests",
    ),
    path("invitations/", teams.InvitationListApi.as_view(), name="invitation-list"),
    path(
        "invitations/<int:pk>/accept/",
        teams.InvitationAcceptApi.as_view(),
        name="invitation-accept",
    ),
    path(
        "invitations/<int:pk>/decline/",
        teams.InvitationDeclineApi.as_view(),
        name="invitation-decline",
    ),
    path(
        "invitations/<int:pk>/cancel/",
        teams.InvitationCancelApi.as_view(),
        name="invitation-cancel",
    ),
    path(
        "join-requests/", teams.JoinRequestListApi.as_view(), name="join-request-list"
    ),
    path(
        "join-requests/<int:pk>/accept/",
        teams.JoinRequestAcceptApi.as_view(),
        name="join-request-accept",
    ),
    path(
        "join-requests/<int:pk>/decline/",
        teams.JoinRequestDeclineApi.as_view(),
        name="join-request-decline",
    ),
    path(
        "join-requests/<int:pk>/withdraw/",
        teams.JoinRequestWithdrawApi.as_view(),
        name="join-request-withdraw",
    ),
    # The directory serves invitations: it is how a client finds an invitee.
    path("users/", UserListApi.as_view(), name="user-list"),
]

# --- gestation (ideas/apis/gestation.py) ---
urlpatterns += []
# --- end gestation ---

# --- realization (ideas/apis/realization.py) ---
urlpatterns += []
# --- end realization ---
