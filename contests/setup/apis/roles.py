"""Roles: a racecourse's admins and evaluator pool, company roles, bulk."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from horserace.accounts.apis import UserBriefSerializer
from horserace.accounts.models import User
from horserace.common.api import IdField, error_responses
from horserace.common.parsers import JSONParser

from ...models import (
    Racecourse,
)
from ...roles import RACECOURSE_ROLES, Role, RoleChange
from .. import selectors, services
from .common import API, active_person, parse

# --- Roles ----------------------------------------------------------------------


class PersonInputSerializer(serializers.Serializer):
    person = IdField(help_text="The person's user id.")


class RoleHolderOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()
    email = serializers.EmailField()
    employee_number = serializers.CharField(allow_null=True)
    department = serializers.CharField(source="department.name", allow_null=True)


class AppointOutputSerializer(serializers.Serializer):
    person = RoleHolderOutputSerializer()
    changed = serializers.BooleanField(
        help_text="False when the person already had the role (nothing changed)."
    )


class RacecourseRoleApi(APIView):
    """A racecourse's admins or evaluator pool: list and appoint."""

    role: str = ""

    def _racecourse(self, request, pk: int) -> Racecourse:
        racecourse = get_object_or_404(Racecourse, pk=pk)
        services.require_manager(request.user, racecourse)
        return racecourse

    def get(self, request, pk: int):
        racecourse = self._racecourse(request, pk)
        holders = selectors.role_holders(role=self.role, racecourse=racecourse)
        return Response(RoleHolderOutputSerializer(holders, many=True).data)

    def post(self, request, pk: int):
        racecourse = self._racecourse(request, pk)
        person = active_person(parse(PersonInputSerializer, request)["person"])
        changed = services.role_appoint(
            role=self.role,
            person=person,
            actor=request.user,
            racecourse=racecourse,
            source=API,
        )
        return Response(
            AppointOutputSerializer({"person": person, "changed": changed}).data,
            status=status.HTTP_201_CREATED if changed else status.HTTP_200_OK,
        )


