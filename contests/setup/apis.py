"""The set-up's API: the same services as the pages.

Racecourse settings and challenge edits are ``PATCH`` on the existing detail
routes (``contests.apis.seasons`` mixes ``RacecourseSettingsApiMixin`` and
``ChallengeEditApiMixin`` in); the catalogue and trainer-pool lists are
gestation's (``ideas.gestation.apis.catalogue``), which mixes the ``POST``
halves in. The other routes are ``api_urlpatterns`` here.
"""

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

from ..models import (
    Challenge,
    Racecourse,
    Resource,
    ResourceKind,
    ResourceUnit,
    Season,
    Trainer,
)
from ..roles import RACECOURSE_ROLES, Role, RoleChange
from . import selectors, services

API = RoleChange.Source.API


def _parse(serializer_class, request, **kwargs) -> dict:
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _active_person(pk: int, field: str = "person") -> User:
    person = User.objects.filter(pk=pk, is_active=True).first()
    if person is None:
        raise ValidationError({field: _("No active person has this id.")})
    return person


# --- Racecourse settings ---------------------------------------------------------


class RacecourseSettingsInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    audience = serializers.ChoiceField(
        choices=["", "company", "department"], required=False
    )
    team_size_limit = serializers.IntegerField(
        min_value=1, max_value=1000, required=False
    )
    promotion_quota = serializers.IntegerField(
        min_value=0, max_value=10000, required=False
    )
    evaluators_per_project = serializers.IntegerField(
        min_value=1, max_value=100, required=False
    )
    max_projects_per_evaluator = serializers.IntegerField(
        min_value=1, max_value=1000, required=False
    )
    conflict_same_department = serializers.BooleanField(required=False)
    conflict_manager_depth = serializers.IntegerField(
        min_value=0, max_value=10, required=False
    )
    blind_evaluation = serializers.BooleanField(required=False)


class RacecourseSettingsOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Racecourse
        fields = ["id", "season", "kind", "parent", *services.RACECOURSE_FIELDS]


