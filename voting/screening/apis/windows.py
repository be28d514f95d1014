"""Screening windows decided by a person: ``POST /windows/{id}/confirm/``."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.views import APIView

from contests import selectors
from contests.apis.windows import WindowResultOutputSerializer, window_result_response
from horserace.common.api import error_responses
from voting.screening.closers import window_confirm


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
