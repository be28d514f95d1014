"""Assignments: the automatic run, by hand, and the evaluator's own list."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from horserace.common.api import error_responses
from ideas.models import Idea
from voting.evaluation.assignments.assign import (
    assignment_add,
    assignment_remove,
    assignments_auto,
)
from voting.evaluation.assignments.selectors import assignment_list, my_assignments

from ...models import Assignment
from .common import TAGS, managed_racecourse
from .serializers import (
    AssignmentAddInputSerializer,
    AssignmentOutputSerializer,
    AutoReportOutputSerializer,
    MyAssignmentOutputSerializer,
)


@extend_schema(tags=TAGS)
class AssignAutoApi(APIView):
    @extend_schema(
        operation_id="evaluation_assign_auto",
        request=None,
        responses={
            200: AutoReportOutputSerializer,
            **error_responses(401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        """Top every project up to k evaluators; a second run adds nothing."""
        racecourse = managed_racecourse(request, pk)
        result = assignments_auto(actor=request.user, racecourse=racecourse)
        return Response(AutoReportOutputSerializer(result.summary()).data)


@extend_schema(tags=TAGS)
class AssignmentListApi(GenericAPIView):
    """The racecourse's assignments (GET), or assign by hand (POST)."""

    filter_backends = []

    @extend_schema(
        operation_id="evaluation_assignments_list",
        responses={
            200: AssignmentOutputSerializer(many=True),
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        racecourse = managed_racecourse(request, pk)
        page = self.paginate_queryset(assignment_list(racecourse=racecourse))
        return self.get_paginated_response(
            AssignmentOutputSerializer(page, many=True).data
        )

    @extend_schema(
        operation_id="evaluation_assignments_create",
        request=AssignmentAddInputSerializer,
        responses={
            201: AssignmentOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        """Assign an evaluator of the pool to a project in evaluation.

        400: not in the pool, conflicted, already assigned, the project is not
        in evaluation, or the evaluator is at L (send ``override_load``).
        """
        racecourse = managed_racecourse(request, pk)
        serializer = AssignmentAddInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        idea = get_object_or_404(
            Idea.objects.select_related("racecourse"),
            pk=data["idea"],
            racecourse=racecourse,
        )
        assignment = assignment_add(
            actor=request.user,
            idea=idea,
            evaluator=data["evaluator"],
            override_load=data["override_load"],
        )
        return Response(
            AssignmentOutputSerializer(assignment).data, status=status.HTTP_201_CREATED
        )


@extend_schema(tags=TAGS)
class AssignmentDetailApi(APIView):
    @extend_schema(
        operation_id="evaluation_assignments_destroy",
        parameters=[
            OpenApiParameter(
                "force",
                OpenApiTypes.BOOL,
                description="HR only: remove even with a submitted scorecard.",
            )
        ],
        responses={
            204: OpenApiResponse(description="Removed."),
            **error_responses(400, 401, 403, 404),
        },
    )
    def delete(self, request, pk: int):
        """Take an evaluator off a project.

        A submitted scorecard makes it 400, unless HR sends ``force=true``
        (403 for anyone else).
        """
        assignment = get_object_or_404(
            Assignment.objects.select_related("idea__racecourse"), pk=pk
        )
        managed_racecourse(request, assignment.idea.racecourse_id)
        force = request.query_params.get("force", "").lower() in ("1", "true", "yes")
        assignment_remove(actor=request.user, assignment=assignment, force=force)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=TAGS)
class MyAssignmentListApi(GenericAPIView):
    filter_backends = []

    @extend_schema(
        operation_id="evaluation_my_assignments_list",
        responses={
            200: MyAssignmentOutputSerializer(many=True),
            **error_responses(401),
        },
    )
    def get(self, request):
        """Your assignments on every racecourse, projects in evaluation first."""
        page = self.paginate_queryset(my_assignments(user=request.user))
        return self.get_paginated_response(
            MyAssignmentOutputSerializer(page, many=True).data
        )
