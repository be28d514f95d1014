"""The pool, its settings and the loads (HR and the racecourse's admins)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from contests.models import Racecourse
from horserace.common.api import error_responses
from voting.evaluation.assignments.pool import (
    evaluation_settings_update,
    evaluator_pool_add,
    evaluator_pool_remove,
)
from voting.evaluation.assignments.selectors import evaluator_loads, evaluator_pool

from .common import TAGS, managed_racecourse
from .serializers import (
    LoadOutputSerializer,
    PoolAddInputSerializer,
    PoolMemberOutputSerializer,
    SettingsSerializer,
)


def _settings_data(racecourse: Racecourse) -> dict:
    return {name: getattr(racecourse, name) for name in SettingsSerializer().fields}


def _pool_data(racecourse: Racecourse) -> list:
    pool = evaluator_pool(racecourse=racecourse)
    return PoolMemberOutputSerializer(pool, many=True).data


@extend_schema(tags=TAGS)
class PoolApi(APIView):
    """The racecourse's evaluator pool (GET), or add an evaluator to it (POST)."""

    @extend_schema(
        operation_id="evaluation_pool_list",
        responses={
            200: PoolMemberOutputSerializer(many=True),
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        racecourse = managed_racecourse(request, pk)
        return Response(_pool_data(racecourse))

    @extend_schema(
        operation_id="evaluation_pool_add",
        request=PoolAddInputSerializer,
        responses={
            201: PoolMemberOutputSerializer(many=True),
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        """Add a user with the evaluator role; answers with the whole pool."""
        racecourse = managed_racecourse(request, pk)
        serializer = PoolAddInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        evaluator_pool_add(
            actor=request.user,
            racecourse=racecourse,
            user=serializer.validated_data["user"],
        )
        return Response(_pool_data(racecourse), status=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class PoolMemberApi(APIView):
    @extend_schema(
        operation_id="evaluation_pool_remove",
        responses={
            204: OpenApiResponse(description="Removed, with unscored assignments."),
            **error_responses(400, 401, 403, 404),
        },
    )
    def delete(self, request, pk: int, user_id: int):
        """Remove an evaluator and their unscored assignments.

        400 once they have submitted a scorecard on the racecourse.
        """
        racecourse = managed_racecourse(request, pk)
        user = get_object_or_404(racecourse.evaluators, pk=user_id)
        evaluator_pool_remove(actor=request.user, racecourse=racecourse, user=user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=TAGS)
class SettingsApi(APIView):
    """k, L, the same-department conflict rule and blind evaluation."""

    @extend_schema(
        operation_id="evaluation_settings_retrieve",
        responses={200: SettingsSerializer, **error_responses(401, 403, 404)},
    )
    def get(self, request, pk: int):
        racecourse = managed_racecourse(request, pk)
        return Response(_settings_data(racecourse))

    @extend_schema(
        operation_id="evaluation_settings_update",
        request=SettingsSerializer,
        responses={200: SettingsSerializer, **error_responses(400, 401, 403, 404)},
    )
    def patch(self, request, pk: int):
        """Change any of the settings; those left out stay as they are."""
        racecourse = managed_racecourse(request, pk)
        serializer = SettingsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        racecourse = evaluation_settings_update(
            actor=request.user, racecourse=racecourse, **serializer.validated_data
        )
        return Response(_settings_data(racecourse))


@extend_schema(tags=TAGS)
class LoadsApi(APIView):
    @extend_schema(
        operation_id="evaluation_loads_list",
        responses={
            200: LoadOutputSerializer(many=True),
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        """Each pool evaluator's load (projects in evaluation) against L."""
        racecourse = managed_racecourse(request, pk)
        loads = evaluator_loads(racecourse=racecourse)
        return Response(LoadOutputSerializer(loads, many=True).data)
