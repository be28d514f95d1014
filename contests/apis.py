"""Read-only API for the rules of the race: seasons, racecourses, challenges.

HR manages these in the Django admin; REST clients only read them.
"""

import django_filters
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import ListAPIView, RetrieveAPIView

from horserace.accounts.apis import UserBriefSerializer
from horserace.core.api import error_responses

from . import selectors
from .models import Challenge, Racecourse, Season, StageWindow

# --- Serializers -------------------------------------------------------------


class SeasonOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Season
        fields = [
            "id",
            "name",
            "year",
            "starts_on",
            "ends_on",
            "status",
            "teams_per_person",
        ]


class StageWindowOutputSerializer(serializers.ModelSerializer):
    is_open = serializers.SerializerMethodField()

    class Meta:
        model = StageWindow
        fields = [
            "stage",
            "opens_at",
            "closes_at",
            "rule",
            "top_k",
            "threshold_rate",
            "threshold_min_voters",
            "is_open",
        ]

    @extend_schema_field(serializers.BooleanField())
    def get_is_open(self, window) -> bool:
        return window.is_open(self.context.get("now"))


class RacecourseOutputSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.name", allow_null=True)
    windows = StageWindowOutputSerializer(many=True)
    registration_open = serializers.SerializerMethodField(
        help_text="Whether ideas can be registered here right now."
    )

    class Meta:
        model = Racecourse
        fields = [
            "id",
            "season",
            "name",
            "slug",
            "kind",
            "description",
            "parent",
            "department",
            "team_size_limit",
            "promotion_quota",
            "registration_open",
            "windows",
        ]

    def get_registration_open(self, racecourse) -> bool:
        return selectors.registration_is_open(
            racecourse=racecourse, when=self.context.get("now")
        )


class ChallengeOutputSerializer(serializers.ModelSerializer):
    season = serializers.IntegerField(source="racecourse.season_id")
    sponsor = UserBriefSerializer()

    class Meta:
        model = Challenge
        fields = [
            "id",
            "racecourse",
            "season",
            "title",
            "brief",
            "sponsor",
            "prize",
            "is_open",
        ]


# --- Filters -------------------------------------------------------------------


class RacecourseFilter(django_filters.FilterSet):
    class Meta:
        model = Racecourse
        fields = ["season", "kind", "parent"]


class ChallengeFilter(django_filters.FilterSet):
    season = django_filters.ModelChoiceFilter(
        field_name="racecourse__season", queryset=Season.objects.all()
    )

    class Meta:
        model = Challenge
        fields = ["racecourse", "season", "is_open"]


# --- Views ---------------------------------------------------------------------


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


class RacecourseDetailApi(_NowMixin, RetrieveAPIView):
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


class ChallengeDetailApi(RetrieveAPIView):
    serializer_class = ChallengeOutputSerializer

    def get_queryset(self):
        return selectors.challenge_list()

    @extend_schema(
        operation_id="challenges_retrieve",
        responses={200: ChallengeOutputSerializer, **error_responses(401, 404)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


urlpatterns = [
    path("seasons/", SeasonListApi.as_view(), name="season-list"),
    path("seasons/<int:pk>/", SeasonDetailApi.as_view(), name="season-detail"),
    path("racecourses/", RacecourseListApi.as_view(), name="racecourse-list"),
    path(
        "racecourses/<int:pk>/",
        RacecourseDetailApi.as_view(),
        name="racecourse-detail",
    ),
    path("challenges/", ChallengeListApi.as_view(), name="challenge-list"),
    path("challenges/<int:pk>/", ChallengeDetailApi.as_view(), name="challenge-detail"),
]
