"""Gestation's resource catalogue, budgets and trainer pool.

Every signed-in employee reads them: teams choose what to ask for and see
what is left. HR adds to the catalogue and the pool through the ``POST``
halves of ``contests.setup.apis`` mixed in here (one route per list).
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from contests import selectors
from contests.models import Racecourse, Resource, ResourceKind, ResourceUnit
from contests.setup.apis import SeasonResourceCreateApiMixin, SeasonTrainerAddApiMixin
from horserace.accounts.apis import UserBriefSerializer
from horserace.common.api import error_responses
from ideas.gestation.selectors.resources import budget_list
from ideas.gestation.selectors.trainers import trainer_pool


def _one_of(choices) -> str:
    return "One of: " + ", ".join(f"`{value}`" for value, _label in choices) + "."


class CatalogueResourceOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    season = serializers.IntegerField(source="season_id")
    kind = serializers.CharField(help_text=_one_of(ResourceKind.choices))
    name = serializers.CharField()
    unit = serializers.CharField(help_text=_one_of(ResourceUnit.choices))
    description = serializers.CharField()
    is_active = serializers.BooleanField(help_text="Open for requests.")


class ResourceBudgetOutputSerializer(serializers.Serializer):
    resource = CatalogueResourceOutputSerializer()
    budget = serializers.DecimalField(source="amount", max_digits=14, decimal_places=2)
    granted = serializers.DecimalField(max_digits=14, decimal_places=2)
    pending = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Asked and not yet decided."
    )
    left = serializers.DecimalField(max_digits=14, decimal_places=2)


class TrainerPoolOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    user = UserBriefSerializer()
    expertise = serializers.CharField()
    capacity = serializers.IntegerField(help_text="Teams at most.")
    load = serializers.IntegerField(help_text="Teams coached now.")
    is_active = serializers.BooleanField(help_text="Taking teams.")


@extend_schema(tags=["gestation: catalogue"])
class SeasonResourcesApi(SeasonResourceCreateApiMixin, APIView):
    """The season's resource catalogue; HR adds to it (``contests.setup``)."""

    @extend_schema(
        operation_id="seasons_resources_list",
        responses={
            200: CatalogueResourceOutputSerializer(many=True),
            **error_responses(401, 404),
        },
    )
    def get(self, request, pk: int):
        season = get_object_or_404(selectors.season_list(), pk=pk)
        rows = Resource.objects.filter(season=season).order_by("kind", "name")
        return Response(CatalogueResourceOutputSerializer(rows, many=True).data)


@extend_schema(tags=["gestation: catalogue"])
class RacecourseBudgetsApi(APIView):
    """What the racecourse may grant of each resource, granted so far and left."""

    @extend_schema(
        operation_id="racecourses_budgets_list",
        responses={
            200: ResourceBudgetOutputSerializer(many=True),
            **error_responses(401, 404),
        },
    )
    def get(self, request, pk: int):
        racecourse = get_object_or_404(Racecourse, pk=pk)
        rows = budget_list(racecourse=racecourse)
        return Response(ResourceBudgetOutputSerializer(rows, many=True).data)


@extend_schema(tags=["gestation: catalogue"])
class SeasonTrainersApi(SeasonTrainerAddApiMixin, APIView):
    """The season's trainer pool, with each trainer's load and capacity."""

    @extend_schema(
        operation_id="seasons_trainers_list",
        responses={
            200: TrainerPoolOutputSerializer(many=True),
            **error_responses(401, 404),
        },
    )
    def get(self, request, pk: int):
        season = get_object_or_404(selectors.season_list(), pk=pk)
        rows = trainer_pool(season=season)
        return Response(TrainerPoolOutputSerializer(rows, many=True).data)
