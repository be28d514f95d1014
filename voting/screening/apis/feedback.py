"""``GET /api/v1/ideas/{id}/feedback/``: voters' reasons for the team."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from horserace.common.api import error_responses
from voting.models import Choice
from voting.screening.selectors.feedback import idea_feedback
from voting.screening.views.feedback import feedback_idea_or_404


class FeedbackReasonSerializer(serializers.Serializer):
    choice = serializers.ChoiceField(choices=Choice.choices)
    reason = serializers.CharField()


class FeedbackRoundSerializer(serializers.Serializer):
    window = serializers.IntegerField(source="window.pk")
    racecourse = serializers.CharField(source="window.racecourse.name")
    round = serializers.IntegerField(source="window.round")
    closes_at = serializers.DateTimeField(source="window.closes_at")
    supports = serializers.IntegerField()
    opposes = serializers.IntegerField()
    with_reason = serializers.IntegerField()
    reasons = serializers.SerializerMethodField()

    @extend_schema_field(FeedbackReasonSerializer(many=True))
    def get_reasons(self, round_):
        return FeedbackReasonSerializer(
            [{"choice": c, "reason": r} for c, r in round_.reasons], many=True
        ).data


@extend_schema(tags=["screening"])
class IdeaFeedbackApi(APIView):
    """Voters' reasons for the idea, per screening round whose result is applied.

    Never who gave them: no voter id, name, department or time; reasons come
    supports first, then by their text. Empty before any round is applied.
    The team, HR and the idea's racecourse admins may read it; anyone else
    gets 404.
    """

    @extend_schema(
        operation_id="ideas_feedback",
        responses={
            200: FeedbackRoundSerializer(many=True),
            **error_responses(401, 404),
        },
    )
    def get(self, request, pk: int):
        idea = feedback_idea_or_404(request.user, pk)
        rounds = idea_feedback(idea=idea)
        return Response(FeedbackRoundSerializer(rounds, many=True).data)
