"""The season dashboard over the API: the same series as the page.

HR reads every racecourse of a season, a racecourse admin only those they
run; everyone else gets a 403, an unknown season a 404.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from contests.models import Season
from horserace.common.api import IdField, error_responses

from . import selectors


class DashboardQuerySerializer(serializers.Serializer):
    racecourse = IdField(
        required=False,
        help_text="Only this racecourse (one of the season's you may see).",
    )


class _Racecourse(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    kind = serializers.CharField()


class _FunnelStep(serializers.Serializer):
    stage = serializers.CharField(
        help_text="`idea` (every idea), then `registered`, `screening`, "
        "`gestation`, `evaluation`, `realization`."
    )
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField(help_text="Ideas that ever entered the stage.")


class _Participation(serializers.Serializer):
    department_id = serializers.IntegerField(allow_null=True)
    department = serializers.CharField()
    submitted = serializers.IntegerField(help_text="People who submitted an idea.")
    joined = serializers.IntegerField(help_text="People who joined a team.")
    voted = serializers.IntegerField(help_text="People who cast a screening ballot.")


class _BallotDay(serializers.Serializer):
    day = serializers.DateField()
    count = serializers.IntegerField()


class _WindowBallots(serializers.Serializer):
    window_id = serializers.IntegerField()
    racecourse = serializers.CharField()
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    total = serializers.IntegerField()
    days = serializers.SerializerMethodField()

    @extend_schema_field(_BallotDay(many=True))
    def get_days(self, obj) -> list[dict]:
        return [{"day": d.isoformat(), "count": n} for d, n in sorted(obj.days.items())]


class _Evaluation(serializers.Serializer):
    racecourse_id = serializers.IntegerField()
    racecourse = serializers.CharField()
    due = serializers.IntegerField(help_text="Assignments (one scorecard each).")
    started = serializers.IntegerField(help_text="Scorecards saved as a draft.")
    submitted = serializers.IntegerField()


class _Resource(serializers.Serializer):
    resource_id = serializers.IntegerField()
    resource = serializers.CharField()
    kind = serializers.CharField()
    unit = serializers.CharField()
    budget = serializers.DecimalField(max_digits=14, decimal_places=2)
    granted = serializers.DecimalField(max_digits=14, decimal_places=2)


class _Project(serializers.Serializer):
    idea_id = serializers.IntegerField()
    title = serializers.CharField()
    currency = serializers.CharField()
    planned = serializers.DecimalField(max_digits=14, decimal_places=2)
    released = serializers.DecimalField(max_digits=14, decimal_places=2)


class _Release(serializers.Serializer):
    day = serializers.DateField()
    currency = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    cumulative = serializers.DecimalField(max_digits=14, decimal_places=2)


class DashboardOutputSerializer(serializers.Serializer):
    season = serializers.IntegerField(source="season.pk")
    racecourse = serializers.IntegerField(source="racecourse.pk", allow_null=True)
    racecourses = _Racecourse(many=True)
    funnel = _FunnelStep(many=True)
    participation = _Participation(many=True)
    ballots_per_day = _WindowBallots(many=True, source="ballots.windows")
    evaluation = _Evaluation(many=True)
    resources = _Resource(many=True)
    tranches = _Project(many=True, source="tranches.projects")
    releases = _Release(many=True, source="tranches.releases")


@extend_schema(tags=["dashboards"])
class SeasonDashboardApi(APIView):
    """A season's dashboard series (HR; a racecourse admin for their racecourses)."""

    @extend_schema(
        operation_id="seasons_dashboard",
        parameters=[DashboardQuerySerializer],
        responses={
            200: DashboardOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        season = get_object_or_404(Season, pk=pk)
        if not selectors.dashboard_allowed(user=request.user, season=season):
            raise PermissionDenied(
                _("This season's dashboard is for HR and its admins.")
            )
        query = DashboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        racecourses = selectors.dashboard_racecourses(season=season, user=request.user)
        racecourse = None
        if "racecourse" in query.validated_data:
            wanted = query.validated_data["racecourse"]
            racecourse = next((r for r in racecourses if r.pk == wanted), None)
            if racecourse is None:
                raise Http404(_("No such racecourse on your dashboard."))
        board = selectors.dashboard_get(
            season=season,
            user=request.user,
            racecourse=racecourse,
            racecourses=racecourses,
        )
        return Response(DashboardOutputSerializer(board).data)
