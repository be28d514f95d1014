"""The panel meeting over the API: the board, the discussion, decisions.

The same rules as the panel page (``voting.evaluation.panel``): HR and the
racecourse's admins read the board and decide; the discussion is open to
them and to the project's evaluators once their card is submitted; nobody
with a conflict of interest sees scores or discussion. ``GET …/decision/``
is the story the idea page shows (whole for the team, HR and admins; the
outcome alone for everyone else who may see the idea).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from contests.models import Racecourse, StageWindow
from horserace.accounts.apis import UserBriefSerializer
from horserace.common.api import error_responses
from horserace.common.permissions import can
from ideas.models import Idea
from voting.evaluation.panel.board import (
    FLAG_DISAGREEMENT,
    FLAG_VOTE_MISMATCH,
    panel_board,
)
from voting.evaluation.panel.decision import (
    panel_comment_add,
    panel_comments_visible,
    panel_decide,
)
from voting.evaluation.panel.story import evaluation_story
from voting.evaluation.scorecards.selectors import assignment_of

from ..models import PanelDecision


def idea_or_404(user, pk: int) -> Idea:
    """The project, if the user may see it, is assigned to it, or manages it."""
    idea = get_object_or_404(
        Idea.objects.select_related("racecourse").prefetch_related(
            Prefetch("racecourse__windows", queryset=StageWindow.objects.all())
        ),
        pk=pk,
    )
    if (
        can(user, "ideas.read_content", idea)
        or assignment_of(user=user, idea=idea) is not None
        or can(user, "contests.manage_racecourse", idea.racecourse)
    ):
        return idea
    raise Http404


# --- Shapes -------------------------------------------------------------------------


class CardScoreSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    name = serializers.CharField()
    value = serializers.IntegerField(allow_null=True)


class CardOutputSerializer(serializers.Serializer):
    """A submitted scorecard as the panel reads it."""

    evaluator = UserBriefSerializer()
    submitted_at = serializers.DateTimeField()
    score = serializers.FloatField(allow_null=True, help_text="Weighted, 0–100.")
    scores = serializers.SerializerMethodField()
    team_comment = serializers.CharField()
    panel_note = serializers.CharField()

    @extend_schema_field(CardScoreSerializer(many=True))
    def get_scores(self, card) -> list[dict]:
        data = [
            {"criterion": c.pk, "name": c.name, "value": value}
            for c, value in card.rows
        ]
        return CardScoreSerializer(data, many=True).data


class CommentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = UserBriefSerializer()
    body = serializers.CharField()
    created_at = serializers.DateTimeField()


class CommentInputSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=4000)


class DecisionOutputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=PanelDecision.Outcome.choices)
    feedback = serializers.CharField()
    calibrated_score = serializers.FloatField(allow_null=True)
    decided_by = UserBriefSerializer()
    created_at = serializers.DateTimeField()


class DecisionInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=PanelDecision.Outcome.choices)
    feedback = serializers.CharField(
        max_length=4000, help_text="Required: the team reads it with the decision."
    )


class ScreeningOutputSerializer(serializers.Serializer):
    racecourse = serializers.CharField(help_text="Where the idea was screened.")
    rank = serializers.IntegerField(allow_null=True)
    support_rate = serializers.FloatField()
    supports = serializers.IntegerField()
    opposes = serializers.IntegerField()
    voters = serializers.IntegerField()


class IdeaBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    stage = serializers.CharField()


class PanelRowOutputSerializer(serializers.Serializer):
    position = serializers.IntegerField(
        allow_null=True,
        help_text="Place in calibrated order; null for a hidden row (listed last).",
    )
    idea = serializers.SerializerMethodField()
    hidden = serializers.CharField(
        help_text=(
            "Empty, or why the details are withheld: `conflict` (you have a "
            "conflict of interest) or `confidential` (HR handles it)."
        )
    )
    n = serializers.IntegerField(source="stats.n")
    mean = serializers.FloatField(source="stats.mean", allow_null=True)
    median = serializers.FloatField(source="stats.median", allow_null=True)
    sd = serializers.FloatField(source="stats.sd", allow_null=True)
    range = serializers.FloatField(source="stats.range", allow_null=True)
    calibrated = serializers.FloatField(allow_null=True)
    group = serializers.IntegerField(
        allow_null=True,
        help_text="The project's part of the evaluator–project graph (1, 2, …): "
        "calibrated scores compare only within a part. Null without cards.",
    )
    assigned = serializers.IntegerField()
    submitted = serializers.IntegerField()
    set_aside = serializers.IntegerField(
        help_text="Submitted cards not counted: their evaluator is conflicted."
    )
    screening = ScreeningOutputSerializer(allow_null=True)
    flags = serializers.ListField(
        child=serializers.ChoiceField(choices=[FLAG_DISAGREEMENT, FLAG_VOTE_MISMATCH])
    )
    decision = DecisionOutputSerializer(allow_null=True)
    cards = CardOutputSerializer(many=True)
    comments = CommentOutputSerializer(many=True)

    @extend_schema_field(IdeaBriefSerializer(allow_null=True))
    def get_idea(self, row) -> dict | None:
        if row.hidden == "confidential":
            return None
        return IdeaBriefSerializer(row.idea).data


class PanelOutputSerializer(serializers.Serializer):
    racecourse = serializers.IntegerField(source="racecourse.pk")
    components = serializers.IntegerField(
        help_text="Connected parts of the evaluator–project graph (1 is best)."
    )
    connected = serializers.BooleanField(
        help_text="Whether every calibrated score compares with every other "
        "(at most one part)."
    )
    connectivity = serializers.CharField(
        help_text="The connectivity and what it means for the scores, in a "
        "sentence for people."
    )
    rows = PanelRowOutputSerializer(many=True)


class StoryScoreSerializer(serializers.Serializer):
    criterion = serializers.CharField()
    value = serializers.IntegerField(allow_null=True)
    scale_min = serializers.IntegerField()
    scale_max = serializers.IntegerField()


class StoryCardSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="“Evaluator 1”, … (anonymous).")
    score = serializers.FloatField(allow_null=True)
    team_comment = serializers.CharField()
    scores = StoryScoreSerializer(many=True)


class StoryOutputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=PanelDecision.Outcome.choices)
    outcome_label = serializers.CharField()
    decided_at = serializers.DateTimeField()
    full = serializers.BooleanField(
        help_text="The whole story (team, HR, admins) or the outcome only."
    )
    feedback = serializers.CharField(required=False)
    calibrated_score = serializers.FloatField(required=False, allow_null=True)
    cards = StoryCardSerializer(many=True, required=False)

    def to_representation(self, story):
        # The outcome-only story has no feedback, score or cards: leave them out.
        data = super().to_representation(story)
        return {key: value for key, value in data.items() if key in story}


# --- Views -------------------------------------------------------------------------


@extend_schema(tags=["evaluation"])
class PanelApi(APIView):
    """The panel meeting: projects in calibrated order with raw statistics,
    cards, screening result, flags and decisions (HR and racecourse admins)."""

    @extend_schema(
        operation_id="evaluation_panel_retrieve",
        responses={200: PanelOutputSerializer, **error_responses(401, 403, 404)},
    )
    def get(self, request, pk: int):
        racecourse = get_object_or_404(Racecourse, pk=pk)
        if not can(request.user, "voting.view_panel", racecourse):
            raise PermissionDenied(
                _("Only HR and this racecourse's admins run its panel meeting.")
            )
        board = panel_board(racecourse=racecourse, user=request.user)
        return Response(PanelOutputSerializer(board).data)


@extend_schema(tags=["evaluation"])
class PanelCommentApi(APIView):
    """The panel's discussion of a project (never shown to the team)."""

    @extend_schema(
        operation_id="evaluation_panel_comments_list",
        responses={
            200: CommentOutputSerializer(many=True),
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        idea = idea_or_404(request.user, pk)
        comments = panel_comments_visible(user=request.user, idea=idea)
        return Response(CommentOutputSerializer(comments, many=True).data)

    @extend_schema(
        operation_id="evaluation_panel_comments_create",
        request=CommentInputSerializer,
        responses={
            201: CommentOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        idea = idea_or_404(request.user, pk)
        serializer = CommentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = panel_comment_add(
            actor=request.user, idea=idea, body=serializer.validated_data["body"]
        )
        return Response(
            CommentOutputSerializer(comment).data, status=status.HTTP_201_CREATED
        )


@extend_schema(tags=["evaluation"])
class DecisionApi(APIView):
    """The panel's decision on a project."""

    @extend_schema(
        operation_id="evaluation_decision_retrieve",
        responses={200: StoryOutputSerializer, **error_responses(401, 404)},
    )
    def get(self, request, pk: int):
        """The decision as the idea page tells it; 404 before the decision."""
        idea = get_object_or_404(Idea.objects.select_related("racecourse"), pk=pk)
        story = evaluation_story(idea=idea, user=request.user)
        if story is None:
            raise Http404
        return Response(StoryOutputSerializer(story).data)

    @extend_schema(
        operation_id="evaluation_decision_create",
        request=DecisionInputSerializer,
        responses={
            201: DecisionOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        """Select the project for realization or eliminate it, with feedback.

        HR or the racecourse's admins, once per project.
        """
        idea = idea_or_404(request.user, pk)
        serializer = DecisionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decision = panel_decide(
            actor=request.user, idea=idea, **serializer.validated_data
        )
        return Response(
            DecisionOutputSerializer(decision).data, status=status.HTTP_201_CREATED
        )
