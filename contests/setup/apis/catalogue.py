"""The resource catalogue, budgets and the trainer pool."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from horserace.accounts.apis import UserBriefSerializer
from horserace.common.api import IdField, error_responses

from ...models import (
    Racecourse,
    Resource,
    ResourceKind,
    ResourceUnit,
    Season,
    Trainer,
)
from .. import services
from .common import API, active_person, parse

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
            **parse(ResourceInputSerializer, request),
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
            changes=parse(ResourceInputSerializer, request, partial=True),
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
            amount=parse(BudgetInputSerializer, request)["amount"],
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
        data = parse(TrainerInputSerializer, request)
        trainer = services.trainer_add(
            season=season,
            user=active_person(data.pop("user"), "user"),
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
            changes=parse(TrainerUpdateInputSerializer, request),
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
