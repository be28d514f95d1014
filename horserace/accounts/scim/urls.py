"""SCIM 2.0 routes (``/scim/v2/``): django-scim2's views, Users only.

The namespace must be ``scim``: django-scim2 reverses ``scim:users`` and
``scim:root``. Groups, Bulk, Me and the root search answer 501, as the
ServiceProviderConfig says.
"""

from django.urls import re_path
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
    re_path(r"^$", views.SCIMView.as_view(implemented=False), name="root"),
    re_path(r"^\.search$", views.SearchView.as_view(implemented=False), name="search"),
    re_path(r"^Users/\.search$", views.UserSearchView.as_view(), name="users-search"),
    re_path(r"^Users(?:/(?P<uuid>[^/]+))?$", views.UsersView.as_view(), name="users"),
    re_path(
        r"^Groups(?:/(?P<uuid>[^/]+))?$",
        views.GroupsView.as_view(implemented=False),
        name="groups",
    ),
    re_path(r"^Me$", views.SCIMView.as_view(implemented=False), name="me"),
    re_path(
        r"^ServiceProviderConfig$",
        views.ServiceProviderConfigView.as_view(),
        name="service-provider-config",
    ),
    re_path(
        r"^ResourceTypes(?:/(?P<uuid>[^/]+))?$",
        ResourceTypesView.as_view(),
        name="resource-types",
    ),
    re_path(r"^Schemas(?:/(?P<uuid>[^/]+))?$", SchemasView.as_view(), name="schemas"),
    re_path(r"^Bulk$", views.SCIMView.as_view(implemented=False), name="bulk"),
]
