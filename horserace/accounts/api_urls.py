"""Token authentication for REST clients, mounted under ``/api/auth/``."""

from django.urls import path

from . import apis

app_name = "api-auth"
urlpatterns = [
    path("login/", apis.LoginApi.as_view(), name="login"),
    path("logout/", apis.LogoutApi.as_view(), name="logout"),
    path("logoutall/", apis.LogoutAllApi.as_view(), name="logoutall"),
    path("me/", apis.MeApi.as_view(), name="me"),
]
