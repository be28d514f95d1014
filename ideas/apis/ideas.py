"""Ideas over the API: list, create, read, edit, register, withdraw.

Each view parses its input, makes one service call and serializes the result.
Services check permissions and raise ``ValidationError``/``PermissionDenied``;
``horserace.common.api.exception_handler`` turns those into 400/403. An idea the
user may not see is a 404, the same as one that does not exist.
"""

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.filters import OrderingFilter
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from horserace.common.api import error_responses
from ideas.services.farm import idea_carry, idea_to_farm
from ideas.services.ideas import idea_create, idea_update, idea_withdraw
from ideas.services.registration import idea_register

from ..discussion.selectors import trending_idea_ids
from ..filters import IdeaFilter, IdeaSearchFilter
from ..selectors import IdeaSealed, idea_get_visible, idea_list_visible
from .serializers import (
    CarryInputSerializer,
    IdeaCreateInputSerializer,
    IdeaDetailOutputSerializer,
    IdeaListOutputSerializer,
    IdeaUpdateInputSerializer,
    RegistrationOutputSerializer,
    WithdrawInputSerializer,
    viewer_context,
)


def idea_detail_response(request, pk: int, status_code: int = status.HTTP_200_OK):
    try:
        idea = idea_get_visible(user=request.user, pk=pk)
    except IdeaSealed as sealed:
        raise exceptions.PermissionDenied(
            _(
                "This idea is confidential. Open it with a reason first "
                "(POST /api/v1/ideas/%(pk)s/access/); the team sees that you did."
            )
            % {"pk": sealed.idea.pk},
            code="sealed",
        ) from None
    data = IdeaDetailOutputSerializer(idea, context=viewer_context(request)).data
    return Response(data, status=status_code)


@extend_schema(tags=["ideas"])
class IdeaListApi(GenericAPIView):
    """Ideas you may see (GET), or a new draft idea with you as captain (POST)."""

    filterset_class = IdeaFilter
    filter_backends = [DjangoFilterBackend, IdeaSearchFilter, OrderingFilter]
    search_fields = ["title", "pitch", "problem"]  # read by IdeaSearchFilter
    ordering_fields = [
        "created_at",
        "updated_at",
        "title",
        "stage",
        "team_size",
        "registration__number",
    ]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self):
        # Seasons too: the list shows each idea's season and registration code.
        return idea_list_visible(user=self.request.user).select_related(
            "racecourse__season", "registration__season"
        )

    @extend_schema(
        operation_id="ideas_list",
        responses={
            200: IdeaListOutputSerializer(many=True),
            **error_responses(400, 401),
        },
    )
    def get(self, request):
        """Ideas you may see, newest first; filter, search and order them."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = viewer_context(request)
        context["trending"] = trending_idea_ids([idea.pk for idea in page or ()])
        data = IdeaListOutputSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)

    @extend_schema(
        operation_id="ideas_create",
        request=IdeaCreateInputSerializer,
        responses={
            201: IdeaDetailOutputSerializer,
            **error_responses(400, 401, 403),
        },
    )
    def post(self, request):
        """A new draft idea, with you as its captain."""
        serializer = IdeaCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        idea = idea_create(author=request.user, **serializer.validated_data)
        return idea_detail_response(request, idea.pk, status.HTTP_201_CREATED)


@extend_schema(tags=["ideas"])
class IdeaDetailApi(APIView):
    """One idea: read it, or (as captain) edit its content."""

    @extend_schema(
        operation_id="ideas_retrieve",
        responses={200: IdeaDetailOutputSerializer, **error_responses(401, 403, 404)},
    )
    def get(self, request, pk: int):
        """The idea with its registration, team and stage history."""
        return idea_detail_response(request, pk)

    def _update(self, request, pk: int, partial: bool):
        idea = idea_get_visible(user=request.user, pk=pk)
        serializer = IdeaUpdateInputSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        idea_update(idea=idea, actor=request.user, **serializer.validated_data)
        return idea_detail_response(request, pk)

    @extend_schema(
        operation_id="ideas_update",
        request=IdeaUpdateInputSerializer,
        responses={
            200: IdeaDetailOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def put(self, request, pk: int):
        """Replace the idea's content (captain, while the idea is in the race)."""
        return self._update(request, pk, partial=False)

    @extend_schema(
        operation_id="ideas_partial_update",
        request=IdeaUpdateInputSerializer,
        responses={
            200: IdeaDetailOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def patch(self, request, pk: int):
        """Change some of the idea's content (captain, while it is in the race)."""
        return self._update(request, pk, partial=True)


@extend_schema(tags=["ideas"])
class IdeaRegisterApi(APIView):
    """Register the idea's name: a numbered, fingerprinted claim of authorship.

    Only the captain of a draft idea, inside the racecourse's registration
    window. Registering again returns the first registration with 200.
    """

    @extend_schema(
        operation_id="ideas_register",
        request=None,
        responses={
            201: OpenApiResponse(RegistrationOutputSerializer, "Registered now."),
            200: OpenApiResponse(
                RegistrationOutputSerializer, "Was already registered; unchanged."
            ),
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        idea = idea_get_visible(user=request.user, pk=pk)
        was_registered = getattr(idea, "registration", None) is not None
        registration = idea_register(idea=idea, actor=request.user)
        data = RegistrationOutputSerializer(registration).data
        code = status.HTTP_200_OK if was_registered else status.HTTP_201_CREATED
        return Response(data, status=code)


@extend_schema(tags=["ideas"])
class IdeaWithdrawApi(APIView):
    """The captain takes the idea out of the race (before a final stage)."""

    @extend_schema(
        operation_id="ideas_withdraw",
        request=WithdrawInputSerializer,
        responses={
            200: IdeaDetailOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        idea = idea_get_visible(user=request.user, pk=pk)
        serializer = WithdrawInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        idea_withdraw(idea=idea, actor=request.user, **serializer.validated_data)
        return idea_detail_response(request, pk)


@extend_schema(tags=["ideas"])
class IdeaCarryApi(APIView):
    """Carry a farm idea that passed screening into a season's racecourse.

    Its captain or HR. The idea re-enters as registered on that racecourse and
    follows its calendar: it joins an open online screening at once. It keeps
    its registration, history, team and farm ballots.
    """

    @extend_schema(
        operation_id="ideas_carry",
        request=CarryInputSerializer,
        responses={
            200: IdeaDetailOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        idea = idea_get_visible(user=request.user, pk=pk)
        serializer = CarryInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        idea_carry(
            idea=idea,
            racecourse=serializer.validated_data["racecourse"],
            actor=request.user,
        )
        return idea_detail_response(request, pk)


@extend_schema(tags=["ideas"])
class IdeaToFarmApi(APIView):
    """Send an idea eliminated in a season back to the Innovation Farm.

    Its captain or HR. It re-enters as registered on the farm and joins the
    farm's open screening round, or waits for the next one.
    """

    @extend_schema(
        operation_id="ideas_to_farm",
        request=None,
        responses={
            200: IdeaDetailOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        idea = idea_get_visible(user=request.user, pk=pk)
        idea_to_farm(idea=idea, actor=request.user)
        return idea_detail_response(request, pk)
