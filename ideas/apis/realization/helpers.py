"""Shared by realization's API views: the tag, parsing and the answers."""

from rest_framework import status
from rest_framework.response import Response

from ...selectors import realization as selectors
from .serializers import (
    AllocationOutputSerializer,
    PlanOutputSerializer,
    RealizationOutputSerializer,
)

TAGS = ["realization"]


def realization_response(idea, code=status.HTTP_200_OK) -> Response:
    detail = selectors.realization_detail(idea=idea)
    return Response(RealizationOutputSerializer(detail).data, status=code)


def plan_response(idea, code=status.HTTP_200_OK) -> Response:
    plan = selectors.investment_plan_get(idea=idea)
    return Response(PlanOutputSerializer(plan).data, status=code)


def allocation_response(request, allocation, code=status.HTTP_200_OK) -> Response:
    allocation = selectors.allocation_get_visible(user=request.user, pk=allocation.pk)
    return Response(AllocationOutputSerializer(allocation).data, status=code)


def parse(serializer_class, request, **kwargs) -> dict:
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
