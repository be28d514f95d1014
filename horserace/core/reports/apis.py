"""The weekly reports over the API: read them, subscribe and unsubscribe."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from horserace.common.api import error_responses

from . import selectors, services


class WeeklyReportSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    season = serializers.IntegerField(source="season_id")
    week_start = serializers.DateField()
    created_at = serializers.DateTimeField()
    url = serializers.CharField(source="get_absolute_url")


class _Idea(serializers.Serializer):
    idea = serializers.IntegerField()
    title = serializers.CharField()
    team = serializers.CharField(
        allow_null=True,
        help_text="The captain's name; null for an anonymous team.",
    )


class _Advanced(_Idea):
    stage = serializers.CharField()
    stage_label = serializers.CharField()


class _Mover(_Idea):
    points = serializers.IntegerField()
    stages = serializers.ListField(child=serializers.CharField())


class _Department(serializers.Serializer):
    department_id = serializers.IntegerField(allow_null=True)
    department = serializers.CharField()
    rank = serializers.IntegerField()
    previous_rank = serializers.IntegerField(allow_null=True)
    change = serializers.IntegerField(
        allow_null=True, help_text="Places gained since last week (negative: lost)."
    )
    week_points = serializers.IntegerField()
    season_points = serializers.IntegerField()


class _StageCount(serializers.Serializer):
    stage = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField()


class _Totals(serializers.Serializer):
    submitted = serializers.IntegerField()
    advanced = serializers.IntegerField()
    points = serializers.IntegerField()
    departments = serializers.IntegerField()


class WeeklyReportSerializer(WeeklyReportSummarySerializer):
    week_end = serializers.DateField(source="data.week_end")
    points = serializers.DictField(
        child=serializers.IntegerField(),
        source="data.points",
        help_text="What each step earns: `submitted`, then the stage reached.",
    )
    totals = _Totals(source="data.totals")
    advanced_by_stage = _StageCount(many=True, source="data.advanced_by_stage")
    submitted = _Idea(
        many=True,
        source="data.submitted",
        help_text="Ideas submitted this week, those visible to everyone only.",
    )
    advanced = _Advanced(many=True, source="data.advanced")
    leaderboard = _Department(many=True, source="data.leaderboard")
    movers = _Mover(many=True, source="data.movers")


class SubscriptionSerializer(serializers.Serializer):
    subscribed = serializers.BooleanField()


@extend_schema(tags=["reports"])
class WeeklyReportListApi(ListAPIView):
    """The weekly innovation reports, newest first (every employee)."""

    serializer_class = WeeklyReportSummarySerializer

    def get_queryset(self):
        return selectors.report_list()

    @extend_schema(
        operation_id="reports_weekly_list",
        responses={
            200: WeeklyReportSummarySerializer(many=True),
            **error_responses(401),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


@extend_schema(tags=["reports"])
class WeeklyReportDetailApi(APIView):
    """One weekly report, as every employee may read it."""

    @extend_schema(
        operation_id="reports_weekly_detail",
        responses={200: WeeklyReportSerializer, **error_responses(401, 404)},
    )
    def get(self, request, pk: int):
        report = selectors.report_get(pk=pk)
        if report is None:
            raise Http404(_("No such report."))
        report.data = selectors.report_for_reader(report, user=request.user)
        return Response(WeeklyReportSerializer(report).data)


@extend_schema(tags=["reports"])
class WeeklyReportSubscriptionApi(APIView):
    """Whether you receive the weekly report; subscribe (POST), unsubscribe (DELETE)."""

    @extend_schema(
        operation_id="reports_weekly_subscription",
        responses={200: SubscriptionSerializer, **error_responses(401)},
    )
    def get(self, request):
        return Response({"subscribed": selectors.is_subscribed(user=request.user)})

    @extend_schema(
        operation_id="reports_weekly_subscribe",
        request=None,
        responses={200: SubscriptionSerializer, **error_responses(401)},
    )
    def post(self, request):
        services.report_subscribe(user=request.user)
        return Response({"subscribed": True})

    @extend_schema(
        operation_id="reports_weekly_unsubscribe",
        request=None,
        responses={200: SubscriptionSerializer, **error_responses(401)},
    )
    def delete(self, request):
        services.report_unsubscribe(user=request.user)
        return Response({"subscribed": False})
