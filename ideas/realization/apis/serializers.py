"""The shapes of realization's API: what goes in and what comes out."""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from horserace.accounts.apis import UserBriefSerializer
from horserace.accounts.models import Department
from horserace.common.validators import no_bidi_controls
from ideas.apis.serializers import TeamPersonField, context_viewer
from ideas.models import InvestmentPlan, Outcome, Stage, Tranche

User = get_user_model()


class OutcomeSerializer(serializers.Serializer):
    """An outcome, read or recorded (one shape both ways).

    `adopted` needs `department` and `owner`; `venture` needs `venture_name`;
    `launch` needs `launched_on`.
    """

    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=Outcome.Kind.choices)
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), required=False, allow_null=True
    )
    department_name = serializers.CharField(
        source="department.name", read_only=True, allow_null=True, default=None
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    owner_name = serializers.CharField(
        source="owner.display_name", read_only=True, allow_null=True, default=None
    )
    venture_name = serializers.CharField(
        required=False, allow_blank=True, max_length=200, validators=[no_bidi_controls]
    )
    launched_on = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    recorded_by = UserBriefSerializer(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class AllocationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    idea = serializers.IntegerField(source="outcome.idea_id")
    idea_title = serializers.CharField(source="outcome.idea.title")
    member = serializers.SerializerMethodField(
        help_text="Null to whoever may not see the team (an anonymous idea not "
        "unmasked); the member's manager, who approves, always sees it."
    )
    share = serializers.IntegerField(help_text="Percent of working time; 100 = full.")
    manager = UserBriefSerializer(help_text="Who approves (the member's manager).")
    status = serializers.SerializerMethodField()
    approved_at = serializers.DateTimeField(allow_null=True)
    declined_at = serializers.DateTimeField(allow_null=True)
    manager_note = serializers.CharField()
    created_at = serializers.DateTimeField()

    @extend_schema_field(UserBriefSerializer(allow_null=True))
    def get_member(self, allocation):
        viewer = context_viewer(self.context)
        if viewer is None:
            return None
        if viewer.user.pk == allocation.manager_id or viewer.sees_names(
            allocation.outcome.idea
        ):
            return UserBriefSerializer(allocation.member).data
        return None

    @extend_schema_field(
        serializers.ChoiceField(choices=["pending", "approved", "declined"])
    )
    def get_status(self, allocation) -> str:
        if allocation.approved_at:
            return "approved"
        return "declined" if allocation.declined_at else "pending"


class AllocationProposeInputSerializer(serializers.Serializer):
    member = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    share = serializers.IntegerField(
        min_value=1, max_value=100, help_text="100 = full time."
    )


class NoteInputSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, default=""
    )


class ReviewInputSerializer(serializers.Serializer):
    review = serializers.CharField(max_length=10000)


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class TrancheOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    idea = serializers.IntegerField(source="plan.idea_id")
    currency = serializers.CharField(source="plan.currency")
    position = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    milestone = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=Tranche.Status.choices)
    review = serializers.CharField()
    review_submitted_at = serializers.DateTimeField(allow_null=True)
    review_submitted_by = TeamPersonField(
        person="review_submitted_by", idea="plan.idea"
    )
    decision_note = serializers.CharField(help_text="HR's note on its last decision.")
    released_at = serializers.DateTimeField(allow_null=True)
    released_by = UserBriefSerializer(allow_null=True)


class LedgerOutputSerializer(serializers.Serializer):
    currency = serializers.CharField()
    planned = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Every tranche but cancelled ones."
    )
    released = serializers.DecimalField(max_digits=14, decimal_places=2)
    in_review = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Waiting for HR's decision."
    )
    remaining = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Planned minus released."
    )
    released_count = serializers.IntegerField()
    tranche_count = serializers.IntegerField()


class PlanOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    idea = serializers.IntegerField(source="idea_id")
    currency = serializers.CharField()
    status = serializers.ChoiceField(choices=InvestmentPlan.Status.choices)
    closed_reason = serializers.CharField()
    created_by = UserBriefSerializer()
    created_at = serializers.DateTimeField()
    ledger = LedgerOutputSerializer()
    tranches = TrancheOutputSerializer(many=True, source="tranches.all")


class TrancheInputSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    milestone = serializers.CharField(max_length=300, validators=[no_bidi_controls])
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


class PlanCreateInputSerializer(serializers.Serializer):
    currency = serializers.CharField(min_length=3, max_length=3, default="CNY")
    tranches = TrancheInputSerializer(
        many=True, help_text="In release order (positions 1..n)."
    )


class RealizationOutputSerializer(serializers.Serializer):
    idea = serializers.IntegerField(source="idea.pk")
    title = serializers.CharField(source="idea.title")
    stage = serializers.ChoiceField(source="idea.stage", choices=Stage.choices)
    outcomes = OutcomeSerializer(many=True)
    allocations = AllocationOutputSerializer(many=True)
    plan = PlanOutputSerializer(allow_null=True)


class ProjectOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="idea.id")
    title = serializers.CharField(source="idea.title")
    racecourse = serializers.IntegerField(source="idea.racecourse_id")
    plan = PlanOutputSerializer(allow_null=True)
