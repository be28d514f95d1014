"""Milestones and progress updates."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from horserace.common.api import error_responses
from ideas.selectors.gestation.progress import milestone_list, progress_update_list
from ideas.services.gestation.progress import (
    milestone_create,
    milestone_delete,
    milestone_set_done,
    progress_update_post,
)

from ...models import Milestone
from ..serializers import viewer_context
from .helpers import gestation_idea, parse
from .serializers import (
    GestationMilestoneDoneInputSerializer,
    GestationMilestoneInputSerializer,
    GestationMilestoneOutputSerializer,
    ProgressUpdateInputSerializer,
    ProgressUpdateOutputSerializer,
)


@extend_schema(tags=["gestation: progress"])
class IdeaMilestonesApi(APIView):
    """The team's milestones (GET); the captain adds one (POST)."""

    @extend_schema(
        operation_id="ideas_milestones_list",
        responses={
            200: GestationMilestoneOutputSerializer(many=True),
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        idea = gestation_idea(request, pk, "ideas.see_progress")
        rows = milestone_list(idea=idea)
        return Response(GestationMilestoneOutputSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="ideas_milestones_create",
        request=GestationMilestoneInputSerializer,
        responses={
            201: GestationMilestoneOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        idea = gestation_idea(request, pk)
        data = parse(GestationMilestoneInputSerializer, request)
        milestone = milestone_create(idea=idea, actor=request.user, **data)
        return Response(
            GestationMilestoneOutputSerializer(milestone).data,
            status=status.HTTP_201_CREATED,
        )


def _milestone(request, pk: int) -> Milestone:
    milestone = get_object_or_404(Milestone, pk=pk)
    gestation_idea(request, milestone.idea_id)
    return milestone


@extend_schema(tags=["gestation: progress"])
class MilestoneDoneApi(APIView):
    @extend_schema(
        operation_id="milestones_done",
        description="A team member marks the milestone done (or, `done: false`, open).",
        request=GestationMilestoneDoneInputSerializer,
        responses={
            200: GestationMilestoneOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        milestone = _milestone(request, pk)
        data = parse(GestationMilestoneDoneInputSerializer, request)
        milestone = milestone_set_done(
            milestone=milestone, actor=request.user, done=data["done"]
        )
        return Response(GestationMilestoneOutputSerializer(milestone).data)


@extend_schema(tags=["gestation: progress"])
class MilestoneDetailApi(APIView):
    @extend_schema(
        operation_id="milestones_delete",
        description="The captain removes a milestone.",
        responses={204: None, **error_responses(401, 403, 404)},
    )
    def delete(self, request, pk: int):
        milestone = _milestone(request, pk)
        milestone_delete(milestone=milestone, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["gestation: progress"])
class IdeaProgressUpdatesApi(APIView):
    """The team's updates, newest first (GET); a member posts one (POST)."""

    @extend_schema(
        operation_id="ideas_progress_updates_list",
        responses={
            200: ProgressUpdateOutputSerializer(many=True),
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        idea = gestation_idea(request, pk, "ideas.see_progress")
        rows = progress_update_list(idea=idea)
        return Response(
            ProgressUpdateOutputSerializer(
                rows, many=True, context=viewer_context(request)
            ).data
        )

    @extend_schema(
        operation_id="ideas_progress_updates_create",
        request=ProgressUpdateInputSerializer,
        responses={
            201: ProgressUpdateOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        idea = gestation_idea(request, pk)
        data = parse(ProgressUpdateInputSerializer, request)
        update = progress_update_post(idea=idea, actor=request.user, **data)
        return Response(
            ProgressUpdateOutputSerializer(
                update, context=viewer_context(request)
            ).data,
            status=status.HTTP_201_CREATED,
        )
