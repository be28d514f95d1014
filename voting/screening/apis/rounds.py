"""A racecourse's screening round over the API: queue, impressions, results.

The queue is the voter's own order of the ideas they may judge (random but
stable per voter and round). Results are the tally snapshots written by the
tally task; while a round hides its counts only HR and the racecourse's
admins read them, everyone else gets a 403 that says until when.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from contests.models import Racecourse, StageWindow, WindowStage
from horserace.common.api import error_responses
from ideas.visibility import Viewer
from voting.models import Tally
from voting.screening.apis.ballots import idea_or_404
from voting.screening.apis.serializers import (
    ImpressionInputSerializer,
    QueueOutputSerializer,
    TallyOutputSerializer,
    TallyQuerySerializer,
)
from voting.screening.selectors.ballots import supports_used as selectors_supports_used
from voting.screening.selectors.ballots import visible_idea_ids
from voting.screening.selectors.queue import judging_progress, judging_queue
from voting.screening.selectors.results import counts_visible, leaderboard
from voting.screening.selectors.rounds import screening_window, voter_in_audience
from voting.screening.services.ballots import impression_record

QUEUE_LIMIT_DEFAULT = 20
QUEUE_LIMIT_MAX = 100


def round_of(racecourse_pk: int) -> StageWindow:
    """The racecourse's screening window; 404 for no racecourse or no round."""
    racecourse = get_object_or_404(
        Racecourse.objects.select_related("department").prefetch_related(
            Prefetch("windows", queryset=StageWindow.objects.all())
        ),
        pk=racecourse_pk,
    )
    window = screening_window(racecourse=racecourse)
    if window is None:
        raise exceptions.NotFound(_("This racecourse has no online screening."))
    window.racecourse = racecourse
    return window


def require_counts_visible(user, window: StageWindow) -> None:
    if not counts_visible(user=user, window=window):
        raise exceptions.PermissionDenied(
            _("The counts of this round are hidden until it closes on %(date)s.")
            % {
                "date": date_format(
                    timezone.localtime(window.closes_at), "DATETIME_FORMAT"
                )
            }
        )


class QueueQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(
        min_value=1,
        max_value=QUEUE_LIMIT_MAX,
        default=QUEUE_LIMIT_DEFAULT,
        help_text="How many cards to return (1–100).",
    )
    include_judged = serializers.BooleanField(
        default=False,
        help_text="Also list the ideas you have judged, with your judgment.",
    )


@extend_schema(tags=["screening"])
class RacecourseQueueApi(APIView):
    """Your judging queue on the racecourse: the next ideas for you to judge."""

    @extend_schema(
        operation_id="racecourses_queue",
        parameters=[QueueQuerySerializer],
        responses={200: QueueOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def get(self, request, pk: int):
        """The next ideas still to judge, in your own stable random order.

        ``progress`` counts every idea you may judge in this round and how many
        you have judged. Empty once the round has closed. 403 when you are
        outside the racecourse's audience.
        """
        query = QueueQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        window = round_of(pk)
        user = request.user
        if not voter_in_audience(user=user, racecourse=window.racecourse):
            raise exceptions.PermissionDenied(
                _("Only people in %(department)s judge ideas on %(racecourse)s.")
                % {
                    "department": window.racecourse.department,
                    "racecourse": window.racecourse,
                }
            )
        now = timezone.now()
        cards = []
        if window.is_open(now):
            queue = judging_queue(user=user, window=window)
            if not query.validated_data["include_judged"]:
                queue = queue.filter(my_choice__isnull=True)
            cards = list(queue[: query.validated_data["limit"]])
        judged, total = judging_progress(user=user, window=window)
        supports_used = selectors_supports_used(voter=user, window=window)
        context = {"now": now, "viewer": Viewer(user)}
        data = QueueOutputSerializer(
            {
                "window": window,
                "progress": {"judged": judged, "total": total},
                "supports_used": supports_used,
                "results": cards,
            },
            context=context,
        ).data
        return Response(data)


@extend_schema(tags=["screening"])
class RacecourseImpressionApi(APIView):
    """Record that an idea's card was shown to you (once per idea and round)."""

    @extend_schema(
        operation_id="racecourses_impressions_create",
        request=ImpressionInputSerializer,
        responses={
            204: OpenApiResponse(description="Recorded (or already recorded)."),
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        """Count a shown card toward the idea's exposure in this round."""
        serializer = ImpressionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        window = round_of(pk)
        idea = idea_or_404(request.user, serializer.validated_data["idea"])
        impression_record(voter=request.user, idea=idea, window=window)
        return Response(status=status.HTTP_204_NO_CONTENT)


class _TallyPage(GenericAPIView):
    def tally_page(self, request, tallies):
        page = self.paginate_queryset(tallies)
        visible = visible_idea_ids(user=request.user, ids={t.idea_id for t in page})
        data = TallyOutputSerializer(
            page,
            many=True,
            context={"visible_ids": visible, "viewer": Viewer(request.user)},
        ).data
        return self.get_paginated_response(data)


@extend_schema(tags=["screening"])
class RacecourseLeaderboardApi(_TallyPage):
    """The racecourse's screening results, best first, from the latest tally."""

    queryset = Tally.objects.none()  # for the schema; the view reads a selector
    filter_backends = []

    @extend_schema(
        operation_id="racecourses_leaderboard",
        responses={
            200: TallyOutputSerializer(many=True),
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        """Ranked by the lower bound of the 95% Wilson interval of the support rate.

        Ties go to more voters, then to the earlier registration. 403 while the
        round hides its counts from you (until it closes).
        """
        window = round_of(pk)
        require_counts_visible(request.user, window)
        # The rows name only the idea (id, title, pitch, stage): no need for
        # its registration and racecourse.
        tallies = leaderboard(window=window).select_related(None)
        return self.tally_page(request, tallies.select_related("idea"))


@extend_schema(tags=["screening"])
class TallyListApi(_TallyPage):
    """Tally snapshots of one screening window, best rank first."""

    queryset = Tally.objects.none()
    filter_backends = []

    @extend_schema(
        operation_id="tallies_list",
        parameters=[TallyQuerySerializer],
        responses={
            200: TallyOutputSerializer(many=True),
            **error_responses(400, 401, 403, 404),
        },
    )
    def get(self, request):
        """The same rows as the racecourse leaderboard, by window (and idea)."""
        query = TallyQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        window = (
            StageWindow.objects.filter(
                pk=query.validated_data["window"], stage=WindowStage.SCREENING
            )
            .select_related("racecourse")
            .first()
        )
        if window is None:
            raise exceptions.NotFound(_("No such screening window."))
        require_counts_visible(request.user, window)
        tallies = leaderboard(window=window)
        if "idea" in query.validated_data:
            tallies = tallies.filter(idea_id=query.validated_data["idea"])
        return self.tally_page(request, tallies)
