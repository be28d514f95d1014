"""Trainers and sessions: requests, assignments and the session log."""

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from horserace.common.api import error_responses
from horserace.common.filters import IdFilter
from ideas.selectors.gestation.trainers import (
    trainer_assignment_list,
    trainer_assignments_visible,
    trainer_sessions_visible,
)

from ...models import TrainerAssignment
from ...services import trainers as trainer_services
from .helpers import gestation_idea, parse
from .serializers import (
    TrainerAssignInputSerializer,
    TrainerAssignmentOutputSerializer,
    TrainerDeclineInputSerializer,
    TrainerRequestInputSerializer,
    TrainerSessionInputSerializer,
    TrainerSessionOutputSerializer,
)


def _assignment_response(pk: int, code=status.HTTP_200_OK) -> Response:
    assignment = trainer_assignment_list().get(pk=pk)
    return Response(TrainerAssignmentOutputSerializer(assignment).data, status=code)


@extend_schema(tags=["gestation: trainers"])
class IdeaTrainerAssignmentsApi(APIView):
    """The team's trainer assignments and requests (GET); HR or the racecourse's
    admins assign a trainer from the season's pool (POST), filling the team's
    open request if any, within the trainer's capacity."""

    @extend_schema(
        operation_id="ideas_trainer_assignments_list",
        responses={
            200: TrainerAssignmentOutputSerializer(many=True),
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        idea = gestation_idea(request, pk, "ideas.view_gestation")
        rows = trainer_assignment_list(idea=idea)
        return Response(TrainerAssignmentOutputSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="ideas_trainer_assignments_create",
        request=TrainerAssignInputSerializer,
        responses={
            201: TrainerAssignmentOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        idea = gestation_idea(request, pk)
        data = parse(TrainerAssignInputSerializer, request)
        assignment = trainer_services.trainer_assign(
            idea=idea, actor=request.user, trainer=data["trainer"]
        )
        return _assignment_response(assignment.pk, status.HTTP_201_CREATED)


@extend_schema(tags=["gestation: trainers"])
class IdeaTrainerRequestApi(APIView):
    @extend_schema(
        operation_id="ideas_trainer_request",
        description="The captain asks for a trainer, optionally naming one.",
        request=TrainerRequestInputSerializer,
        responses={
            201: TrainerAssignmentOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        idea = gestation_idea(request, pk)
        data = parse(TrainerRequestInputSerializer, request)
        assignment = trainer_services.trainer_request(
            idea=idea, actor=request.user, **data
        )
        return _assignment_response(assignment.pk, status.HTTP_201_CREATED)


class TrainerAssignmentFilter(django_filters.FilterSet):
    mine = django_filters.BooleanFilter(
        method="filter_mine", label="Only the teams you coach or coached."
    )
    racecourse = IdFilter(field_name="idea__racecourse")
    status = django_filters.MultipleChoiceFilter(
        choices=TrainerAssignment.Status.choices
    )

    class Meta:
        model = TrainerAssignment
        fields = ["idea", "racecourse", "status", "mine"]

    def filter_mine(self, queryset, name, value):
        if value:
            return queryset.filter(trainer__user=self.request.user)
        return queryset


@extend_schema(tags=["gestation: trainers"])
class TrainerAssignmentListApi(ListAPIView):
    """Assignments you may see: your teams', your own as trainer (`?mine=true`),
    the racecourses you run; HR all."""

    serializer_class = TrainerAssignmentOutputSerializer
    filterset_class = TrainerAssignmentFilter
    ordering_fields = ["created_at", "assigned_at"]
    ordering = ["-created_at", "-pk"]
    search_fields = ["idea__title", "trainer__user__display_name"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return TrainerAssignment.objects.none()
        return trainer_assignments_visible(user=self.request.user)

    @extend_schema(
        operation_id="trainer_assignments_list",
        responses={
            200: TrainerAssignmentOutputSerializer(many=True),
            **error_responses(400, 401),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def _visible_assignment(request, pk: int) -> TrainerAssignment:
    return get_object_or_404(trainer_assignments_visible(user=request.user), pk=pk)


@extend_schema(tags=["gestation: trainers"])
class TrainerAssignmentEndApi(APIView):
    @extend_schema(
        operation_id="trainer_assignments_end",
        description="HR or the racecourse's admins end an active assignment.",
        request=None,
        responses={
            200: TrainerAssignmentOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        assignment = _visible_assignment(request, pk)
        trainer_services.trainer_assignment_end(
            assignment=assignment, actor=request.user
        )
        return _assignment_response(pk)


@extend_schema(tags=["gestation: trainers"])
class TrainerAssignmentDeclineApi(APIView):
    @extend_schema(
        operation_id="trainer_assignments_decline",
        description="HR or the racecourse's admins turn down a team's request.",
        request=TrainerDeclineInputSerializer,
        responses={
            200: TrainerAssignmentOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        assignment = _visible_assignment(request, pk)
        data = parse(TrainerDeclineInputSerializer, request)
        trainer_services.trainer_request_decline(
            assignment=assignment, actor=request.user, reason=data.get("reason", "")
        )
        return _assignment_response(pk)


@extend_schema(tags=["gestation: trainers"])
class TrainerSessionsApi(APIView):
    """An assignment's session log (private to the team, its trainers and HR;
    a past trainer sees their own), and the active trainer's new entry."""

    @extend_schema(
        operation_id="trainer_assignments_sessions_list",
        responses={
            200: TrainerSessionOutputSerializer(many=True),
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        assignment = _visible_assignment(request, pk)
        idea = gestation_idea(request, assignment.idea_id, "ideas.see_sessions")
        rows = trainer_sessions_visible(idea=idea, user=request.user).filter(
            assignment=assignment
        )
        return Response(TrainerSessionOutputSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="trainer_assignments_sessions_create",
        request=TrainerSessionInputSerializer,
        responses={
            201: TrainerSessionOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        assignment = _visible_assignment(request, pk)
        data = parse(TrainerSessionInputSerializer, request)
        session = trainer_services.trainer_session_log(
            assignment=assignment, actor=request.user, **data
        )
        return Response(
            TrainerSessionOutputSerializer(session).data,
            status=status.HTTP_201_CREATED,
        )
