"""Input and output shapes of the screening API.

A queue card hides the team of an anonymous idea (``team`` is null), the same
rule as the ideas API (``ideas.see_team``). Leaderboard rows name only the
ideas the reader may see; the others keep their rank and numbers, ``idea`` is
null.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from horserace.accounts.apis import UserBriefSerializer
from horserace.common.api import IdField
from ideas.apis.serializers import IdeaBodyField, IdeaRefSerializer, team_in_order
from voting.services.ballots import REASON_MAX_LENGTH
from voting.services.batch import BATCH_MAX

from ..models import Choice

# --- Ballots ---------------------------------------------------------------------


class BallotInputSerializer(serializers.Serializer):
    idea = IdField()
    choice = serializers.ChoiceField(choices=Choice.choices)
    reason = serializers.CharField(
        max_length=REASON_MAX_LENGTH,
        allow_blank=True,
        required=False,
        default="",
        help_text="Optional, at most 280 characters.",
    )


class BallotOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    idea = IdeaRefSerializer()
    window = serializers.IntegerField(
        source="window_id", help_text="The screening window (the round)."
    )
    racecourse = serializers.IntegerField(source="window.racecourse_id")
    choice = serializers.ChoiceField(choices=Choice.choices)
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class JudgmentInputSerializer(serializers.Serializer):
    """One item of a batch (documentation only: items are checked one by one)."""

    idea = serializers.IntegerField()
    choice = serializers.ChoiceField(choices=Choice.choices)
    reason = serializers.CharField(required=False, allow_blank=True)


@extend_schema_field(JudgmentInputSerializer(many=True))
class JudgmentListField(serializers.ListField):
    """A list whose items the service checks one by one, each on its own."""

    child = serializers.JSONField()


class BallotBatchInputSerializer(serializers.Serializer):
    judgments = JudgmentListField(
        help_text=f"At most {BATCH_MAX} judgments, applied in order; a bad item "
        "fails alone and never stops the others."
    )


class JudgmentResultSerializer(serializers.Serializer):
    idea = serializers.IntegerField(allow_null=True)
    ok = serializers.BooleanField()
    status = serializers.IntegerField(
        help_text="201 new ballot, 200 changed, 400 invalid or refused, 403 "
        "not allowed (own team, outside the audience), 404 no such idea."
    )
    error = serializers.CharField(allow_null=True)
    choice = serializers.ChoiceField(
        choices=Choice.choices,
        allow_null=True,
        help_text="Your judgment of the idea after this item (null: none).",
    )


class BallotBatchOutputSerializer(serializers.Serializer):
    results = JudgmentResultSerializer(many=True)


# --- Rounds: queue, impressions, results -------------------------------------------


class RoundSerializer(serializers.Serializer):
    """A racecourse's screening window, as a voter sees it."""

    id = serializers.IntegerField()
    racecourse = serializers.IntegerField(source="racecourse_id")
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    is_open = serializers.SerializerMethodField()
    support_budget = serializers.IntegerField(
        allow_null=True, help_text="Supports each voter may give; null: no limit."
    )
    hide_counts = serializers.BooleanField()

    def get_is_open(self, window) -> bool:
        return window.is_open(self.context.get("now"))


class ProgressSerializer(serializers.Serializer):
    judged = serializers.IntegerField()
    total = serializers.IntegerField()


class QueueCardSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    pitch = IdeaBodyField(help_text="Empty while the idea is sealed to you.")
    challenge = IdeaRefSerializer(
        allow_null=True, help_text="The company topic it answers (id and title)."
    )
    anonymous = serializers.BooleanField()
    team = serializers.SerializerMethodField(
        help_text="Null when the idea is anonymous toward voters."
    )
    choice = serializers.ChoiceField(
        source="my_choice",
        choices=Choice.choices,
        allow_null=True,
        help_text="Your judgment of the idea so far; null: not judged yet.",
    )

    @extend_schema_field(UserBriefSerializer(many=True, allow_null=True))
    def get_team(self, idea):
        if not self.context["viewer"].sees_names(idea):
            return None
        return UserBriefSerializer(
            [m.user for m in team_in_order(idea)], many=True
        ).data


class QueueOutputSerializer(serializers.Serializer):
    window = RoundSerializer()
    progress = ProgressSerializer()
    supports_used = serializers.IntegerField()
    results = QueueCardSerializer(many=True)


class ImpressionInputSerializer(serializers.Serializer):
    idea = IdField()


class TallyIdeaSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    pitch = serializers.CharField()
    stage = serializers.CharField()


class TallyOutputSerializer(serializers.Serializer):
    rank = serializers.IntegerField(allow_null=True)
    idea_id = serializers.IntegerField()
    idea = serializers.SerializerMethodField(
        help_text="Null when you may not see the idea."
    )
    window = serializers.IntegerField(source="window_id")
    supports = serializers.IntegerField()
    opposes = serializers.IntegerField()
    voters = serializers.IntegerField()
    impressions = serializers.IntegerField()
    support_rate = serializers.FloatField()
    wilson_lower = serializers.FloatField(
        help_text="Lower bound of the 95% Wilson interval of the support rate; "
        "the ranking key."
    )
    wilson_upper = serializers.FloatField()
    computed_at = serializers.DateTimeField()

    @extend_schema_field(TallyIdeaSerializer(allow_null=True))
    def get_idea(self, tally):
        if tally.idea_id not in self.context["visible_ids"]:
            return None
        # ``TallyIdeaSerializer``'s fields, written out: a serializer per row
        # would copy its fields for every row of the page.
        idea = tally.idea
        return {
            "id": idea.pk,
            "title": idea.title,
            "pitch": idea.pitch if self.context["viewer"].reads_content(idea) else "",
            "stage": idea.stage,
        }


class TallyQuerySerializer(serializers.Serializer):
    window = IdField(help_text="The screening window.")
    idea = IdField(required=False, help_text="One idea only.")
