"""A racecourse's scoring rubric and its criteria (evaluation).

Anyone logged in reads it (teams may know how they are judged); HR and the
racecourse's admins write it through ``voting.evaluation.rubrics``, which
freezes what submitted cards use.
"""

from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from contests.models import Criterion, Racecourse, Rubric
from horserace.common.api import error_responses
from horserace.common.validators import no_bidi_controls
from voting.evaluation import rubrics


class CriterionOutputSerializer(serializers.ModelSerializer):
    frozen = serializers.SerializerMethodField(
        help_text="A submitted scorecard uses it: its scale and weight are fixed."
    )

    class Meta:
        model = Criterion
        fields = [
            "id",
            "name",
            "guidance",
            "scale_min",
            "scale_max",
            "weight",
            "position",
            "frozen",
        ]

    def get_frozen(self, criterion) -> bool:
        return criterion.pk in self.context.get("in_use", set())


class RubricOutputSerializer(serializers.ModelSerializer):
    criteria = CriterionOutputSerializer(many=True)

    class Meta:
        model = Rubric
        fields = ["id", "racecourse", "title", "instructions", "criteria"]


class RubricInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, validators=[no_bidi_controls])
    instructions = serializers.CharField(required=False, allow_blank=True, default="")


class CriterionInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120, validators=[no_bidi_controls])
    guidance = serializers.CharField(required=False, allow_blank=True, default="")
    scale_min = serializers.IntegerField(
        min_value=0, max_value=rubrics.SCALE_LIMIT, default=1
    )
    scale_max = serializers.IntegerField(
        min_value=1, max_value=rubrics.SCALE_LIMIT, default=5
    )
    weight = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        default=Decimal(1),
    )


class CriterionUpdateInputSerializer(CriterionInputSerializer):
    """Every field optional; the scale and weight only while not frozen."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
            field.default = serializers.empty


class CriteriaOrderInputSerializer(serializers.Serializer):
    order = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        max_length=200,
        help_text="Every criterion id of the rubric once, in the new order.",
    )


def _rubric_response(racecourse_pk: int, status_code: int = 200) -> Response:
    rubric = (
        Rubric.objects.filter(racecourse_id=racecourse_pk)
        .prefetch_related("criteria")
        .first()
    )
    if rubric is None:
        raise Http404
    data = RubricOutputSerializer(
        rubric, context={"in_use": rubrics.criteria_in_use(rubric=rubric)}
    ).data
    return Response(data, status=status_code)


def _racecourse_or_404(pk: int) -> Racecourse:
    return get_object_or_404(Racecourse, pk=pk)


def _rubric_or_404(racecourse_pk: int) -> Rubric:
    return get_object_or_404(
        Rubric.objects.select_related("racecourse"), racecourse_id=racecourse_pk
    )


@extend_schema(tags=["evaluation"])
class RubricApi(APIView):
    """The racecourse's rubric: its criteria with guidance, scale and weight."""

    @extend_schema(
        operation_id="rubrics_retrieve",
        responses={200: RubricOutputSerializer, **error_responses(401, 404)},
    )
    def get(self, request, pk: int):
        _racecourse_or_404(pk)
        return _rubric_response(pk)

    @extend_schema(
        operation_id="rubrics_update",
        request=RubricInputSerializer,
        responses={
            200: RubricOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def put(self, request, pk: int):
        """Create the rubric or change its title and instructions (HR, admins)."""
        racecourse = _racecourse_or_404(pk)
        serializer = RubricInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rubrics.rubric_save(
            actor=request.user, racecourse=racecourse, **serializer.validated_data
        )
        return _rubric_response(pk)


@extend_schema(tags=["evaluation"])
class CriterionCreateApi(APIView):
    """Add a criterion at the end (refused once scorecards are submitted)."""

    @extend_schema(
        operation_id="rubrics_criteria_create",
        request=CriterionInputSerializer,
        responses={
            201: RubricOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        rubric = _rubric_or_404(pk)
        serializer = CriterionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rubrics.criterion_add(
            actor=request.user, rubric=rubric, **serializer.validated_data
        )
        return _rubric_response(pk, status_code=201)


@extend_schema(tags=["evaluation"])
class CriteriaReorderApi(APIView):
    """Put the rubric's criteria in a new order."""

    @extend_schema(
        operation_id="rubrics_criteria_reorder",
        request=CriteriaOrderInputSerializer,
        responses={
            200: RubricOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        rubric = _rubric_or_404(pk)
        serializer = CriteriaOrderInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rubrics.criteria_reorder(
            actor=request.user, rubric=rubric, order=serializer.validated_data["order"]
        )
        return _rubric_response(pk)


@extend_schema(tags=["evaluation"])
class CriterionDetailApi(APIView):
    """Change or remove one criterion of a rubric."""

    def _criterion(self, pk: int) -> Criterion:
        return get_object_or_404(
            Criterion.objects.select_related("rubric__racecourse"), pk=pk
        )

    @extend_schema(
        operation_id="criteria_partial_update",
        request=CriterionUpdateInputSerializer,
        responses={
            200: RubricOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def patch(self, request, pk: int):
        criterion = self._criterion(pk)
        serializer = CriterionUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rubrics.criterion_update(
            actor=request.user, criterion=criterion, **serializer.validated_data
        )
        return _rubric_response(criterion.rubric.racecourse_id)

    @extend_schema(
        operation_id="criteria_destroy",
        responses={204: None, **error_responses(400, 401, 403, 404)},
    )
    def delete(self, request, pk: int):
        criterion = self._criterion(pk)
        rubrics.criterion_remove(actor=request.user, criterion=criterion)
        return Response(status=204)
