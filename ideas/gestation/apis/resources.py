"""Resources and requests: the team's budget lines, requests and decisions."""

from typing import Any

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from horserace.common.api import error_responses
from horserace.common.filters import IdFilter
from ideas.apis.serializers import viewer_context
from ideas.gestation.apis.helpers import gestation_idea, parse
from ideas.gestation.apis.serializers import (
    GestationReasonInputSerializer,
    ResourceAnswerInputSerializer,
    ResourceGrantInputSerializer,
    ResourceQuestionInputSerializer,
    ResourceRequestCreateInputSerializer,
    ResourceRequestOutputSerializer,
    TeamBudgetLineOutputSerializer,
)
from ideas.gestation.selectors.resources import (
    budget_list,
    resource_request_list,
    resource_requests_visible,
)
from ideas.gestation.services.resources import (
    resource_request_answer,
    resource_request_ask,
    resource_request_cancel,
    resource_request_create,
    resource_request_decline,
    resource_request_grant,
)
from ideas.models import ResourceRequest


def _request_response(request, pk: int, code=status.HTTP_200_OK) -> Response:
    req = resource_request_list().get(pk=pk)
    return Response(
        ResourceRequestOutputSerializer(req, context=viewer_context(request)).data,
        status=code,
    )


@extend_schema(tags=["gestation: resources"])
class IdeaResourcesApi(APIView):
    """Per budgeted resource: what the team has, waits for, and what is left."""

    @extend_schema(
        operation_id="ideas_resources_list",
        responses={
            200: TeamBudgetLineOutputSerializer(many=True),
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        idea = gestation_idea(request, pk, "ideas.see_resources")
        lines = budget_list(idea=idea)
        return Response(TeamBudgetLineOutputSerializer(lines, many=True).data)


@extend_schema(tags=["gestation: resources"])
class IdeaResourceRequestsApi(APIView):
    """The team's resource requests (GET), or a new one from the captain (POST)."""

    @extend_schema(
        operation_id="ideas_resource_requests_list",
        responses={
            200: ResourceRequestOutputSerializer(many=True),
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        idea = gestation_idea(request, pk, "ideas.see_resources")
        rows = resource_request_list(idea=idea)
        return Response(
            ResourceRequestOutputSerializer(
                rows, many=True, context=viewer_context(request)
            ).data
        )

    @extend_schema(
        operation_id="ideas_resource_requests_create",
        request=ResourceRequestCreateInputSerializer,
        responses={
            201: ResourceRequestOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        idea = gestation_idea(request, pk)
        data = parse(ResourceRequestCreateInputSerializer, request)
        req = resource_request_create(idea=idea, actor=request.user, **data)
        return _request_response(request, req.pk, status.HTTP_201_CREATED)


class ResourceRequestFilter(django_filters.FilterSet):
    racecourse = IdFilter(field_name="idea__racecourse")
    status = django_filters.MultipleChoiceFilter(choices=ResourceRequest.Status.choices)

    class Meta:
        model = ResourceRequest
        fields = ["idea", "resource", "racecourse", "status"]


@extend_schema(tags=["gestation: resources"])
class ResourceRequestListApi(ListAPIView):
    """Requests you may see: your teams', the racecourses you run; HR all.

    The grant queue is `?racecourse=<id>&status=pending&status=question`.
    """

    serializer_class = ResourceRequestOutputSerializer
    filterset_class = ResourceRequestFilter
    ordering_fields = ["created_at", "amount"]
    ordering = ["created_at", "pk"]
    search_fields = ["idea__title", "resource__name"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ResourceRequest.objects.none()
        return resource_requests_visible(user=self.request.user)

    def get_serializer_context(self):
        return super().get_serializer_context() | viewer_context(self.request)

    @extend_schema(
        operation_id="resource_requests_list",
        responses={
            200: ResourceRequestOutputSerializer(many=True),
            **error_responses(400, 401),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


@extend_schema(tags=["gestation: resources"])
class ResourceRequestDetailApi(APIView):
    @extend_schema(
        operation_id="resource_requests_retrieve",
        responses={
            200: ResourceRequestOutputSerializer,
            **error_responses(401, 404),
        },
    )
    def get(self, request, pk: int):
        get_object_or_404(resource_requests_visible(user=request.user), pk=pk)
        return _request_response(request, pk)


class _RequestActionApi(APIView):
    """Shared by the decisions: find a request the user may see, act, answer.

    Each subclass names its ``input_serializer`` (or None) and defines
    ``act(req, user, data)``, the one service call it makes.
    """

    input_serializer: type[serializers.Serializer] | None = None

    def post(self, request, pk: int):
        req = get_object_or_404(resource_requests_visible(user=request.user), pk=pk)
        data: dict[str, Any] = (
            parse(self.input_serializer, request) if self.input_serializer else {}
        )
        self.act(req, request.user, data)
        return _request_response(request, pk)


def _action_schema(operation_id: str, input_serializer, doc: str):
    return extend_schema(
        operation_id=operation_id,
        tags=["gestation: resources"],
        description=doc,
        request=input_serializer,
        responses={
            200: ResourceRequestOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )


class ResourceRequestGrantApi(_RequestActionApi):
    input_serializer = ResourceGrantInputSerializer

    @_action_schema(
        "resource_requests_grant",
        ResourceGrantInputSerializer,
        "HR or the racecourse's admins grant the request, possibly less than "
        "asked. Never past the racecourse's budget: the 400 says what is left.",
    )
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, req, user, data):
        resource_request_grant(
            request=req,
            actor=user,
            amount=data.get("amount"),
            note=data.get("note", ""),
        )


class ResourceRequestDeclineApi(_RequestActionApi):
    input_serializer = GestationReasonInputSerializer

    @_action_schema(
        "resource_requests_decline",
        GestationReasonInputSerializer,
        "Decline with a reason the team reads.",
    )
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, req, user, data):
        resource_request_decline(request=req, actor=user, reason=data["reason"])


class ResourceRequestAskApi(_RequestActionApi):
    input_serializer = ResourceQuestionInputSerializer

    @_action_schema(
        "resource_requests_ask",
        ResourceQuestionInputSerializer,
        "Ask the captain a question; the request waits for the answer.",
    )
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, req, user, data):
        resource_request_ask(request=req, actor=user, question=data["question"])


class ResourceRequestAnswerApi(_RequestActionApi):
    input_serializer = ResourceAnswerInputSerializer

    @_action_schema(
        "resource_requests_answer",
        ResourceAnswerInputSerializer,
        "The captain answers; the request goes back to the queue.",
    )
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, req, user, data):
        resource_request_answer(request=req, actor=user, answer=data["answer"])


class ResourceRequestCancelApi(_RequestActionApi):
    @_action_schema(
        "resource_requests_cancel", None, "The captain takes an open request back."
    )
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, req, user, data):
        resource_request_cancel(request=req, actor=user)
