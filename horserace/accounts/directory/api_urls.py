"""The directory API under ``/api/v1/`` (the ``api`` namespace)."""

from django.urls import path

from . import apis

urlpatterns = [
    path("departments/", apis.DepartmentListApi.as_view(), name="department-list"),
    path(
        "departments/<id:pk>/",
        apis.DepartmentDetailApi.as_view(),
        name="department-detail",
    ),
    path("people/", apis.PersonListApi.as_view(), name="person-list"),
    path("people/<id:pk>/", apis.PersonDetailApi.as_view(), name="person-detail"),
    path(
        "directory/imports/",
        apis.DirectoryImportListApi.as_view(),
        name="directory-import-list",
    ),
    path(
        "directory/imports/<id:pk>/",
        apis.DirectoryImportDetailApi.as_view(),
        name="directory-import-detail",
    ),
]
