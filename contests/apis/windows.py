"""Stage windows: read them, apply a closed one's rule, confirm a decision."""

import django_filters
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from horserace.accounts.apis import UserBriefSerializer
from horserace.common.api import error_responses

from .. import selectors
from ..closing import window_apply
from ..models import Season, StageWindow


class ClosingProposalOutputSerializer(serializers.Serializer):
    passing = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Ideas proposed (or, once confirmed, chosen) to go on, best first.",
    )
    confirmed_by = UserBriefSerializer(allow_null=True)
    confirmed_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


class WindowOutputSerializer(serializers.ModelSerializer):
    """A window, with its proposal for those who manage its racecourse."""

    is_open = serializers.SerializerMethodField()
    proposal = serializers.SerializerMethodField(
        help_text=(
            "A “decided by a person” window's proposal; null when there is none "
            "or you do not manage this racecourse."
        )
    )

    class Meta:
        model = StageWindow
        fields = [
            "id",
            "racecourse",
            "stage",
            "opens_at",
            "closes_at",
            "rule",
            "top_k",
            "threshold_rate",
            "threshold_min_voters",
            "support_budget",
            "hide_counts",
            "is_open",
            "applied_at",
            "proposal",
        ]

    @extend_schema_field(serializers.BooleanField())
    def get_is_open(self, window) -> bool:
        return window.is_open(self.context.get("now"))

    @extend_schema_field(ClosingProposalOutputSerializer(allow_null=True))
    def get_proposal(self, window):
        managed = self.context.get("managed")
        if managed is None or not managed.manages(window.racecourse_id):
            return None
        proposal = getattr(window, "proposal", None)
        return ClosingProposalOutputSerializer(proposal).data if proposal else None


class WindowResultOutputSerializer(serializers.Serializer):
    status = serializers.CharField(
        help_text=(
            "`applied`: the rule ran now; `already_applied`: it had run before, "
            "nothing changed; `proposed`: a person must confirm the proposal."
        )
    )
    opened = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ideas that entered screening."
    )
    passed = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ideas that went on to gestation."
    )
    eliminated = serializers.ListField(child=serializers.IntegerField())
    promoted = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Ideas moved up to the parent racecourse.",
    )
    proposed = serializers.ListField(
        child=serializers.IntegerField(),
        allow_null=True,
        help_text="For a window decided by a person: the proposed list.",
    )
    held = serializers.ListField(
        child=serializers.IntegerField(),
        help_text=(
            "Gestation: projects with no proposal left in gestation for HR to "
            "extend or eliminate."
        ),
    )
    extended = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Gestation: projects with no proposal yet but a running extension.",
    )
    window = WindowOutputSerializer()


class WindowFilter(django_filters.FilterSet):
    season = django_filters.ModelChoiceFilter(
        field_name="racecourse__season", queryset=Season.objects.all()
    )
    applied = django_filters.BooleanFilter(
        field_name="applied_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = StageWindow
        fields = ["racecourse", "season", "stage", "rule", "applied"]


def window_context(request) -> dict:
    return {
        "request": request,
        "now": timezone.now(),
        "managed": selectors.racecourses_managed(user=request.user),
    }


def window_result_response(request, outcome: dict) -> Response:
    window = selectors.stage_window_get(pk=outcome["window"])
    data = WindowResultOutputSerializer(
        {**outcome, "window": window}, context=window_context(request)
    ).data
    return Response(data)


@extend_schema(tags=["windows"])
class WindowListApi(ListAPIView):
    """Stage windows of every racecourse, soonest first."""

    serializer_class = WindowOutputSerializer
    filterset_class = WindowFilter
    ordering_fields = ["opens_at", "closes_at"]

    def get_queryset(self):
        return selectors.stage_window_list()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), **window_context(self.request)}

    @extend_schema(
        operation_id="windows_list",
        responses={200: WindowOutputSerializer(many=True), **error_responses(400, 401)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


@extend_schema(tags=["windows"])
class WindowDetailApi(RetrieveAPIView):
    serializer_class = WindowOutputSerializer

    def get_queryset(self):
        return selectors.stage_window_list()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), **window_context(self.request)}

    @extend_schema(
        operation_id="windows_retrieve",
        responses={200: WindowOutputSerializer, **error_responses(401, 404)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


@extend_schema(tags=["windows"])
class WindowCloseApi(APIView):
    """Apply a closed window's rule now instead of waiting for the minute task.

    HR and the racecourse's admins only. A window that is still open is a
    400. Applying again changes nothing (`already_applied`). For a window
    decided by a person the answer is the proposal (`proposed`), which
    `POST /api/v1/windows/{id}/confirm/` then confirms.
    """

    @extend_schema(
        operation_id="windows_close",
        request=None,
        responses={
            200: WindowResultOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        window = get_object_or_404(selectors.stage_window_list(), pk=pk)
        outcome = window_apply(window=window, actor=request.user)
        return window_result_response(request, outcome)
