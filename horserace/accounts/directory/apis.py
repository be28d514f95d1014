"""The directory API: departments and people, for every signed-in employee.

An integration finds a department's id here to record "adopted by a
department" (``POST /api/v1/ideas/{id}/realization/`` outcome ``department``)
and a person's id, department and manager.
"""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import ListAPIView, RetrieveAPIView

from horserace.common.api import error_responses
from horserace.common.filters import IdFilter

from ..models import Department, User
from . import selectors


class DepartmentBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class DepartmentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    # "parent" is also DRF's name for a field's enclosing serializer; the
    # metaclass takes declared fields off the class, so only mypy minds.
    parent = serializers.IntegerField(  # type: ignore[assignment]
        source="parent_id",
        allow_null=True,
        help_text="The parent's id; null at the top.",
    )
    path = serializers.SerializerMethodField(
        help_text="From the top of the tree down to this department (included)."
    )
    depth = serializers.SerializerMethodField(help_text="0 for a top department.")

    @extend_schema_field(DepartmentBriefSerializer(many=True))
    def get_path(self, department):
        chain = self.context["paths"].get(department.pk, [department])
        return DepartmentBriefSerializer(chain, many=True).data

    def get_depth(self, department) -> int:
        return len(self.context["paths"].get(department.pk, [department])) - 1


class PersonOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()
    email = serializers.EmailField()
    employee_number = serializers.CharField(allow_null=True)
    department = DepartmentBriefSerializer(allow_null=True)
    manager = serializers.IntegerField(
        source="manager_id", allow_null=True, help_text="The manager's person id."
    )
    roles = serializers.SerializerMethodField()
    is_active = serializers.BooleanField(help_text="False once the person has left.")

    @extend_schema_field(
        serializers.ListField(
            child=serializers.ChoiceField(choices=list(selectors.ROLES))
        )
    )
    def get_roles(self, user):
        return selectors.person_roles(user)


class DepartmentFilter(django_filters.FilterSet):
    parent = IdFilter(field_name="parent_id", help_text="Departments right below it.")
    top = django_filters.BooleanFilter(
        field_name="parent", lookup_expr="isnull", help_text="Only top departments."
    )

    class Meta:
        model = Department
        fields = ["parent", "top"]


class PersonFilter(django_filters.FilterSet):
    department = IdFilter(field_name="department_id")
    manager = IdFilter(field_name="manager_id")
    is_active = django_filters.BooleanFilter()
    role = django_filters.ChoiceFilter(
        choices=[(r, r) for r in selectors.ROLES], method="filter_role"
    )

    class Meta:
        model = User
        fields = ["department", "manager", "is_active", "role"]

    def filter_role(self, queryset, name, value):
        return selectors.role_filter(queryset, value)


class _PathsMixin:
    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "paths": selectors.department_paths(),
        }


class DepartmentListApi(_PathsMixin, ListAPIView):
    """The company's departments, with their place in the tree."""

    serializer_class = DepartmentOutputSerializer
    filterset_class = DepartmentFilter
    search_fields = ["name", "code"]
    ordering_fields = ["name", "code"]

    def get_queryset(self):
        return selectors.department_list()

    @extend_schema(
        operation_id="departments_list",
        responses={
            200: DepartmentOutputSerializer(many=True),
            **error_responses(400, 401),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class DepartmentDetailApi(_PathsMixin, RetrieveAPIView):
    serializer_class = DepartmentOutputSerializer

    def get_queryset(self):
        return selectors.department_list()

    @extend_schema(
        operation_id="departments_retrieve",
        responses={200: DepartmentOutputSerializer, **error_responses(401, 404)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PersonListApi(ListAPIView):
    """The company directory: anyone, leavers included (``is_active=false``)."""

    serializer_class = PersonOutputSerializer
    filterset_class = PersonFilter
    search_fields = ["display_name", "email", "employee_number"]
    ordering_fields = ["display_name", "employee_number"]

    def get_queryset(self):
        return selectors.person_list()

    @extend_schema(
        operation_id="people_list",
        responses={200: PersonOutputSerializer(many=True), **error_responses(400, 401)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PersonDetailApi(RetrieveAPIView):
    serializer_class = PersonOutputSerializer

    def get_queryset(self):
        return selectors.person_list()

    @extend_schema(
        operation_id="people_retrieve",
        responses={200: PersonOutputSerializer, **error_responses(401, 404)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
