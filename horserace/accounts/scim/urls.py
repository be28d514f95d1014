"""SCIM 2.0 routes (``/scim/v2/``): django-scim2's views, Users only.

The namespace must be ``scim``: django-scim2 reverses ``scim:users`` and
``scim:root``. Groups, Bulk, Me and the root search answer 501, as the
ServiceProviderConfig says.
"""

from django.urls import path
from django_scim import constants, views

from .adapters import HorseraceSCIMUser


class ResourceTypesView(views.ResourceTypesView):
    """Only the User resource type: this service has no Groups."""

    def type_dict_by_type_id(self, request):
        user = HorseraceSCIMUser.resource_type_dict(request)
        return {user["id"]: user}


class SchemasView(views.SchemasView):
    """The User and enterprise User schemas, and the service's own."""

    schemas_by_uri = {
        uri: schema
        for uri, schema in views.SchemasView.schemas_by_uri.items()
        if uri != constants.SchemaURI.GROUP
    }


app_name = "scim"
urlpatterns = [
    path("", views.SCIMView.as_view(implemented=False), name="root"),
    path(".search", views.SearchView.as_view(implemented=False), name="search"),
    path("Users/.search", views.UserSearchView.as_view(), name="users-search"),
    # One name, two patterns: django-scim2 reverses "scim:users" with and
    # without a uuid. Plain routes (not its optional regex group) so the leak
    # matrix can fill the uuid.
    path("Users", views.UsersView.as_view(), name="users"),
    path("Users/<str:uuid>", views.UsersView.as_view(), name="users"),
    path("Groups", views.GroupsView.as_view(implemented=False), name="groups"),
    path(
        "Groups/<str:uuid>",
        views.GroupsView.as_view(implemented=False),
        name="groups",
    ),
    path("Me", views.SCIMView.as_view(implemented=False), name="me"),
    path(
        "ServiceProviderConfig",
        views.ServiceProviderConfigView.as_view(),
        name="service-provider-config",
    ),
    path("ResourceTypes", ResourceTypesView.as_view(), name="resource-types"),
    path(
        "ResourceTypes/<str:uuid>", ResourceTypesView.as_view(), name="resource-types"
    ),
    path("Schemas", SchemasView.as_view(), name="schemas"),
    path("Schemas/<str:uuid>", SchemasView.as_view(), name="schemas"),
    path("Bulk", views.SCIMView.as_view(implemented=False), name="bulk"),
]
