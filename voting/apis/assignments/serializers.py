"""Request and response shapes of the evaluation API."""

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from horserace.accounts.apis import UserBriefSerializer
from horserace.accounts.models import User
from voting.evaluation.assignments.pool import MAX_DEPTH, MAX_K, MAX_L
from voting.evaluation.conflicts.automatic import DECLARED_KINDS

from ...models import EvaluatorPreference


class PoolMemberOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()
    department = serializers.CharField(source="department.name", allow_null=True)
    load = serializers.IntegerField(help_text="Projects assigned on this racecourse.")
    submitted = serializers.IntegerField(help_text="Scorecards submitted.")


class PoolAddInputSerializer(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), help_text="A user with the evaluator role."
    )


class SettingsSerializer(serializers.Serializer):
    evaluators_per_project = serializers.IntegerField(
        min_value=1, max_value=MAX_K, required=False, help_text="k"
    )
    max_projects_per_evaluator = serializers.IntegerField(
        min_value=1, max_value=MAX_L, required=False, help_text="L"
    )
    conflict_same_department = serializers.BooleanField(required=False)
    conflict_manager_depth = serializers.IntegerField(
        min_value=0,
        max_value=MAX_DEPTH,
        required=False,
        help_text="How many levels up each team member's management chain "
        "a conflict of interest reaches (0: none).",
    )
    blind_evaluation = serializers.BooleanField(required=False)


class LoadOutputSerializer(serializers.Serializer):
    evaluator = UserBriefSerializer()
    load = serializers.IntegerField()
    limit = serializers.IntegerField()
    submitted = serializers.IntegerField()
    full = serializers.BooleanField()


class ShortOutputSerializer(serializers.Serializer):
    idea = serializers.IntegerField()
    title = serializers.CharField()
    assigned = serializers.IntegerField()
    needed = serializers.IntegerField()
    reason = serializers.ChoiceField(
        choices=["pool", "conflicts", "capacity"],
        help_text="pool: fewer evaluators than k; conflicts: too many conflicted; "
        "capacity: the others are at L.",
    )


class AutoReportOutputSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="New assignments made.")
    removed_conflicted = serializers.IntegerField(
        help_text="Assignments removed because a conflict now forbids them."
    )
    components = serializers.IntegerField(
        help_text="Connected groups of the evaluator–project graph."
    )
    connected = serializers.BooleanField()
    rather_not = serializers.IntegerField(
        help_text="New assignments someone said they would rather not have."
    )
    short = ShortOutputSerializer(many=True)
    loads = inline_serializer(
        "AutoReportLoad",
        {
            "evaluator": serializers.IntegerField(),
            "name": serializers.CharField(),
            "load": serializers.IntegerField(),
        },
        many=True,
    )
    overloaded = serializers.ListField(child=serializers.IntegerField())


class AssignmentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    idea = serializers.IntegerField(source="idea_id")
    evaluator = UserBriefSerializer()
    source = serializers.CharField()
    assigned_by = UserBriefSerializer(allow_null=True)
    scorecard_status = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_scorecard_status(self, assignment) -> str | None:
        card = getattr(assignment, "scorecard", None)
        return card.status if card else None


class AssignmentAddInputSerializer(serializers.Serializer):
    idea = serializers.IntegerField()
    evaluator = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    override_load = serializers.BooleanField(
        default=False, help_text="Assign even if the evaluator already has L."
    )


class MyAssignmentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    idea = serializers.IntegerField(source="idea_id")
    title = serializers.CharField(source="idea.title")
    stage = serializers.CharField(source="idea.stage")
    racecourse = serializers.IntegerField(source="idea.racecourse_id")
    racecourse_name = serializers.CharField(source="idea.racecourse.name")
    scorecard_status = serializers.SerializerMethodField()
    team = serializers.SerializerMethodField(
        help_text="null in blind evaluation or for an anonymous idea."
    )

    def get_scorecard_status(self, assignment) -> str | None:
        return assignment.card.status if assignment.card else None

    def get_team(self, assignment) -> list[str] | None:
        if assignment.team_hidden:
            return None
        return [str(m.user) for m in assignment.idea.memberships.all()]


class ConflictOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        source="conflict.pk", allow_null=True, help_text="null: automatic."
    )
    idea = serializers.IntegerField(source="idea_id")
    evaluator = serializers.IntegerField(source="evaluator_id")
    kind = serializers.CharField()
    source = serializers.CharField(help_text="automatic, evaluator, team or admin.")
    note = serializers.CharField()


class ConflictDeclareInputSerializer(serializers.Serializer):
    idea = serializers.IntegerField()
    evaluator = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        required=False,
        help_text="Leave out to declare your own conflict.",
    )
    kind = serializers.ChoiceField(choices=DECLARED_KINDS)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class PreferenceOutputSerializer(serializers.Serializer):
    idea = serializers.IntegerField()
    title = serializers.CharField()
    racecourse = serializers.IntegerField()
    level = serializers.ChoiceField(choices=EvaluatorPreference.Level.choices)


class PreferenceInputSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=EvaluatorPreference.Level.choices)
