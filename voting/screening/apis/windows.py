"""Screening windows: a person decides one (``POST /windows/{id}/confirm/``),
or recounts its live tally (``POST /windows/{id}/tally/``)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from contests import selectors
from contests.apis.windows import WindowResultOutputSerializer, window_result_response
from horserace.common.api import error_responses
from voting.screening.closers import window_confirm
from voting.screening.refresh import TallyRefreshTooSoon, tally_refresh


class WindowConfirmInputSerializer(serializers.Serializer):
    passing = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        allow_empty=True,
        max_length=10_000,
        help_text="Ids of the ideas that go on; every other idea in screening is out.",
    )


@extend_schema(tags=["windows"])
class WindowConfirmApi(APIView):
    """Decide a closed screening window whose rule is “decided by a person”.

    HR and the racecourse's admins only, once. `passing` lists the ideas that
    go on to gestation; every other idea in screening on the racecourse is
    eliminated.
    """

    @extend_schema(
        operation_id="windows_confirm",
        request=WindowConfirmInputSerializer,
        responses={
            200: WindowResultOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        window = get_object_or_404(selectors.stage_window_list(), pk=pk)
        serializer = WindowConfirmInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        outcome = window_confirm(
            window=window,
            actor=request.user,
            passing=serializer.validated_data["passing"],
        )
        return window_result_response(request, outcome)


class TallyRefreshOutputSerializer(serializers.Serializer):
    window = serializers.IntegerField(help_text="The screening window's id.")
    ideas = serializers.IntegerField(help_text="How many ideas were tallied.")
    computed_at = serializers.DateTimeField(
        help_text="When this tally was computed (now)."
    )
    next_refresh_at = serializers.DateTimeField(
        help_text="The earliest time the window may be refreshed again."
    )


@extend_schema(tags=["windows"])
class WindowTallyRefreshApi(APIView):
    """Recount a screening window's live tally now.

    HR and the racecourse's admins only; once per window every
    `TALLY_REFRESH_SECONDS` (30 s by default): a second call in that time is
    a 429 with a `Retry-After` header. Refused once the window's result is
    applied (its tally is final); the close always recounts on its own.
    """

    @extend_schema(
        operation_id="windows_tally_refresh",
        request=None,
        responses={
            200: TallyRefreshOutputSerializer,
            **error_responses(400, 401, 403, 404, 429),
        },
    )
    def post(self, request, pk: int):
        window = get_object_or_404(selectors.stage_window_list(), pk=pk)
        try:
            result = tally_refresh(window=window, actor=request.user)
        except TallyRefreshTooSoon as error:
            raise exceptions.Throttled(
                wait=error.retry_after, detail=str(error)
            ) from error
        return Response(TallyRefreshOutputSerializer(result).data)
