"""Seasons, racecourses and challenges: lists and details, read-only."""

import django_filters
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView, RetrieveAPIView

from horserace.common.api import error_responses

from .. import selectors
from ..models import Challenge, Racecourse, Season
from ..setup.apis import ChallengeEditApiMixin, RacecourseSettingsApiMixin
from .serializers import (
    ChallengeOutputSerializer,
    RacecourseOutputSerializer,
    SeasonOutputSerializer,
)


class RacecourseFilter(django_filters.FilterSet):
    # The Innovation Farm lives on across seasons: a season's list holds it.
    season = django_filters.ModelChoiceFilter(
        queryset=Season.objects.all(), method="filter_season"
    )

    class Meta:
        model = Racecourse
        fields = ["season", "kind", "parent"]

    def filter_season(self, queryset, name, value):
        return queryset.filter(
            pk__in=selectors.racecourse_list(season=value).values("pk")
        )


class ChallengeFilter(django_filters.FilterSet):
    season = django_filters.ModelChoiceFilter(
        field_name="racecourse__season", queryset=Season.objects.all()
    )

    class Meta:
        model = Challenge
        fields = ["racecourse", "season", "is_open"]


class _NowMixin:
    """One clock reading per request, so every window answers for the same instant."""

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}


class SeasonListApi(ListAPIView):
    serializer_class = SeasonOutputSerializer
    filterset_fields = ["status", "year"]
    ordering_fields = ["year", "starts_on"]

    def get_queryset(self):
        return selectors.season_list()

    @extend_schema(
        operation_id="seasons_list",
        responses={200: SeasonOutputSerializer(many=True), **error_responses(400, 401)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class SeasonDetailApi(RetrieveAPIView):
    serializer_class = SeasonOutputSerializer

    def get_queryset(self):
        return selectors.season_list()

    @extend_schema(
        operation_id="seasons_retrieve",
        responses={200: SeasonOutputSerializer, **error_responses(401, 404)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class RacecourseListApi(_NowMixin, ListAPIView):
    """Racecourses with their stage windows and whether registration is open."""

    serializer_class = RacecourseOutputSerializer
    filterset_class = RacecourseFilter
    search_fields = ["name", "description"]
    ordering_fields = ["name", "kind"]

    def get_queryset(self):
        return selectors.racecourse_list()

    @extend_schema(
        operation_id="racecourses_list",
        responses={
            200: RacecourseOutputSerializer(many=True),
            **error_responses(400, 401),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class RacecourseDetailApi(RacecourseSettingsApiMixin, _NowMixin, RetrieveAPIView):
    serializer_class = RacecourseOutputSerializer

    def get_queryset(self):
        return selectors.racecourse_list()

    @extend_schema(
        operation_id="racecourses_retrieve",
        responses={200: RacecourseOutputSerializer, **error_responses(401, 404)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ChallengeListApi(ListAPIView):
    serializer_class = ChallengeOutputSerializer
    filterset_class = ChallengeFilter
    search_fields = ["title", "brief"]
    ordering_fields = ["title", "created_at"]

    def get_queryset(self):
        return selectors.challenge_list()

    @extend_schema(
        operation_id="challenges_list",
        responses={
            200: ChallengeOutputSerializer(many=True),
            **error_responses(400, 401),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ChallengeDetailApi(ChallengeEditApiMixin, RetrieveAPIView):
    serializer_class = ChallengeOutputSerializer

    def get_queryset(self):
        return selectors.challenge_list()

    @extend_schema(
        operation_id="challenges_retrieve",
        responses={200: ChallengeOutputSerializer, **error_responses(401, 404)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
