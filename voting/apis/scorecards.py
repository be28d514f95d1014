"""Scorecards over the API: my card (read, save a draft, submit) and the others.

The same rules as the scorecard page (``voting.evaluation.scorecards``): only
the assigned evaluator without a conflict reads and writes their card; the
other cards open once theirs is submitted (and to HR and the racecourse's
admins). A project that does not exist, or that the caller may neither see
nor score, is a 404.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from horserace.common.api import error_responses
from voting.evaluation.scorecards.selectors import (
    ScorecardPage,
    scorecard_page,
    scorecards_visible,
)
from voting.evaluation.scorecards.services import scorecard_save, scorecard_submit

from ..models import Scorecard
from .panel import CardOutputSerializer, idea_or_404


class CriterionBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    guidance = serializers.CharField()
    scale_min = serializers.IntegerField()
    scale_max = serializers.IntegerField()
    weight = serializers.DecimalField(max_digits=5, decimal_places=2)


class ScoreSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(min_value=1, help_text="A criterion id.")
    value = serializers.IntegerField(
        allow_null=True, help_text="Within the criterion's scale; null: not scored."
    )


class ScorecardInputSerializer(serializers.Serializer):
    scores = ScoreSerializer(many=True, max_length=200)
    team_comment = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=4000
    )
    panel_note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=4000
    )

    def scores_map(self) -> dict[int, int | None]:
        return {s["criterion"]: s["value"] for s in self.validated_data["scores"]}


class MyScorecardOutputSerializer(serializers.Serializer):
    idea = serializers.IntegerField(source="idea.pk")
    status = serializers.ChoiceField(
        choices=["none", *Scorecard.Status.values],
        help_text="`none`: nothing saved yet.",
    )
    submitted_at = serializers.DateTimeField(allow_null=True)
    scores = ScoreSerializer(many=True)
    team_comment = serializers.CharField()
    panel_note = serializers.CharField()
    score = serializers.FloatField(
        allow_null=True, help_text="The card's weighted score, 0–100."
    )
    editable = serializers.BooleanField()
    refusal = serializers.CharField(
        allow_null=True, help_text="Why the card cannot change now, if it cannot."
    )
    blind = serializers.BooleanField(help_text="Team names are hidden from you.")
    rubric_title = serializers.CharField(allow_null=True)
    instructions = serializers.CharField(allow_null=True)
    criteria = CriterionBriefSerializer(many=True)


def my_scorecard_data(page: ScorecardPage) -> dict:
    card = page.card
    return MyScorecardOutputSerializer(
        {
            "idea": page.idea,
            "status": card.status if card else "none",
            "submitted_at": card.submitted_at if card else None,
            "scores": [
                {"criterion": c.pk, "value": page.values.get(c.pk)}
                for c in page.criteria
            ],
            "team_comment": card.team_comment if card else "",
            "panel_note": card.panel_note if card else "",
            "score": page.score,
            "editable": page.refusal is None and bool(page.criteria),
            "refusal": page.refusal.message if page.refusal else None,
            "blind": page.blind,
            "rubric_title": page.rubric.title if page.rubric else None,
            "instructions": page.rubric.instructions if page.rubric else None,
            "criteria": page.criteria,
        }
    ).data


def _write_card(request, pk: int, service) -> Response:
    """Parse the card, save it with ``service`` (draft or submit), show it again."""
    page = scorecard_page(user=request.user, pk=pk)
    serializer = ScorecardInputSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    service(
        actor=request.user,
        idea=page.idea,
        scores=serializer.scores_map(),
        team_comment=serializer.validated_data["team_comment"],
        panel_note=serializer.validated_data["panel_note"],
    )
    return Response(my_scorecard_data(scorecard_page(user=request.user, pk=pk)))


@extend_schema(tags=["evaluation"])
class MyScorecardApi(APIView):
    """Your scorecard for a project you are assigned to evaluate."""

    @extend_schema(
        operation_id="evaluation_scorecard_retrieve",
        responses={
            200: MyScorecardOutputSerializer,
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        page = scorecard_page(user=request.user, pk=pk)
        return Response(my_scorecard_data(page))

    @extend_schema(
        operation_id="evaluation_scorecard_save",
        request=ScorecardInputSerializer,
        responses={
            200: MyScorecardOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def put(self, request, pk: int):
        """Save a draft: the scores given replace the draft's; empty ones allowed."""
        return _write_card(request, pk, scorecard_save)


@extend_schema(tags=["evaluation"])
class ScorecardSubmitApi(APIView):
    """Submit your scorecard (every criterion scored), or revise a submitted one.

    Allowed until the panel decides or the evaluation window closes.
    """

    @extend_schema(
        operation_id="evaluation_scorecard_submit",
        request=ScorecardInputSerializer,
        responses={
            200: MyScorecardOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        return _write_card(request, pk, scorecard_submit)


@extend_schema(tags=["evaluation"])
class ScorecardListApi(APIView):
    """The project's submitted scorecards, with the panel's private notes.

    For its evaluators once their own card is submitted, and for HR and the
    racecourse's admins; never for anyone with a conflict of interest.
    """

    @extend_schema(
        operation_id="evaluation_scorecards_list",
        responses={
            200: CardOutputSerializer(many=True),
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        idea = idea_or_404(request.user, pk)
        cards = scorecards_visible(user=request.user, idea=idea)
        return Response(CardOutputSerializer(cards, many=True).data)
