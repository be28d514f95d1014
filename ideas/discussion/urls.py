"""The discussion in the browser, under ``/ideas/discussion/``."""

from django.urls import path

from ideas.discussion import views

app_name = "discussion"
urlpatterns = [
    path("ideas/<id:pk>/comments/", views.comment_create, name="comment_create"),
    path("ideas/<id:pk>/follow/", views.idea_follow, name="idea_follow"),
    path("challenges/<id:pk>/follow/", views.challenge_follow, name="challenge_follow"),
    path("comments/<id:pk>/delete/", views.comment_remove, name="comment_delete"),
    path("comments/<id:pk>/report/", views.comment_report_page, name="comment_report"),
    path("comments/<id:pk>/hide/", views.comment_hide_page, name="comment_hide"),
    path("comments/<id:pk>/dismiss/", views.reports_dismiss, name="reports_dismiss"),
    path("reports/", views.reports, name="reports"),
]
