"""Gestation over the API: resource requests and grants, milestones and
progress updates, trainers and their sessions, the final proposal, and HR's
extensions and eliminations.

Same rules as the browser: the services check every permission. An idea the
user may neither see nor work on is a 404; one they may see but not act on
is a 403. Status, kind and unit fields are plain strings (values listed in
their descriptions).
"""

from decimal import Decimal

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from contests.models import Resource, Trainer
from horserace.accounts.apis import UserBriefSerializer
from horserace.core.api import error_responses
from horserace.core.permissions import can

from ..models import (
    Attachment,
    Idea,
    Milestone,
    ProposalExtension,
    ResourceRequest,
    StageTransition,
    TeamMembership,
    TrainerAssignment,
)
from ..selectors import gestation as selectors
from ..services import attachment_add
from ..services import gestation as services
from ..services import trainers as trainer_services
from .serializers import IdeaRefSerializer

_AMOUNT = {"max_digits": 12, "decimal_places": 2}


def _values(choices) -> str:
    return "One of: " + ", ".join(f"`{value}`" for value, _label in choices) + "."


# --- Shapes ------------------------------------------------------------------------


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
    author = UserBriefSerializer()
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
    requested_by = UserBriefSerializer()
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
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    due_on = serializers.DateField(required=False, allow_null=True)


class GestationMilestoneDoneInputSerializer(serializers.Serializer):
    done = serializers.BooleanField(default=True)


class ProgressUpdateOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    milestone = serializers.IntegerField(source="milestone_id", allow_null=True)
    author = UserBriefSerializer()
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
    requested_by = UserBriefSerializer(allow_null=True)
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
    topic = serializers.CharField(max_length=200)
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
    submitted_by = UserBriefSerializer()
    submitted_at = serializers.DateTimeField()
    attachments = ProposalFileOutputSerializer(many=True)


class FinalProposalInputSerializer(serializers.Serializer):
    summary = serializers.CharField(max_length=500)
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


# --- Helpers -------------------------------------------------------------------------


def gestation_idea(request, pk: int, perm: str | None = None) -> Idea:
    """The idea for a gestation call: 404 unless the user may see the idea or
    its gestation; 403 unless they also hold ``perm`` (when given)."""
    idea = (
        Idea.objects.select_related("racecourse__season")
        .prefetch_related(
            Prefetch(
                "memberships", queryset=TeamMembership.objects.select_related("user")
            ),
            Prefetch("transitions", queryset=StageTransition.objects.all()),
            "racecourse__windows",
        )
        .filter(pk=pk)
        .first()
    )
    user = request.user
    if idea is None or not (
        can(user, "ideas.view_idea", idea) or can(user, "ideas.view_gestation", idea)
    ):
        raise Http404
    if perm is not None and not can(user, perm, idea):
        raise PermissionDenied(_("You may not see this part of the project."))
    return idea