class RacecourseRoleRemoveApi(APIView):
    role: str = ""

    def delete(self, request, pk: int, user_id: int):
        racecourse = get_object_or_404(Racecourse, pk=pk)
        services.require_manager(request.user, racecourse)
        person = get_object_or_404(User, pk=user_id)
        services.role_remove(
            role=self.role,
            person=person,
            actor=request.user,
            racecourse=racecourse,
            source=API,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


def _racecourse_role_apis(role: str, name: str):
    """The list/appoint and remove views of one racecourse role, documented."""
    holders = extend_schema(
        operation_id=f"racecourses_{name}_list",
        responses={
            200: RoleHolderOutputSerializer(many=True),
            **error_responses(401, 403, 404),
        },
    )
    appoint = extend_schema(
        operation_id=f"racecourses_{name}_create",
        request=PersonInputSerializer,
        responses={
            201: AppointOutputSerializer,
            200: AppointOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    remove = extend_schema(
        operation_id=f"racecourses_{name}_destroy",
        request=None,
        responses={
            204: OpenApiResponse(description="Removed (or did not have the role)."),
            **error_responses(400, 401, 403, 404),
        },
    )

    class ListApi(RacecourseRoleApi):
        @holders
        def get(self, request, pk: int):
            return super().get(request, pk)

        @appoint
        def post(self, request, pk: int):
            return super().post(request, pk)

    class RemoveApi(RacecourseRoleRemoveApi):
        @remove
        def delete(self, request, pk: int, user_id: int):
            return super().delete(request, pk, user_id)

    for cls in (ListApi, RemoveApi):
        cls.role = role
        cls.__name__ = cls.__qualname__ = f"Racecourse{name.title()}{cls.__name__}"
    return extend_schema(tags=["set-up"])(ListApi), extend_schema(tags=["set-up"])(
        RemoveApi
    )


RacecourseAdminsApi, RacecourseAdminRemoveApi = _racecourse_role_apis(
    Role.RACECOURSE_ADMIN, "admins"
)
RacecourseEvaluatorsApi, RacecourseEvaluatorRemoveApi = _racecourse_role_apis(
    Role.RACECOURSE_EVALUATOR, "evaluators"
)


class RoleBulkInputSerializer(serializers.Serializer):
    people = serializers.ListField(
        child=serializers.CharField(max_length=254),
        required=False,
        max_length=services.MAX_CSV_ROWS,
        help_text="E-mail addresses or employee numbers.",
    )
    file = serializers.FileField(
        required=False,
        help_text=(
            "A CSV: one person per row, by e-mail or employee number (first "
            "column, or the `email` / `employee_number` column of a header)."
        ),
    )
    racecourse = IdField(
        required=False, help_text="For the racecourse roles: which racecourse."
    )

    def validate(self, attrs):
        if ("people" in attrs) == ("file" in attrs):
            raise serializers.ValidationError(
                {"people": _("Send either a list of people or a CSV file.")}
            )
        return attrs


class BulkRowOutputSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="Row of the file (or list position).")
    value = serializers.CharField()
    status = serializers.ChoiceField(
        source="outcome",
        choices=["appointed", "already", "duplicate", "unknown", "inactive"],
    )
    person = UserBriefSerializer(allow_null=True)


class BulkReportOutputSerializer(serializers.Serializer):
    applied = serializers.BooleanField()
    rows = BulkRowOutputSerializer(many=True)


def _role_of(role: str) -> str:
    if role not in Role.values:
        raise Http404
    return role


@extend_schema(tags=["set-up"])
class RoleApi(APIView):
    """A role's holders; appoint people in bulk (all of them, or nobody)."""

    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(
        operation_id="roles_list",
        responses={
            200: RoleHolderOutputSerializer(many=True),
            **error_responses(400, 401, 403, 404),
        },
    )
    def get(self, request, role: str):
        role = _role_of(role)
        if role in RACECOURSE_ROLES:
            raise ValidationError(
                {"role": _("A racecourse's roles are listed under its racecourse.")}
            )
        services.require_hr(request.user)
        holders = selectors.role_holders(role=role)
        return Response(RoleHolderOutputSerializer(holders, many=True).data)

    @extend_schema(
        operation_id="roles_bulk_create",
        request={
            "application/json": RoleBulkInputSerializer,
            "multipart/form-data": RoleBulkInputSerializer,
        },
        responses={
            200: BulkReportOutputSerializer,
            **error_responses(400, 401, 403, 404, 415),
        },
        description=(
            "Appoints everyone listed, or, if one person is unknown or has left, "
            "nobody (400; `errors.people` says which rows). Running it again is "
            "safe: people who have the role are reported as `already`."
        ),
    )
    def post(self, request, role: str):
        role = _role_of(role)
        data = parse(RoleBulkInputSerializer, request)
        racecourse = None
        if "racecourse" in data:
            racecourse = get_object_or_404(Racecourse, pk=data["racecourse"])
        services.require_role_manager(request.user, role, racecourse)
        if "file" in data:
            identifiers = services.csv_identifiers(data["file"].read())
        else:
            identifiers = [
                (n, v.strip()) for n, v in enumerate(data["people"], 1) if v.strip()
            ]
        report = services.roles_bulk_appoint(
            role=role,
            identifiers=identifiers,
            actor=request.user,
            racecourse=racecourse,
            source=RoleChange.Source.API,
        )
        if not report.applied:
            raise ValidationError({"people": services.bulk_report_errors(report)})
        return Response(BulkReportOutputSerializer(report).data)


@extend_schema(tags=["set-up"])
class RoleRemoveApi(APIView):
    @extend_schema(
        operation_id="roles_destroy",
        request=None,
        responses={
            204: OpenApiResponse(description="Removed (or did not have the role)."),
            **error_responses(400, 401, 403, 404),
        },
    )
    def delete(self, request, role: str, user_id: int):
        role = _role_of(role)
        if role in RACECOURSE_ROLES:
            raise ValidationError(
                {"role": _("A racecourse's roles are removed under its racecourse.")}
            )
        services.require_hr(request.user)
        person = get_object_or_404(User, pk=user_id)
        services.role_remove(role=role, person=person, actor=request.user, source=API)
        return Response(status=status.HTTP_204_NO_CONTENT)
