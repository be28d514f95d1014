from django.urls import path

from . import views

app_name = "contests"
urlpatterns = [
    path("", views.racecourse_list, name="list"),
    path("<int:pk>/", views.racecourse_detail, name="racecourse"),
    path(
        "windows/<int:pk>/confirm/",
        views.window_confirm_page,
        name="window_confirm",
    ),
]
