"""The shapes of seasons, racecourses (with their windows) and challenges."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from horserace.accounts.apis import UserBriefSerializer

from .. import selectors
from ..models import Challenge, Racecourse, Season, StageWindow


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
            "round",
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
