"""The access log over the API: open a confidential idea or unmask an
anonymous team with a reason; the idea's log for its team and HR; HR's review.
"""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from horserace.accounts.apis import UserBriefSerializer
from horserace.common.api import error_responses
from horserace.common.permissions import can
from ideas.services.access import idea_access_request

from ..models import IdeaAccess
from ..selectors import access_log_list, idea_access_log, idea_get_visible
from ..visibility import is_team_member


class IdeaAccessOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    idea = serializers.IntegerField(source="idea_id")
    user = UserBriefSerializer()
    kind = serializers.ChoiceField(choices=IdeaAccess.Kind.choices)
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()


class IdeaAccessInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=IdeaAccess.Kind.choices)
    reason = serializers.CharField(max_length=1000)


@extend_schema(tags=["ideas: access log"])
class IdeaAccessApi(APIView):
    """Who opened or unmasked this idea (GET: its team and HR); HR or the
    racecourse's admin opens a confidential idea or unmasks an anonymous team,
    saying why (POST). The grant lasts eight hours and the team is told."""

    @extend_schema(
        operation_id="ideas_access_list",
        responses={
            200: IdeaAccessOutputSerializer(many=True),
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        idea = idea_get_visible(user=request.user, pk=pk, content=False)
        if not (
            can(request.user, "ideas.view_access_log")
            or is_team_member(request.user, idea)
        ):
            raise exceptions.PermissionDenied()
        rows = idea_access_log(idea=idea, user=request.user)
        return Response(IdeaAccessOutputSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="ideas_access_request",
        request=IdeaAccessInputSerializer,
        responses={
            201: IdeaAccessOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        idea = idea_get_visible(user=request.user, pk=pk, content=False)
        data = IdeaAccessInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        access = idea_access_request(
            idea=idea, user=request.user, **data.validated_data
        )
        return Response(
            IdeaAccessOutputSerializer(access).data, status=status.HTTP_201_CREATED
        )


@extend_schema(tags=["ideas: access log"])
class AccessLogApi(ListAPIView):
    """Every opening and unmasking, newest first: HR's review."""

    serializer_class = IdeaAccessOutputSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return IdeaAccess.objects.none()
        if not can(self.request.user, "ideas.view_access_log"):
            raise Http404
        return access_log_list()

    @extend_schema(
        operation_id="access_log_list",
        responses={
            200: IdeaAccessOutputSerializer(many=True),
            **error_responses(401, 404),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