class RacecourseSettingsApiMixin:
    """``PATCH /racecourses/{id}/``: HR, or an admin of this racecourse."""

    @extend_schema(
        operation_id="racecourses_partial_update",
        request=RacecourseSettingsInputSerializer,
        responses={
            200: RacecourseSettingsOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def patch(self, request, pk: int):
        racecourse = get_object_or_404(Racecourse, pk=pk)
        services.require_manager(request.user, racecourse)
        changes = _parse(RacecourseSettingsInputSerializer, request)
        racecourse = services.racecourse_update(
            racecourse=racecourse, actor=request.user, changes=changes
        )
        return Response(RacecourseSettingsOutputSerializer(racecourse).data)


# --- Challenges -----------------------------------------------------------------


class ChallengeInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    brief = serializers.CharField()
    sponsor = IdField(help_text="The sponsor's user id (an active person).")
    prize = serializers.CharField(max_length=200, required=False, allow_blank=True)
    is_open = serializers.BooleanField(
        required=False, help_text="Accepting ideas; false closes the challenge."
    )


class ChallengeSetupOutputSerializer(serializers.ModelSerializer):
    sponsor = UserBriefSerializer()

    class Meta:
        model = Challenge
        fields = ["id", "racecourse", "title", "brief", "sponsor", "prize", "is_open"]


def _challenge_input(request, *, partial: bool) -> dict:
    data = _parse(ChallengeInputSerializer, request, partial=partial)
    if "sponsor" in data:
        data["sponsor"] = _active_person(data["sponsor"], "sponsor")
    return data


@extend_schema(tags=["set-up"])
class RacecourseChallengeCreateApi(APIView):
    @extend_schema(
        operation_id="racecourses_challenges_create",
        request=ChallengeInputSerializer,
        responses={
            201: ChallengeSetupOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        racecourse = get_object_or_404(Racecourse, pk=pk)
        services.require_manager(request.user, racecourse)
        challenge = services.challenge_create(
            racecourse=racecourse,
            actor=request.user,
            **_challenge_input(request, partial=False),
        )
        return Response(
            ChallengeSetupOutputSerializer(challenge).data,
            status=status.HTTP_201_CREATED,
        )


class ChallengeEditApiMixin:
    """``PATCH /challenges/{id}/``: edit, close or reopen."""

    @extend_schema(
        operation_id="challenges_partial_update",
        request=ChallengeInputSerializer,
        responses={
            200: ChallengeSetupOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def patch(self, request, pk: int):
        challenge = get_object_or_404(
            Challenge.objects.select_related("racecourse"), pk=pk
        )
        services.require_manager(request.user, challenge.racecourse)
        challenge = services.challenge_update(
            challenge=challenge,
            actor=request.user,
            changes=_challenge_input(request, partial=True),
        )
        return Response(ChallengeSetupOutputSerializer(challenge).data)


# --- Resource catalogue and budgets ---------------------------------------------


class ResourceInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ResourceKind.choices)
    name = serializers.CharField(max_length=200)
    unit = serializers.ChoiceField(choices=ResourceUnit.choices)
    description = serializers.CharField(required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False, help_text="Open for requests.")


class ResourceSetupOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Resource
        fields = ["id", "season", *services.RESOURCE_FIELDS]


class SeasonResourceCreateApiMixin:
    """``POST /seasons/{id}/resources/``: HR adds to the catalogue."""

    @extend_schema(
        operation_id="seasons_resources_create",
        request=ResourceInputSerializer,
        responses={
            201: ResourceSetupOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        season = get_object_or_404(Season, pk=pk)
        services.require_hr(request.user)
        resource = services.resource_create(
            season=season,
            actor=request.user,
            **_parse(ResourceInputSerializer, request),
        )
        return Response(
            ResourceSetupOutputSerializer(resource).data, status=status.HTTP_201_CREATED
        )


@extend_schema(tags=["set-up"])
class ResourceUpdateApi(APIView):
    @extend_schema(
        operation_id="resources_partial_update",
        request=ResourceInputSerializer,
        responses={
            200: ResourceSetupOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def patch(self, request, pk: int):
        resource = get_object_or_404(Resource, pk=pk)
        services.require_hr(request.user)
        resource = services.resource_update(
            resource=resource,
            actor=request.user,
            changes=_parse(ResourceInputSerializer, request, partial=True),
        )
        return Response(ResourceSetupOutputSerializer(resource).data)


class BudgetInputSerializer(serializers.Serializer):
    amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=0,
        help_text="At least what the racecourse has already granted.",
    )


class BudgetOutputSerializer(serializers.Serializer):
    resource = serializers.IntegerField(source="resource_id")
    racecourse = serializers.IntegerField(source="racecourse_id")
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)


@extend_schema(tags=["set-up"])
class RacecourseBudgetSetApi(APIView):
    @extend_schema(
        operation_id="racecourses_budgets_update",
        request=BudgetInputSerializer,
        responses={
            200: BudgetOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def put(self, request, pk: int, resource_id: int):
        racecourse = get_object_or_404(Racecourse, pk=pk)
        resource = get_object_or_404(Resource, pk=resource_id)
        services.require_hr(request.user)
        budget = services.budget_set(
            racecourse=racecourse,
            resource=resource,
            actor=request.user,
            amount=_parse(BudgetInputSerializer, request)["amount"],
        )
        return Response(BudgetOutputSerializer(budget).data)


# --- Trainer pool ---------------------------------------------------------------


class TrainerInputSerializer(serializers.Serializer):
    user = IdField(help_text="The person's user id.")
    capacity = serializers.IntegerField(min_value=1, max_value=100, default=3)
    expertise = serializers.CharField(max_length=200, required=False, default="")
    make_mentor = serializers.BooleanField(
        default=False, help_text="Make the person a mentor if they are not one."
    )


class TrainerUpdateInputSerializer(serializers.Serializer):
    capacity = serializers.IntegerField(min_value=1, max_value=100, required=False)
    expertise = serializers.CharField(max_length=200, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False, help_text="Taking teams.")


class TrainerSetupOutputSerializer(serializers.ModelSerializer):
    user = UserBriefSerializer()

    class Meta:
        model = Trainer
        fields = ["id", "season", "user", *services.TRAINER_FIELDS]


class SeasonTrainerAddApiMixin:
    """``POST /seasons/{id}/trainers/``: HR adds a mentor (again: updates)."""

    @extend_schema(
        operation_id="seasons_trainers_create",
        request=TrainerInputSerializer,
        responses={
            201: TrainerSetupOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        season = get_object_or_404(Season, pk=pk)
        services.require_hr(request.user)
        data = _parse(TrainerInputSerializer, request)
        trainer = services.trainer_add(
            season=season,
            user=_active_person(data.pop("user"), "user"),
            actor=request.user,
            source=API,
            **data,
        )
        return Response(
            TrainerSetupOutputSerializer(trainer).data, status=status.HTTP_201_CREATED
        )


@extend_schema(tags=["set-up"])
class SeasonTrainerApi(APIView):
    def _trainer(self, request, pk: int, user_id: int) -> Trainer:
        trainer = get_object_or_404(
            Trainer.objects.select_related("user"), season_id=pk, user_id=user_id
        )
        services.require_hr(request.user)
        return trainer

    @extend_schema(
        operation_id="seasons_trainers_partial_update",
        request=TrainerUpdateInputSerializer,
        responses={
            200: TrainerSetupOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def patch(self, request, pk: int, user_id: int):
        trainer = services.trainer_update(
            trainer=self._trainer(request, pk, user_id),
            actor=request.user,
            changes=_parse(TrainerUpdateInputSerializer, request),
        )
        return Response(TrainerSetupOutputSerializer(trainer).data)

    @extend_schema(
        operation_id="seasons_trainers_destroy",
        request=None,
        responses={
            204: OpenApiResponse(description="Removed from the pool."),
            200: OpenApiResponse(
                TrainerSetupOutputSerializer,
                description="They coached teams: kept for the record, inactive.",
            ),
            **error_responses(401, 403, 404),
        },
    )
    def delete(self, request, pk: int, user_id: int):
        trainer = self._trainer(request, pk, user_id)
        if services.trainer_remove(trainer=trainer, actor=request.user):
            return Response(status=status.HTTP_204_NO_CONTENT)
        trainer.refresh_from_db()
        return Response(TrainerSetupOutputSerializer(trainer).data)


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
        person = _active_person(_parse(PersonInputSerializer, request)["person"])
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
        choices=["appointed", "already", "duplicate", "unknown", "inactive"]
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
        data = _parse(RoleBulkInputSerializer, request)
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
