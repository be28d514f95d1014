"""The notifications API under ``/api/v1/`` (the ``api`` namespace)."""

from django.urls import path

from . import apis

urlpatterns = [
    path(
        "notifications/", apis.NotificationListApi.as_view(), name="notification-list"
    ),
    path(
        "notifications/unread-count/",
        apis.UnreadCountApi.as_view(),
        name="notification-unread-count",
    ),
    path(
        "notifications/read-all/",
        apis.NotificationReadAllApi.as_view(),
        name="notification-read-all",
    ),
    path(
        "notifications/preferences/",
        apis.PreferenceApi.as_view(),
        name="notification-preferences",
    ),
    path(
        "notifications/<id:pk>/read/",
        apis.NotificationReadApi.as_view(),
        name="notification-read",
    ),
]
