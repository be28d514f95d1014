"""Ballots over the API: cast, change, read, withdraw, and cast in batches.

A ballot is addressed by its idea: a voter has at most one per idea and round,
and an idea is judged only in its racecourse's screening window, so
``/ballots/{idea_id}/`` names it without exposing ballot ids. ``POST
/ballots/`` casts or changes (201 new, 200 changed); ``DELETE
/ballots/{idea_id}/`` withdraws (204, or 404 when there is none).
"""

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from horserace.common.api import error_responses, input_validate
from horserace.common.filters import IdFilter
from voting.models import Ballot, Choice
from voting.screening.apis.auth import NOT_READ, JudgingReadAhead, judging_read
from voting.screening.apis.serializers import (
    BallotBatchInputSerializer,
    BallotBatchOutputSerializer,
    BallotInputSerializer,
    BallotOutputSerializer,
)
from voting.screening.selectors.ballots import (
    Judging,
    ballot_get,
    ballot_list,
    idea_for_judging,
)
from voting.screening.services.ballots import (
    JudgmentResult,
    Outcome,
    ballot_cast,
    ballot_withdraw,
)
from voting.screening.services.batch import ballot_cast_batch


def judging_or_404(user, pk, request=None) -> Judging:
    """The idea a ballot is on, with its round (one query), or a 404.

    With ``request``, what its token's query read ahead for ``pk``
    (``apis.auth``) is taken instead of asking again.
    """
    judging = NOT_READ if request is None else judging_read(request, pk)
    if judging is NOT_READ:
        judging = idea_for_judging(user=user, pk=pk)
    if not isinstance(judging, Judging):  # None: none the user may judge
        raise exceptions.NotFound(_("No such idea, or you may not see it."))
    return judging


def idea_or_404(user, pk):
    return judging_or_404(user, pk).idea


#: The HTTP status of each outcome of a judgment.
OUTCOME_STATUS = {
    Outcome.CREATED: status.HTTP_201_CREATED,
    Outcome.CHANGED: status.HTTP_200_OK,
    Outcome.INVALID: status.HTTP_400_BAD_REQUEST,
    Outcome.FORBIDDEN: status.HTTP_403_FORBIDDEN,
    Outcome.NOT_FOUND: status.HTTP_404_NOT_FOUND,
}


def judgment_data(result: JudgmentResult) -> dict:
    """One item of a batch's response (``JudgmentResultSerializer``'s shape)."""
    return {
        "idea": result.idea,
        "ok": result.ok,
        "status": OUTCOME_STATUS[result.outcome],
        "error": result.error,
        "choice": result.choice,
    }


_datetime_field = serializers.DateTimeField()


def ballot_data(ballot: Ballot) -> dict:
    """``BallotOutputSerializer(ballot).data``, written out for the hot path.

    The same keys, order and formats (a test holds them equal); building the
    serializer's fields for every ballot cost more than the ballot's query.
    """
    return {
        "id": ballot.pk,
        "idea": {"id": ballot.idea.pk, "title": ballot.idea.title},
        "window": ballot.window_id,
        "racecourse": ballot.window.racecourse_id,
        "choice": ballot.choice,
        "reason": ballot.reason,
        "created_at": _datetime_field.to_representation(ballot.created_at),
        "updated_at": _datetime_field.to_representation(ballot.updated_at),
    }


class BallotFilter(django_filters.FilterSet):
    # An unknown id is an empty list; a malformed or overflowing one a 400.
    window = IdFilter(field_name="window_id")
    idea = IdFilter(field_name="idea_id")
    choice = django_filters.ChoiceFilter(choices=Choice.choices)

    class Meta:
        model = Ballot
        fields = ["window", "idea", "choice"]


@extend_schema(tags=["screening"])
class BallotListApi(GenericAPIView):
    """Your ballots (GET), or cast and change one (POST)."""

    # The token's query also reads the idea a cast names (one round trip
    # less); a session, or a body naming no usable idea, goes the usual way.
    token_read_ahead = JudgingReadAhead()
    filterset_class = BallotFilter
    ordering_fields = ["updated_at", "created_at"]
    ordering = ["-updated_at", "-pk"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Ballot.objects.none()
        return ballot_list(voter=self.request.user)

    @extend_schema(
        operation_id="ballots_list",
        responses={
            200: BallotOutputSerializer(many=True),
            **error_responses(400, 401),
        },
    )
    def get(self, request):
        """Your ballots in every round, last changed first; filter by window or idea."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(BallotOutputSerializer(page, many=True).data)

    @extend_schema(
        operation_id="ballots_cast",
        request=BallotInputSerializer,
        responses={
            201: OpenApiResponse(BallotOutputSerializer, "A new ballot."),
            200: OpenApiResponse(BallotOutputSerializer, "Your ballot, changed."),
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request):
        """Support or oppose an idea in online screening, or change your judgment.

        400: the round is not open, the idea is not in screening, the reason is
        too long, or a support would exceed the round's support budget. 403:
        an idea of your own team, or you are outside the racecourse's audience.
        404: no such idea, or you may not see it.
        """
        data = input_validate(BallotInputSerializer, request.data)
        judging = judging_or_404(request.user, data["idea"], request)
        cast = ballot_cast(
            voter=request.user,
            idea=judging,
            choice=data["choice"],
            reason=data["reason"],
        )
        return Response(ballot_data(cast.ballot), status=OUTCOME_STATUS[cast.outcome])


@extend_schema(tags=["screening"])
class BallotDetailApi(APIView):
    """Your ballot on one idea in its current round: read it or withdraw it."""

    @extend_schema(
        operation_id="ballots_retrieve",
        responses={200: BallotOutputSerializer, **error_responses(401, 404)},
    )
    def get(self, request, idea_id: int):
        """Your ballot on the idea; 404 if you have none."""
        idea = idea_or_404(request.user, idea_id)
        ballot = ballot_get(voter=request.user, idea=idea)
        if ballot is None:
            raise exceptions.NotFound(_("You have no ballot on this idea."))
        return Response(BallotOutputSerializer(ballot).data)

    @extend_schema(
        operation_id="ballots_withdraw",
        responses={
            204: OpenApiResponse(description="Withdrawn."),
            **error_responses(400, 401, 404),
        },
    )
    def delete(self, request, idea_id: int):
        """Withdraw your ballot while the round is open (400 once it has closed)."""
        judging = judging_or_404(request.user, idea_id)
        if not ballot_withdraw(voter=request.user, idea=judging):
            raise exceptions.NotFound(_("You have no ballot on this idea."))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["screening"])
class BallotBatchApi(APIView):
    """Up to 100 judgments in one request, each succeeding or failing on its own."""

    @extend_schema(
        operation_id="ballots_batch",
        request=BallotBatchInputSerializer,
        responses={
            200: OpenApiResponse(
                BallotBatchOutputSerializer,
                "One result per judgment, in order, each with its own status.",
            ),
            **error_responses(400, 401),
        },
    )
    def post(self, request):
        """Cast a batch, e.g. judgments a judging page queued while offline.

        The request fails as a whole (400) only when ``judgments`` is not a list
        or has more than 100 items; otherwise it is 200 and each result says
        what became of its item (201, 200, 400, 403 or 404).
        """
        serializer = BallotBatchInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        results = ballot_cast_batch(
            voter=request.user, judgments=serializer.validated_data["judgments"]
        )
        return Response({"results": [judgment_data(r) for r in results]})
