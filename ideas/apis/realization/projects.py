"""A project's realization, closing and outcomes; the lists for HR."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from horserace.common.api import error_responses
from horserace.common.permissions import can
from ideas.services.realization.closing import realization_close
from ideas.services.realization.outcomes import outcome_record, outcome_remove

from ...models import Tranche
from ...selectors import idea_get_visible
from ...selectors import realization as selectors
from .helpers import TAGS, parse, realization_response
from .serializers import (
    OutcomeSerializer,
    ProjectOutputSerializer,
    RealizationOutputSerializer,
    ReasonInputSerializer,
    TrancheOutputSerializer,
)


@extend_schema(tags=TAGS)
class RealizationDetailApi(APIView):
    """A project's outcomes, time allocations and investment plan with its ledger.

    For the team, HR and the racecourse's admins. 404 when the idea never
    reached realization.
    """

    @extend_schema(
        operation_id="realization_retrieve",
        responses={
            200: RealizationOutputSerializer,
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        idea = selectors.realization_get(user=request.user, pk=pk)
        return realization_response(idea)


@extend_schema(tags=TAGS)
class RealizationCloseApi(APIView):
    """HR closes the project with a reason: the plan is closed, unreleased
    tranches are cancelled and the idea leaves the race (eliminated)."""

    @extend_schema(
        operation_id="realization_close",
        request=ReasonInputSerializer,
        responses={
            200: RealizationOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        idea = idea_get_visible(user=request.user, pk=pk)
        data = parse(ReasonInputSerializer, request)
        realization_close(idea=idea, actor=request.user, **data)
        return realization_response(idea_get_visible(user=request.user, pk=pk))


@extend_schema(tags=TAGS)
class OutcomeCreateApi(APIView):
    """HR or the racecourse's admin records an outcome."""

    @extend_schema(
        operation_id="realization_outcomes_create",
        request=OutcomeSerializer,
        responses={201: OutcomeSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request, pk: int):
        idea = idea_get_visible(user=request.user, pk=pk)
        data = parse(OutcomeSerializer, request)
        outcome = outcome_record(idea=idea, actor=request.user, **data)
        return Response(OutcomeSerializer(outcome).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class OutcomeDeleteApi(APIView):
    """Remove an outcome recorded by mistake (not one with time allocations)."""

    @extend_schema(
        operation_id="realization_outcomes_destroy",
        responses={204: None, **error_responses(400, 401, 403, 404)},
    )
    def delete(self, request, pk: int):
        outcome = selectors.outcome_get_visible(user=request.user, pk=pk)
        outcome_remove(outcome=outcome, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=TAGS)
class ReviewQueueApi(ListAPIView):
    """Milestone reviews waiting for HR, oldest first (those you may see)."""

    serializer_class = TrancheOutputSerializer
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Tranche.objects.none()
        return selectors.tranche_reviews_waiting(user=self.request.user)

    @extend_schema(
        operation_id="realization_reviews_list",
        responses={200: TrancheOutputSerializer(many=True), **error_responses(401)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


@extend_schema(tags=TAGS)
class ProjectListApi(APIView):
    """Projects in realization you manage (HR: all), each with its plan and
    ledger; 403 for anyone who manages none."""

    @extend_schema(
        operation_id="realization_projects_list",
        responses={
            200: ProjectOutputSerializer(many=True),
            **error_responses(401, 403),
        },
    )
    def get(self, request):
        if not can(request.user, "ideas.view_realization_desk"):
            raise PermissionDenied
        projects = selectors.realization_projects(user=request.user)
        return Response(ProjectOutputSerializer(projects, many=True).data)
