"""The directory API: departments and people, for every signed-in employee.

An integration finds a department's id here to record "adopted by a
department" (``POST /api/v1/ideas/{id}/realization/`` outcome ``department``)
and a person's id, department and manager.
"""

import django_filters
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from horserace.common.api import error_responses
from horserace.common.filters import IdFilter
from horserace.common.permissions import can

from ..models import Department, DirectoryImport, User
from . import selectors
from .forms import DirectoryImportForm
from .services import directory_import_create
from .tasks import directory_import_task


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


# --- Imports: HR sends the employee file, then follows the run ----------------


class DirectoryImportInputSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="The employee file: UTF-8 CSV with the columns of `/directory/imports/`."
    )
    full = serializers.BooleanField(
        default=False,
        help_text=(
            "The file lists every employee: anyone with an employee number who is "
            "not in it has left (deactivated, what they held handed over)."
        ),
    )

    def validate_file(self, upload):
        # The page's rules, in one place: extension and size.
        form = DirectoryImportForm(data={}, files={"file": upload})
        form.is_valid()
        if "file" in form.errors:
            raise serializers.ValidationError(form.errors["file"])
        return upload


class DirectoryImportOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=DirectoryImport.Status.choices)
    finished = serializers.BooleanField(help_text="Done or failed: stop polling.")
    file_name = serializers.CharField(source="file_basename")
    full = serializers.BooleanField()
    total = serializers.IntegerField()
    processed = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    deactivated = serializers.IntegerField()
    error_count = serializers.IntegerField()
    row_errors = serializers.JSONField(
        source="errors",
        help_text="Per row: `row` (its line), `employee_number`, `messages`.",
    )
    handovers = serializers.JSONField(
        help_text="What each leaver held and who holds it now."
    )
    started_by = serializers.IntegerField(source="started_by_id", allow_null=True)
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


def _require_importer(request) -> None:
    if not can(request.user, "accounts.import_directory"):
        raise PermissionDenied(_("Only HR imports the directory."))


@extend_schema(tags=["directory"])
class DirectoryImportListApi(APIView):
    """HR's directory imports, newest first (GET); send a file (POST, multipart).

    A POST stores the file and answers 202 at once: the import runs as a
    Celery task, as from the upload page. Poll
    `GET /api/v1/directory/imports/{id}/` until `finished`.
    """

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="directory_imports_list",
        responses={
            200: DirectoryImportOutputSerializer(many=True),
            **error_responses(401, 403),
        },
    )
    def get(self, request):
        _require_importer(request)
        rows = selectors.directory_import_list()[:50]
        return Response(DirectoryImportOutputSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="directory_imports_create",
        request={"multipart/form-data": DirectoryImportInputSerializer},
        responses={
            202: DirectoryImportOutputSerializer,
            **error_responses(400, 401, 403),
        },
    )
    def post(self, request):
        _require_importer(request)
        serializer = DirectoryImportInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        record = directory_import_create(
            name=upload.name,
            data=upload.read(),
            actor=request.user,
            full=serializer.validated_data["full"],
        )
        directory_import_task.delay_on_commit(record.pk)
        return Response(
            DirectoryImportOutputSerializer(record).data,
            status=status.HTTP_202_ACCEPTED,
        )


@extend_schema(tags=["directory"])
class DirectoryImportDetailApi(APIView):
    """One import: its progress while it runs, then its report."""

    @extend_schema(
        operation_id="directory_imports_retrieve",
        responses={
            200: DirectoryImportOutputSerializer,
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        _require_importer(request)
        record = get_object_or_404(selectors.directory_import_list(), pk=pk)
        return Response(DirectoryImportOutputSerializer(record).data)
