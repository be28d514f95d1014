"""Teams over the API: members, captaincy, invitations and join requests.

An invitation or join request the user has no part in is a 404; one they can
see but may not answer (a captain accepting an invitation meant for someone
else) is a 403 from the service.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.filters import OrderingFilter
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from horserace.accounts.models import User
from horserace.common.api import error_responses
from ideas.services.teams import (
    invitation_accept,
    invitation_cancel,
    invitation_decline,
    join_request_accept,
    join_request_create,
    join_request_decline,
    join_request_withdraw,
    team_invite,
    team_leave,
    team_remove_member,
    team_transfer_captaincy,
)

from ..filters import InvitationFilter, JoinRequestFilter
from ..models import JoinRequest, TeamInvitation
from ..selectors import idea_get_visible, invitation_list, join_request_list
from ..visibility import Viewer
from .serializers import (
    InvitationCreateInputSerializer,
    InvitationOutputSerializer,
    JoinRequestOutputSerializer,
    MessageInputSerializer,
    TeamMemberOutputSerializer,
    TransferInputSerializer,
    team_in_order,
    viewer_context,
)


def team_response(request, pk: int):
    idea = idea_get_visible(user=request.user, pk=pk)
    if not Viewer(request.user).sees_names(idea):
        raise PermissionDenied(_("This idea's team is anonymous."))
    data = TeamMemberOutputSerializer(team_in_order(idea), many=True).data
    return Response(data)


# --- Members ---------------------------------------------------------------------


@extend_schema(tags=["teams"])
class TeamApi(APIView):
    """The idea's team, captain first."""

    @extend_schema(
        operation_id="ideas_team_list",
        responses={
            200: TeamMemberOutputSerializer(many=True),
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        return team_response(request, pk)


@extend_schema(tags=["teams"])
class TeamMemberApi(APIView):
    """Remove a member (captain), or leave the team (your own user id)."""

    @extend_schema(
        operation_id="ideas_team_remove",
        responses={204: None, **error_responses(400, 401, 403, 404)},
    )
    def delete(self, request, pk: int, user_id: int):
        idea = idea_get_visible(user=request.user, pk=pk)
        if user_id == request.user.pk:
            team_leave(idea=idea, actor=request.user)
        else:
            user = get_object_or_404(User, pk=user_id)
            team_remove_member(idea=idea, actor=request.user, user=user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["teams"])
class TeamTransferApi(APIView):
    """Hand the captaincy to another member; you stay on the team."""

    @extend_schema(
        operation_id="ideas_team_transfer",
        request=TransferInputSerializer,
        responses={
            200: TeamMemberOutputSerializer(many=True),
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        idea = idea_get_visible(user=request.user, pk=pk)
        serializer = TransferInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        team_transfer_captaincy(
            idea=idea, actor=request.user, to_user=serializer.validated_data["user"]
        )
        return team_response(request, pk)


# --- Invitations -----------------------------------------------------------------


@extend_schema(tags=["invitations"])
class InvitationCreateApi(APIView):
    """The captain invites a colleague (by user id or e-mail address)."""

    @extend_schema(
        operation_id="ideas_invitations_create",
        request=InvitationCreateInputSerializer,
        responses={
            201: InvitationOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        idea = idea_get_visible(user=request.user, pk=pk)
        serializer = InvitationCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation = team_invite(
            idea=idea, actor=request.user, **serializer.validated_data
        )
        data = InvitationOutputSerializer(invitation).data
        return Response(data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["invitations"])
class InvitationListApi(ListAPIView):
    """Invitations you received, and those of teams you captain."""

    serializer_class = InvitationOutputSerializer
    filterset_class = InvitationFilter
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["created_at", "responded_at"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return TeamInvitation.objects.none()
        return invitation_list(user=self.request.user)

    @extend_schema(
        operation_id="invitations_list",
        responses={
            200: InvitationOutputSerializer(many=True),
            **error_responses(400, 401),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class _InvitationAnswerApi(APIView):
    service: Callable[..., object]  # a staticmethod in each subclass

    def post(self, request, pk: int):
        invitation = get_object_or_404(invitation_list(user=request.user), pk=pk)
        self.service(invitation=invitation, actor=request.user)
        invitation = invitation_list(user=request.user).get(pk=pk)
        return Response(InvitationOutputSerializer(invitation).data)


def _answer_schema(operation_id: str, output, tag: str):
    return extend_schema_view(
        post=extend_schema(
            operation_id=operation_id,
            tags=[tag],
            request=None,
            responses={200: output, **error_responses(400, 401, 403, 404)},
        )
    )


@_answer_schema("invitations_accept", InvitationOutputSerializer, "invitations")
class InvitationAcceptApi(_InvitationAnswerApi):
    """The invitee joins the team."""

    service = staticmethod(invitation_accept)


@_answer_schema("invitations_decline", InvitationOutputSerializer, "invitations")
class InvitationDeclineApi(_InvitationAnswerApi):
    """The invitee says no."""

    service = staticmethod(invitation_decline)


@_answer_schema("invitations_cancel", InvitationOutputSerializer, "invitations")
class InvitationCancelApi(_InvitationAnswerApi):
    """The captain takes the invitation back."""

    service = staticmethod(invitation_cancel)


# --- Join requests ----------------------------------------------------------------


@extend_schema(tags=["join requests"])
class JoinRequestCreateApi(APIView):
    """Ask to join the idea's team; its captain decides."""

    @extend_schema(
        operation_id="ideas_join_requests_create",
        request=MessageInputSerializer,
        responses={
            201: JoinRequestOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        idea = idea_get_visible(user=request.user, pk=pk)
        serializer = MessageInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        join_request = join_request_create(
            idea=idea, actor=request.user, **serializer.validated_data
        )
        data = JoinRequestOutputSerializer(
            join_request, context=viewer_context(request)
        ).data
        return Response(data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["join requests"])
class JoinRequestListApi(ListAPIView):
    """Join requests you made, and those waiting on you as captain."""

    serializer_class = JoinRequestOutputSerializer
    filterset_class = JoinRequestFilter
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["created_at", "responded_at"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return JoinRequest.objects.none()
        return join_request_list(user=self.request.user)

    def get_serializer_context(self):
        return viewer_context(self.request)

    @extend_schema(
        operation_id="join_requests_list",
        responses={
            200: JoinRequestOutputSerializer(many=True),
            **error_responses(400, 401),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class _JoinRequestAnswerApi(APIView):
    service: Callable[..., object]  # a staticmethod in each subclass

    def post(self, request, pk: int):
        join_request = get_object_or_404(join_request_list(user=request.user), pk=pk)
        self.service(join_request=join_request, actor=request.user)
        join_request = join_request_list(user=request.user).get(pk=pk)
        data = JoinRequestOutputSerializer(
            join_request, context=viewer_context(request)
        ).data
        return Response(data)


@_answer_schema("join_requests_accept", JoinRequestOutputSerializer, "join requests")
class JoinRequestAcceptApi(_JoinRequestAnswerApi):
    """The captain lets the colleague onto the team."""

    service = staticmethod(join_request_accept)


@_answer_schema("join_requests_decline", JoinRequestOutputSerializer, "join requests")
class JoinRequestDeclineApi(_JoinRequestAnswerApi):
    """The captain says no."""

    service = staticmethod(join_request_decline)


@_answer_schema("join_requests_withdraw", JoinRequestOutputSerializer, "join requests")
class JoinRequestWithdrawApi(_JoinRequestAnswerApi):
    """The colleague takes the request back."""

    service = staticmethod(join_request_withdraw)