def _parse(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _request_response(request, pk: int, code=status.HTTP_200_OK) -> Response:
    req = selectors.resource_request_list().get(pk=pk)
    return Response(ResourceRequestOutputSerializer(req).data, status=code)


def _proposal_data(idea: Idea):
    proposal = selectors.final_proposal_get(idea=idea)
    if proposal is None:
        return None
    proposal.attachments = list(selectors.proposal_attachments(idea=idea))
    return FinalProposalOutputSerializer(proposal).data


# --- Resources and requests ------------------------------------------------------------


@extend_schema(tags=["gestation: resources"])
class IdeaResourcesApi(APIView):
    """Per budgeted resource: what the team has, waits for, and what is left."""

    @extend_schema(
        operation_id="ideas_resources_list",
        responses={
            200: TeamBudgetLineOutputSerializer(many=True),
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        idea = gestation_idea(request, pk, "ideas.see_resources")
        lines = selectors.budget_list(idea=idea)
        return Response(TeamBudgetLineOutputSerializer(lines, many=True).data)


@extend_schema(tags=["gestation: resources"])
class IdeaResourceRequestsApi(APIView):
    """The team's resource requests (GET), or a new one from the captain (POST)."""

    @extend_schema(
        operation_id="ideas_resource_requests_list",
        responses={
            200: ResourceRequestOutputSerializer(many=True),
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        idea = gestation_idea(request, pk, "ideas.see_resources")
        rows = selectors.resource_request_list(idea=idea)
        return Response(ResourceRequestOutputSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="ideas_resource_requests_create",
        request=ResourceRequestCreateInputSerializer,
        responses={
            201: ResourceRequestOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        idea = gestation_idea(request, pk)
        data = _parse(ResourceRequestCreateInputSerializer, request)
        req = services.resource_request_create(idea=idea, actor=request.user, **data)
        return _request_response(request, req.pk, status.HTTP_201_CREATED)


class ResourceRequestFilter(django_filters.FilterSet):
    racecourse = django_filters.NumberFilter(field_name="idea__racecourse")
    status = django_filters.MultipleChoiceFilter(choices=ResourceRequest.Status.choices)

    class Meta:
        model = ResourceRequest
        fields = ["idea", "resource", "racecourse", "status"]


@extend_schema(tags=["gestation: resources"])
class ResourceRequestListApi(ListAPIView):
    """Requests you may see: your teams', the racecourses you run; HR all.

    The grant queue is `?racecourse=<id>&status=pending&status=question`.
    """

    serializer_class = ResourceRequestOutputSerializer
    filterset_class = ResourceRequestFilter
    ordering_fields = ["created_at", "amount"]
    ordering = ["created_at", "pk"]
    search_fields = ["idea__title", "resource__name"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ResourceRequest.objects.none()
        return selectors.resource_requests_visible(user=self.request.user)

    @extend_schema(
        operation_id="resource_requests_list",
        responses={
            200: ResourceRequestOutputSerializer(many=True),
            **error_responses(400, 401),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


@extend_schema(tags=["gestation: resources"])
class ResourceRequestDetailApi(APIView):
    @extend_schema(
        operation_id="resource_requests_retrieve",
        responses={
            200: ResourceRequestOutputSerializer,
            **error_responses(401, 404),
        },
    )
    def get(self, request, pk: int):
        get_object_or_404(selectors.resource_requests_visible(user=request.user), pk=pk)
        return _request_response(request, pk)


class _RequestActionApi(APIView):
    """Shared by the decisions: find a request the user may see, act, answer."""

    input_serializer = None

    def act(self, req: ResourceRequest, user, data: dict) -> None:
        raise NotImplementedError

    def post(self, request, pk: int):
        req = get_object_or_404(
            selectors.resource_requests_visible(user=request.user), pk=pk
        )
        data = _parse(self.input_serializer, request) if self.input_serializer else {}
        self.act(req, request.user, data)
        return _request_response(request, pk)


def _action_schema(operation_id: str, input_serializer, doc: str):
    return extend_schema(
        operation_id=operation_id,
        tags=["gestation: resources"],
        description=doc,
        request=input_serializer,
        responses={
            200: ResourceRequestOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )


class ResourceRequestGrantApi(_RequestActionApi):
    input_serializer = ResourceGrantInputSerializer

    @_action_schema(
        "resource_requests_grant",
        ResourceGrantInputSerializer,
        "HR or the racecourse's admins grant the request, possibly less than "
        "asked. Never past the racecourse's budget: the 400 says what is left.",
    )
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, req, user, data):
        services.resource_request_grant(
            request=req,
            actor=user,
            amount=data.get("amount"),
            note=data.get("note", ""),
        )


class ResourceRequestDeclineApi(_RequestActionApi):
    input_serializer = GestationReasonInputSerializer

    @_action_schema(
        "resource_requests_decline",
        GestationReasonInputSerializer,
        "Decline with a reason the team reads.",
    )
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, req, user, data):
        services.resource_request_decline(
            request=req, actor=user, reason=data["reason"]
        )


class ResourceRequestAskApi(_RequestActionApi):
    input_serializer = ResourceQuestionInputSerializer

    @_action_schema(
        "resource_requests_ask",
        ResourceQuestionInputSerializer,
        "Ask the captain a question; the request waits for the answer.",
    )
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, req, user, data):
        services.resource_request_ask(
            request=req, actor=user, question=data["question"]
        )


class ResourceRequestAnswerApi(_RequestActionApi):
    input_serializer = ResourceAnswerInputSerializer

    @_action_schema(
        "resource_requests_answer",
        ResourceAnswerInputSerializer,
        "The captain answers; the request goes back to the queue.",
    )
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, req, user, data):
        services.resource_request_answer(request=req, actor=user, answer=data["answer"])


class ResourceRequestCancelApi(_RequestActionApi):
    @_action_schema(
        "resource_requests_cancel", None, "The captain takes an open request back."
    )
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, req, user, data):
        services.resource_request_cancel(request=req, actor=user)


# --- Milestones and progress -------------------------------------------------------------


@extend_schema(tags=["gestation: progress"])
class IdeaMilestonesApi(APIView):
    """The team's milestones (GET); the captain adds one (POST)."""

    @extend_schema(
        operation_id="ideas_milestones_list",
        responses={
            200: GestationMilestoneOutputSerializer(many=True),
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        idea = gestation_idea(request, pk, "ideas.see_progress")
        rows = selectors.milestone_list(idea=idea)
        return Response(GestationMilestoneOutputSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="ideas_milestones_create",
        request=GestationMilestoneInputSerializer,
        responses={
            201: GestationMilestoneOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        idea = gestation_idea(request, pk)
        data = _parse(GestationMilestoneInputSerializer, request)
        milestone = services.milestone_create(idea=idea, actor=request.user, **data)
        return Response(
            GestationMilestoneOutputSerializer(milestone).data,
            status=status.HTTP_201_CREATED,
        )


def _milestone(request, pk: int) -> Milestone:
    milestone = get_object_or_404(Milestone, pk=pk)
    gestation_idea(request, milestone.idea_id)
    return milestone


@extend_schema(tags=["gestation: progress"])
class MilestoneDoneApi(APIView):
    @extend_schema(
        operation_id="milestones_done",
        description="A team member marks the milestone done (or, `done: false`, open).",
        request=GestationMilestoneDoneInputSerializer,
        responses={
            200: GestationMilestoneOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        milestone = _milestone(request, pk)
        data = _parse(GestationMilestoneDoneInputSerializer, request)
        milestone = services.milestone_set_done(
            milestone=milestone, actor=request.user, done=data["done"]
        )
        return Response(GestationMilestoneOutputSerializer(milestone).data)


@extend_schema(tags=["gestation: progress"])
class MilestoneDetailApi(APIView):
    @extend_schema(
        operation_id="milestones_delete",
        description="The captain removes a milestone.",
        responses={204: None, **error_responses(401, 403, 404)},
    )
    def delete(self, request, pk: int):
        milestone = _milestone(request, pk)
        services.milestone_delete(milestone=milestone, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["gestation: progress"])
class IdeaProgressUpdatesApi(APIView):
    """The team's updates, newest first (GET); a member posts one (POST)."""

    @extend_schema(
        operation_id="ideas_progress_updates_list",
        responses={
            200: ProgressUpdateOutputSerializer(many=True),
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        idea = gestation_idea(request, pk, "ideas.see_progress")
        rows = selectors.progress_update_list(idea=idea)
        return Response(ProgressUpdateOutputSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="ideas_progress_updates_create",
        request=ProgressUpdateInputSerializer,
        responses={
            201: ProgressUpdateOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        idea = gestation_idea(request, pk)
        data = _parse(ProgressUpdateInputSerializer, request)
        update = services.progress_update_post(idea=idea, actor=request.user, **data)
        return Response(
            ProgressUpdateOutputSerializer(update).data, status=status.HTTP_201_CREATED
        )


# --- Trainers and sessions ---------------------------------------------------------------


def _assignment_response(pk: int, code=status.HTTP_200_OK) -> Response:
    assignment = selectors.trainer_assignment_list().get(pk=pk)
    return Response(TrainerAssignmentOutputSerializer(assignment).data, status=code)


@extend_schema(tags=["gestation: trainers"])
class IdeaTrainerAssignmentsApi(APIView):
    """The team's trainer assignments and requests (GET); HR or the racecourse's
    admins assign a trainer from the season's pool (POST), filling the team's
    open request if any, within the trainer's capacity."""

    @extend_schema(
        operation_id="ideas_trainer_assignments_list",
        responses={
            200: TrainerAssignmentOutputSerializer(many=True),
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        idea = gestation_idea(request, pk, "ideas.view_gestation")
        rows = selectors.trainer_assignment_list(idea=idea)
        return Response(TrainerAssignmentOutputSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="ideas_trainer_assignments_create",
        request=TrainerAssignInputSerializer,
        responses={
            201: TrainerAssignmentOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        idea = gestation_idea(request, pk)
        data = _parse(TrainerAssignInputSerializer, request)
        assignment = trainer_services.trainer_assign(
            idea=idea, actor=request.user, trainer=data["trainer"]
        )
        return _assignment_response(assignment.pk, status.HTTP_201_CREATED)


@extend_schema(tags=["gestation: trainers"])
class IdeaTrainerRequestApi(APIView):
    @extend_schema(
        operation_id="ideas_trainer_request",
        description="The captain asks for a trainer, optionally naming one.",
        request=TrainerRequestInputSerializer,
        responses={
            201: TrainerAssignmentOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        idea = gestation_idea(request, pk)
        data = _parse(TrainerRequestInputSerializer, request)
        assignment = trainer_services.trainer_request(
            idea=idea, actor=request.user, **data
        )
        return _assignment_response(assignment.pk, status.HTTP_201_CREATED)


class TrainerAssignmentFilter(django_filters.FilterSet):
    mine = django_filters.BooleanFilter(
        method="filter_mine", label="Only the teams you coach or coached."
    )
    racecourse = django_filters.NumberFilter(field_name="idea__racecourse")
    status = django_filters.MultipleChoiceFilter(
        choices=TrainerAssignment.Status.choices
    )

    class Meta:
        model = TrainerAssignment
        fields = ["idea", "racecourse", "status", "mine"]

    def filter_mine(self, queryset, name, value):
        if value:
            return queryset.filter(trainer__user=self.request.user)
        return queryset


@extend_schema(tags=["gestation: trainers"])
class TrainerAssignmentListApi(ListAPIView):
    """Assignments you may see: your teams', your own as trainer (`?mine=true`),
    the racecourses you run; HR all."""

    serializer_class = TrainerAssignmentOutputSerializer
    filterset_class = TrainerAssignmentFilter
    ordering_fields = ["created_at", "assigned_at"]
    ordering = ["-created_at", "-pk"]
    search_fields = ["idea__title", "trainer__user__display_name"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return TrainerAssignment.objects.none()
        return selectors.trainer_assignments_visible(user=self.request.user)

    @extend_schema(
        operation_id="trainer_assignments_list",
        responses={
            200: TrainerAssignmentOutputSerializer(many=True),
            **error_responses(400, 401),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def _visible_assignment(request, pk: int) -> TrainerAssignment:
    return get_object_or_404(
        selectors.trainer_assignments_visible(user=request.user), pk=pk
    )


@extend_schema(tags=["gestation: trainers"])
class TrainerAssignmentEndApi(APIView):
    @extend_schema(
        operation_id="trainer_assignments_end",
        description="HR or the racecourse's admins end an active assignment.",
        request=None,
        responses={
            200: TrainerAssignmentOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        assignment = _visible_assignment(request, pk)
        trainer_services.trainer_assignment_end(
            assignment=assignment, actor=request.user
        )
        return _assignment_response(pk)


@extend_schema(tags=["gestation: trainers"])
class TrainerAssignmentDeclineApi(APIView):
    @extend_schema(
        operation_id="trainer_assignments_decline",
        description="HR or the racecourse's admins turn down a team's request.",
        request=TrainerDeclineInputSerializer,
        responses={
            200: TrainerAssignmentOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        assignment = _visible_assignment(request, pk)
        data = _parse(TrainerDeclineInputSerializer, request)
        trainer_services.trainer_request_decline(
            assignment=assignment, actor=request.user, reason=data.get("reason", "")
        )
        return _assignment_response(pk)


@extend_schema(tags=["gestation: trainers"])
class TrainerSessionsApi(APIView):
    """An assignment's session log (private to the team, its trainers and HR;
    a past trainer sees their own), and the active trainer's new entry."""

    @extend_schema(
        operation_id="trainer_assignments_sessions_list",
        responses={
            200: TrainerSessionOutputSerializer(many=True),
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        assignment = _visible_assignment(request, pk)
        idea = gestation_idea(request, assignment.idea_id, "ideas.see_sessions")
        rows = selectors.trainer_sessions_visible(idea=idea, user=request.user).filter(
            assignment=assignment
        )
        return Response(TrainerSessionOutputSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="trainer_assignments_sessions_create",
        request=TrainerSessionInputSerializer,
        responses={
            201: TrainerSessionOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        assignment = _visible_assignment(request, pk)
        data = _parse(TrainerSessionInputSerializer, request)
        session = trainer_services.trainer_session_log(
            assignment=assignment, actor=request.user, **data
        )
        return Response(
            TrainerSessionOutputSerializer(session).data,
            status=status.HTTP_201_CREATED,
        )


# --- The final proposal, extensions, elimination -------------------------------------------


@extend_schema(tags=["gestation: proposal"])
class IdeaProposalApi(APIView):
    """The submitted final proposal (GET, 404 before); the captain submits it
    (POST), which moves the idea to offline evaluation. Attach files first."""

    @extend_schema(
        operation_id="ideas_proposal_retrieve",
        responses={
            200: FinalProposalOutputSerializer,
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        idea = gestation_idea(request, pk, "ideas.see_progress")
        data = _proposal_data(idea)
        if data is None:
            raise Http404
        return Response(data)

    @extend_schema(
        operation_id="ideas_proposal_submit",
        request=FinalProposalInputSerializer,
        responses={
            201: FinalProposalOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        idea = gestation_idea(request, pk)
        data = _parse(FinalProposalInputSerializer, request)
        services.final_proposal_submit(idea=idea, actor=request.user, **data)
        return Response(_proposal_data(idea), status=status.HTTP_201_CREATED)


@extend_schema(tags=["gestation: proposal"])
class IdeaProposalFilesApi(APIView):
    """Files of the final proposal (GET); the captain attaches one (POST,
    multipart) while the proposal can still be submitted."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="ideas_proposal_files_list",
        responses={
            200: ProposalFileOutputSerializer(many=True),
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        idea = gestation_idea(request, pk, "ideas.see_progress")
        rows = selectors.proposal_attachments(idea=idea)
        return Response(ProposalFileOutputSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="ideas_proposal_files_create",
        request={"multipart/form-data": ProposalFileInputSerializer},
        responses={
            201: ProposalFileOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        idea = gestation_idea(request, pk)
        data = _parse(ProposalFileInputSerializer, request)
        attachment = attachment_add(
            idea=idea,
            actor=request.user,
            upload=data["file"],
            kind=Attachment.Kind.PROPOSAL,
        )
        return Response(
            ProposalFileOutputSerializer(attachment).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema(tags=["gestation: proposal"])
class IdeaExtensionsApi(APIView):
    """Extensions of the proposal deadline (GET); HR grants one (POST)."""

    @extend_schema(
        operation_id="ideas_extensions_list",
        responses={
            200: ProposalExtensionOutputSerializer(many=True),
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        idea = gestation_idea(request, pk, "ideas.view_gestation")
        rows = ProposalExtension.objects.filter(idea=idea).select_related("granted_by")
        return Response(ProposalExtensionOutputSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="ideas_extensions_create",
        request=ProposalExtensionInputSerializer,
        responses={
            201: ProposalExtensionOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        idea = gestation_idea(request, pk)
        data = _parse(ProposalExtensionInputSerializer, request)
        extension = services.proposal_extension_grant(
            idea=idea, actor=request.user, **data
        )
        return Response(
            ProposalExtensionOutputSerializer(extension).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema(tags=["gestation: proposal"])
class IdeaGestationEliminateApi(APIView):
    @extend_schema(
        operation_id="ideas_gestation_eliminate",
        description=(
            "HR ends a project in gestation that has no final proposal, once the "
            "racecourse's gestation window has closed."
        ),
        request=GestationReasonInputSerializer,
        responses={204: None, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request, pk: int):
        idea = gestation_idea(request, pk)
        data = _parse(GestationReasonInputSerializer, request)
        services.gestation_eliminate(idea=idea, actor=request.user, **data)
        return Response(status=status.HTTP_204_NO_CONTENT)
