"""The shapes of gestation's API: what goes in and what comes out."""

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from contests.models import Resource, Trainer
from horserace.accounts.apis import UserBriefSerializer
from horserace.common.validators import no_bidi_controls
from ideas.apis.serializers import IdeaRefSerializer, TeamPersonField
from ideas.models import Milestone, ResourceRequest, TrainerAssignment

_AMOUNT: dict[str, Any] = {"max_digits": 12, "decimal_places": 2}


def _values(choices) -> str:
    return "One of: " + ", ".join(f"`{value}`" for value, _label in choices) + "."


class ResourceBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField(
        help_text=_values(Resource._meta.get_field("kind").choices)
    )
    unit = serializers.CharField(
        help_text=_values(Resource._meta.get_field("unit").choices)
    )


class RequestMessageOutputSerializer(serializers.Serializer):
    author = TeamPersonField(person="author", idea="request.idea")
    body = serializers.CharField()
    created_at = serializers.DateTimeField()


class ResourceRequestOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    idea = IdeaRefSerializer()
    resource = ResourceBriefSerializer()
    amount = serializers.DecimalField(**_AMOUNT)
    justification = serializers.CharField()
    status = serializers.CharField(help_text=_values(ResourceRequest.Status.choices))
    granted_amount = serializers.DecimalField(**_AMOUNT, allow_null=True)
    requested_by = TeamPersonField(person="requested_by")
    decided_by = UserBriefSerializer(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_note = serializers.CharField()
    messages = RequestMessageOutputSerializer(many=True, source="messages.all")
    created_at = serializers.DateTimeField()


class TeamBudgetLineOutputSerializer(serializers.Serializer):
    resource = ResourceBriefSerializer()
    budget = serializers.DecimalField(source="amount", max_digits=14, decimal_places=2)
    granted = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Granted on the racecourse in all."
    )
    left = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Left in the racecourse's budget."
    )
    team_granted = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Granted to this team."
    )
    team_pending = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Asked by this team, undecided."
    )


class ResourceRequestCreateInputSerializer(serializers.Serializer):
    resource = serializers.PrimaryKeyRelatedField(queryset=Resource.objects.all())
    amount = serializers.DecimalField(**_AMOUNT, min_value=Decimal("0.01"))
    justification = serializers.CharField(max_length=8000)


class ResourceGrantInputSerializer(serializers.Serializer):
    amount = serializers.DecimalField(
        **_AMOUNT,
        min_value=Decimal("0.01"),
        required=False,
        allow_null=True,
        help_text="Leave out to grant the amount asked; never more than asked.",
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class GestationReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ResourceQuestionInputSerializer(serializers.Serializer):
    question = serializers.CharField(max_length=4000)


class ResourceAnswerInputSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=4000)


class GestationMilestoneOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)
    done_at = serializers.DateTimeField(allow_null=True)
    position = serializers.IntegerField()


class GestationMilestoneInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, validators=[no_bidi_controls])
    description = serializers.CharField(required=False, allow_blank=True)
    due_on = serializers.DateField(required=False, allow_null=True)


class GestationMilestoneDoneInputSerializer(serializers.Serializer):
    done = serializers.BooleanField(default=True)


class ProgressUpdateOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    milestone = serializers.IntegerField(source="milestone_id", allow_null=True)
    author = TeamPersonField(person="author")
    body = serializers.CharField()
    created_at = serializers.DateTimeField()


class ProgressUpdateInputSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=8000)
    milestone = serializers.PrimaryKeyRelatedField(
        queryset=Milestone.objects.all(), required=False, allow_null=True
    )
    milestone_done = serializers.BooleanField(
        default=False, help_text="Also mark the milestone done."
    )


class TrainerBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    user = UserBriefSerializer()
    expertise = serializers.CharField()


class TrainerAssignmentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    idea = IdeaRefSerializer()
    trainer = TrainerBriefSerializer(allow_null=True)
    status = serializers.CharField(help_text=_values(TrainerAssignment.Status.choices))
    message = serializers.CharField()
    requested_by = TeamPersonField(person="requested_by")
    assigned_by = UserBriefSerializer(allow_null=True)
    assigned_at = serializers.DateTimeField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


class TrainerRequestInputSerializer(serializers.Serializer):
    message = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    trainer = serializers.PrimaryKeyRelatedField(
        queryset=Trainer.objects.all(),
        required=False,
        allow_null=True,
        help_text="A preferred trainer from the season's pool.",
    )


class TrainerAssignInputSerializer(serializers.Serializer):
    trainer = serializers.PrimaryKeyRelatedField(queryset=Trainer.objects.all())


class TrainerDeclineInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class TrainerSessionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    assignment = serializers.IntegerField(source="assignment_id")
    held_on = serializers.DateField()
    duration_minutes = serializers.IntegerField()
    topic = serializers.CharField()
    notes = serializers.CharField()
    logged_by = UserBriefSerializer()
    created_at = serializers.DateTimeField()


class TrainerSessionInputSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    duration_minutes = serializers.IntegerField(
        min_value=1, max_value=24 * 60, default=60
    )
    topic = serializers.CharField(max_length=200, validators=[no_bidi_controls])
    notes = serializers.CharField(required=False, allow_blank=True)


class ProposalFileOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField()
    content_type = serializers.CharField()
    created_at = serializers.DateTimeField()


class FinalProposalOutputSerializer(serializers.Serializer):
    summary = serializers.CharField()
    document = serializers.CharField()
    submitted_by = TeamPersonField(person="submitted_by")
    submitted_at = serializers.DateTimeField()
    attachments = ProposalFileOutputSerializer(many=True)


class FinalProposalInputSerializer(serializers.Serializer):
    summary = serializers.CharField(max_length=500, validators=[no_bidi_controls])
    document = serializers.CharField()


class ProposalFileInputSerializer(serializers.Serializer):
    file = serializers.FileField()


class ProposalExtensionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    until = serializers.DateTimeField()
    reason = serializers.CharField()
    granted_by = UserBriefSerializer()
    created_at = serializers.DateTimeField()


class ProposalExtensionInputSerializer(serializers.Serializer):
    until = serializers.DateTimeField()
    reason = serializers.CharField(max_length=2000)
