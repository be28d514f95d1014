"""Time allocations: propose, list, approve, decline."""

from collections.abc import Callable

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.views import APIView

from horserace.common.api import error_responses
from ideas.models import TimeAllocation
from ideas.realization import selectors
from ideas.realization.apis.helpers import TAGS, allocation_response, parse
from ideas.realization.apis.serializers import (
    AllocationOutputSerializer,
    AllocationProposeInputSerializer,
    NoteInputSerializer,
)
from ideas.realization.services.allocations import (
    time_allocation_approve,
    time_allocation_decline,
    time_allocation_propose,
)
from ideas.selectors import idea_get_visible


@extend_schema(tags=TAGS)
class AllocationProposeApi(APIView):
    """Propose a share of a team member's time; their manager is asked.

    HR, the racecourse's admin or the captain. A member with no manager on
    record is a 400.
    """

    @extend_schema(
        operation_id="realization_allocations_create",
        request=AllocationProposeInputSerializer,
        responses={
            201: AllocationOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        idea = idea_get_visible(user=request.user, pk=pk)
        data = parse(AllocationProposeInputSerializer, request)
        allocation = time_allocation_propose(idea=idea, actor=request.user, **data)
        return allocation_response(request, allocation, status.HTTP_201_CREATED)


class AllocationFilter(filters.FilterSet):
    waiting = filters.BooleanFilter(
        method="filter_waiting",
        label="Only those waiting for your decision as manager.",
    )

    class Meta:
        model = TimeAllocation
        fields = ["waiting"]

    def filter_waiting(self, queryset, name, value):
        if value:
            # Only what the manager can still decide: the selector's rule.
            waiting = selectors.allocations_waiting(user=self.request.user)
            return queryset.filter(pk__in=waiting.values("pk"))
        return queryset


@extend_schema(tags=TAGS)
class AllocationListApi(ListAPIView):
    """Time allocations you decide (as the member's manager) or that are yours."""

    serializer_class = AllocationOutputSerializer
    filterset_class = AllocationFilter
    filter_backends = [filters.DjangoFilterBackend]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return TimeAllocation.objects.none()
        return selectors.allocation_list(user=self.request.user)

    @extend_schema(
        operation_id="realization_allocations_list",
        responses={
            200: AllocationOutputSerializer(many=True),
            **error_responses(400, 401),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class _AllocationDecisionApi(APIView):
    service: Callable[..., TimeAllocation]  # a staticmethod in each subclass

    def post(self, request, pk: int):
        allocation = selectors.allocation_get_visible(user=request.user, pk=pk)
        data = parse(NoteInputSerializer, request)
        allocation = self.service(allocation=allocation, actor=request.user, **data)
        return allocation_response(request, allocation)


def _decision_schema(operation_id: str):
    return extend_schema(
        tags=TAGS,
        operation_id=operation_id,
        request=NoteInputSerializer,
        responses={
            200: AllocationOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )


class AllocationApproveApi(_AllocationDecisionApi):
    """The member's manager approves; `note` is optional."""

    service = staticmethod(time_allocation_approve)

    @_decision_schema("realization_allocations_approve")
    def post(self, request, pk: int):
        return super().post(request, pk)


class AllocationDeclineApi(_AllocationDecisionApi):
    """The member's manager declines; `note` (why) is required."""

    service = staticmethod(time_allocation_decline)

    @_decision_schema("realization_allocations_decline")
    def post(self, request, pk: int):
        return super().post(request, pk)
