from django.urls import path

from . import views
from .views import access, farm

app_name = "ideas"
urlpatterns = [
    path("mine/", views.my_ideas, name="mine"),
    path("new/", views.idea_create, name="create"),
    path("people/", views.people_search, name="people"),
    path("<id:pk>/", views.idea_detail, name="detail"),
    path("<id:pk>/edit/", views.idea_edit, name="edit"),
    path("<id:pk>/access/", access.idea_access, name="access"),
    path("access-log/", access.access_log, name="access_log"),
    path("<id:pk>/register/", views.idea_register, name="register"),
    path("<id:pk>/withdraw/", views.idea_withdraw, name="withdraw"),
    path("<id:pk>/carry/", farm.carry, name="carry"),
    path("<id:pk>/to-farm/", farm.to_farm, name="to_farm"),
    path("<id:pk>/certificate/", views.idea_certificate, name="certificate"),
    path("<id:pk>/history/", views.idea_history, name="history"),
    path("<id:pk>/team/", views.team_manage, name="team"),
    path("<id:pk>/team/invite/", views.team_invite, name="invite"),
    path("<id:pk>/team/join/", views.join_request_create, name="join"),
    path("<id:pk>/team/leave/", views.team_leave, name="leave"),
    path("<id:pk>/team/remove/", views.team_remove, name="remove"),
    path("<id:pk>/team/captain/", views.team_transfer, name="transfer"),
    path("<id:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("attachments/<id:pk>/", views.attachment_download, name="attachment_download"),
    path(
        "attachments/<id:pk>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("invitations/<id:pk>/", views.invitation_respond, name="invitation_respond"),
    path(
        "invitations/<id:pk>/cancel/",
        views.invitation_cancel,
        name="invitation_cancel",
    ),
    path(
        "join-requests/<id:pk>/",
        views.join_request_respond,
        name="join_request_respond",
    ),
]
