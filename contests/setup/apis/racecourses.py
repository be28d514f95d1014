"""Racecourse settings and challenges."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from horserace.accounts.apis import UserBriefSerializer
from horserace.common.api import IdField, error_responses

from ...models import (
    Challenge,
    Racecourse,
)
from .. import services
from .common import active_person, parse

# --- Racecourse settings ---------------------------------------------------------


class RacecourseSettingsInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    audience = serializers.ChoiceField(
        choices=["", "company", "department"], required=False
    )
    team_size_limit = serializers.IntegerField(
        min_value=1, max_value=1000, required=False
    )
    promotion_quota = serializers.IntegerField(
        min_value=0, max_value=10000, required=False
    )
    evaluators_per_project = serializers.IntegerField(
        min_value=1, max_value=100, required=False
    )
    max_projects_per_evaluator = serializers.IntegerField(
        min_value=1, max_value=1000, required=False
    )
    conflict_same_department = serializers.BooleanField(required=False)
    conflict_manager_depth = serializers.IntegerField(
        min_value=0, max_value=10, required=False
    )
    blind_evaluation = serializers.BooleanField(required=False)


class RacecourseSettingsOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Racecourse
        fields = ["id", "season", "kind", "parent", *services.RACECOURSE_FIELDS]


class RacecourseSettingsApiMixin:
    """``PATCH /racecourses/{id}/``: HR, or an admin of this racecourse."""

    @extend_schema(
        operation_id="racecourses_partial_update",
        request=RacecourseSettingsInputSerializer,
        responses={
            200: RacecourseSettingsOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def patch(self, request, pk: int):
        racecourse = get_object_or_404(Racecourse, pk=pk)
        services.require_manager(request.user, racecourse)
        changes = parse(RacecourseSettingsInputSerializer, request)
        racecourse = services.racecourse_update(
            racecourse=racecourse, actor=request.user, changes=changes
        )
        return Response(RacecourseSettingsOutputSerializer(racecourse).data)


# --- Challenges -----------------------------------------------------------------


class ChallengeInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    brief = serializers.CharField()
    sponsor = IdField(help_text="The sponsor's user id (an active person).")
    prize = serializers.CharField(max_length=200, required=False, allow_blank=True)
    is_open = serializers.BooleanField(
        required=False, help_text="Accepting ideas; false closes the challenge."
    )


class ChallengeSetupOutputSerializer(serializers.ModelSerializer):
    sponsor = UserBriefSerializer()

    class Meta:
        model = Challenge
        fields = ["id", "racecourse", "title", "brief", "sponsor", "prize", "is_open"]


def _challenge_input(request, *, partial: bool) -> dict:
    data = parse(ChallengeInputSerializer, request, partial=partial)
    if "sponsor" in data:
        data["sponsor"] = active_person(data["sponsor"], "sponsor")
    return data


@extend_schema(tags=["set-up"])
class RacecourseChallengeCreateApi(APIView):
    @extend_schema(
        operation_id="racecourses_challenges_create",
        request=ChallengeInputSerializer,
        responses={
            201: ChallengeSetupOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        racecourse = get_object_or_404(Racecourse, pk=pk)
        services.require_manager(request.user, racecourse)
        challenge = services.challenge_create(
            racecourse=racecourse,
            actor=request.user,
            **_challenge_input(request, partial=False),
        )
        return Response(
            ChallengeSetupOutputSerializer(challenge).data,
            status=status.HTTP_201_CREATED,
        )


class ChallengeEditApiMixin:
    """``PATCH /challenges/{id}/``: edit, close or reopen."""

    @extend_schema(
        operation_id="challenges_partial_update",
        request=ChallengeInputSerializer,
        responses={
            200: ChallengeSetupOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def patch(self, request, pk: int):
        challenge = get_object_or_404(
            Challenge.objects.select_related("racecourse"), pk=pk
        )
        services.require_manager(request.user, challenge.racecourse)
        challenge = services.challenge_update(
            challenge=challenge,
            actor=request.user,
            changes=_challenge_input(request, partial=True),
        )
        return Response(ChallengeSetupOutputSerializer(challenge).data)
