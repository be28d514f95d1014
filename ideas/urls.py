from django.urls import path

from . import views
from .views import access

app_name = "ideas"
urlpatterns = [
    path("mine/", views.my_ideas, name="mine"),
    path("new/", views.idea_create, name="create"),
    path("people/", views.people_search, name="people"),
    path("<int:pk>/", views.idea_detail, name="detail"),
    path("<int:pk>/edit/", views.idea_edit, name="edit"),
    path("<int:pk>/access/", access.idea_access, name="access"),
    path("access-log/", access.access_log, name="access_log"),
    path("<int:pk>/register/", views.idea_register, name="register"),
    path("<int:pk>/withdraw/", views.idea_withdraw, name="withdraw"),
    path("<int:pk>/certificate/", views.idea_certificate, name="certificate"),
    path("<int:pk>/history/", views.idea_history, name="history"),
    path("<int:pk>/team/", views.team_manage, name="team"),
    path("<int:pk>/team/invite/", views.team_invite, name="invite"),
    path("<int:pk>/team/join/", views.join_request_create, name="join"),
    path("<int:pk>/team/leave/", views.team_leave, name="leave"),
    path("<int:pk>/team/remove/", views.team_remove, name="remove"),
    path("<int:pk>/team/captain/", views.team_transfer, name="transfer"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path(
        "attachments/<int:pk>/", views.attachment_download, name="attachment_download"
    ),
    path(
        "attachments/<int:pk>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("invitations/<int:pk>/", views.invitation_respond, name="invitation_respond"),
    path(
        "invitations/<int:pk>/cancel/",
        views.invitation_cancel,
        name="invitation_cancel",
    ),
    path(
        "join-requests/<int:pk>/",
        views.join_request_respond,
        name="join_request_respond",
    ),
]
