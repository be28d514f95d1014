from django.urls import path

from . import views

app_name = "contests"
urlpatterns = [
    path("", views.racecourse_list, name="list"),
    path("<id:pk>/", views.racecourse_detail, name="racecourse"),
    path(
        "windows/<id:pk>/confirm/",
        views.window_confirm_page,
        name="window_confirm",
    ),
]
