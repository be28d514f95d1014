from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.notification_read, name="read"),
    path("preview/", views.notification_preview, name="preview"),
    path("preferences/", views.notification_preferences, name="preferences"),
    path("<id:pk>/open/", views.notification_open, name="open"),
]
