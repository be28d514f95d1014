"""The investment plan, its tranches and their milestone reviews."""

from collections.abc import Callable
from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.views import APIView

from horserace.common.api import error_responses
from ideas.models import InvestmentPlan
from ideas.realization import selectors
from ideas.realization.apis.helpers import TAGS, parse, plan_response
from ideas.realization.apis.serializers import (
    NoteInputSerializer,
    PlanCreateInputSerializer,
    PlanOutputSerializer,
    ReviewInputSerializer,
    TrancheInputSerializer,
)
from ideas.realization.services.plan import (
    investment_plan_create,
    tranche_add,
    tranche_cancel,
    tranche_update,
)
from ideas.realization.services.reviews import (
    tranche_approve,
    tranche_review_submit,
    tranche_send_back,
)
from ideas.selectors import idea_get_visible


@extend_schema(tags=TAGS)
class PlanCreateApi(APIView):
    """HR or the racecourse's admin plans the investment in tranches."""

    @extend_schema(
        operation_id="realization_plan_create",
        request=PlanCreateInputSerializer,
        responses={201: PlanOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request, pk: int):
        idea = idea_get_visible(user=request.user, pk=pk)
        data = parse(PlanCreateInputSerializer, request)
        investment_plan_create(idea=idea, actor=request.user, **data)
        return plan_response(idea, status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class TrancheCreateApi(APIView):
    """Add a tranche at the end of the plan; answers with the whole plan."""

    @extend_schema(
        operation_id="realization_tranches_create",
        request=TrancheInputSerializer,
        responses={201: PlanOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request, pk: int):
        idea = idea_get_visible(user=request.user, pk=pk)
        plan = get_object_or_404(InvestmentPlan, idea=idea)
        data = parse(TrancheInputSerializer, request)
        tranche_add(plan=plan, actor=request.user, **data)
        return plan_response(idea, status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class TrancheUpdateApi(APIView):
    """Change a planned tranche (amount, milestone, due date)."""

    @extend_schema(
        operation_id="realization_tranches_partial_update",
        request=TrancheInputSerializer(partial=True),
        responses={200: PlanOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def patch(self, request, pk: int):
        tranche = selectors.tranche_get_visible(user=request.user, pk=pk)
        data = parse(TrancheInputSerializer, request, partial=True)
        fields = {
            "amount": tranche.amount,
            "milestone": tranche.milestone,
            "due_on": tranche.due_on,
        }
        tranche_update(tranche=tranche, actor=request.user, **(fields | data))
        return plan_response(tranche.plan.idea)


class _TrancheActionApi(APIView):
    service: Callable[..., object]  # a staticmethod in each subclass
    input_serializer: type[serializers.Serializer] | None = None

    def post(self, request, pk: int):
        tranche = selectors.tranche_get_visible(user=request.user, pk=pk)
        data: dict[str, Any] = (
            parse(self.input_serializer, request) if self.input_serializer else {}
        )
        self.service(tranche=tranche, actor=request.user, **data)
        return plan_response(tranche.plan.idea)


def _tranche_schema(operation_id: str, request):
    return extend_schema(
        tags=TAGS,
        operation_id=operation_id,
        request=request,
        responses={200: PlanOutputSerializer, **error_responses(400, 401, 403, 404)},
    )


class TrancheCancelApi(_TrancheActionApi):
    """Cancel a planned tranche (HR or the racecourse's admin)."""

    service = staticmethod(tranche_cancel)

    @_tranche_schema("realization_tranches_cancel", None)
    def post(self, request, pk: int):
        return super().post(request, pk)


class TrancheReviewApi(_TrancheActionApi):
    """The team submits the milestone review of the next tranche."""

    service = staticmethod(tranche_review_submit)
    input_serializer = ReviewInputSerializer

    @_tranche_schema("realization_tranches_review", ReviewInputSerializer)
    def post(self, request, pk: int):
        return super().post(request, pk)


class TrancheApproveApi(_TrancheActionApi):
    """HR approves the review and releases the tranche; the last one completes
    the plan and the idea is realized."""

    service = staticmethod(tranche_approve)
    input_serializer = NoteInputSerializer

    @_tranche_schema("realization_tranches_approve", NoteInputSerializer)
    def post(self, request, pk: int):
        return super().post(request, pk)


class TrancheSendBackApi(_TrancheActionApi):
    """HR sends the review back with a `note` (required); the tranche is
    planned again."""

    service = staticmethod(tranche_send_back)
    input_serializer = NoteInputSerializer

    @_tranche_schema("realization_tranches_send_back", NoteInputSerializer)
    def post(self, request, pk: int):
        return super().post(request, pk)
