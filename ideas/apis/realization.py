"""Realization over the API: outcomes, time allocations, the investment plan,
milestone reviews and closing — the same services and rules as the pages.

Idea-scoped routes live under ``ideas/{id}/realization/``; a tranche, outcome
or allocation is addressed under ``realization/``. Something the user may not
see is a 404; something they see but may not do is a 403 from the service.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from horserace.accounts.apis import UserBriefSerializer
from horserace.accounts.models import Department
from horserace.core.api import error_responses
from horserace.core.permissions import can

from ..models import InvestmentPlan, Outcome, Stage, TimeAllocation, Tranche
from ..selectors import idea_get_visible
from ..selectors import realization as selectors
from ..services import realization as services

User = get_user_model()

TAGS = ["realization"]


# --- Shapes -----------------------------------------------------------------------


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
        required=False, allow_blank=True, max_length=200
    )
    launched_on = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    recorded_by = UserBriefSerializer(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class AllocationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    idea = serializers.IntegerField(source="outcome.idea_id")
    idea_title = serializers.CharField(source="outcome.idea.title")
    member = UserBriefSerializer()
    share = serializers.IntegerField(help_text="Percent of working time; 100 = full.")
    manager = UserBriefSerializer(help_text="Who approves (the member's manager).")
    status = serializers.SerializerMethodField()
    approved_at = serializers.DateTimeField(allow_null=True)
    declined_at = serializers.DateTimeField(allow_null=True)
    manager_note = serializers.CharField()
    created_at = serializers.DateTimeField()

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
    review_submitted_by = UserBriefSerializer(allow_null=True)
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
    milestone = serializers.CharField(max_length=300)
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
    id = serializers.IntegerField()
    title = serializers.CharField()
    racecourse = serializers.IntegerField(source="racecourse_id")
    plan = PlanOutputSerializer(allow_null=True)


# --- Helpers ----------------------------------------------------------------------


def _realization_response(idea, code=status.HTTP_200_OK) -> Response:
    detail = selectors.realization_detail(idea=idea)
    return Response(RealizationOutputSerializer(detail).data, status=code)


def _plan_response(idea, code=status.HTTP_200_OK) -> Response:
    plan = selectors.investment_plan_get(idea=idea)
    return Response(PlanOutputSerializer(plan).data, status=code)


def _allocation_response(request, allocation, code=status.HTTP_200_OK) -> Response:
    allocation = selectors.allocation_get_visible(user=request.user, pk=allocation.pk)
    return Response(AllocationOutputSerializer(allocation).data, status=code)


def _parse(serializer_class, request, **kwargs) -> dict:
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- A project --------------------------------------------------------------------


@extend_schema(tags=TAGS)
class RealizationDetailApi(APIView):
    """A project's outcomes, time allocations and investment plan with its ledger.

    For the team, HR and the racecourse's admins. 404 when the idea never
    reached realization.
    """

    @extend_schema(
        operation_id="realization_retrieve",
        responses={
            200: RealizationOutputSerializer,
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        idea = selectors.realization_get(user=request.user, pk=pk)
        return _realization_response(idea)


@extend_schema(tags=TAGS)
class RealizationCloseApi(APIView):
    """HR closes the project with a reason: the plan is closed, unreleased
    tranches are cancelled and the idea leaves the race (eliminated)."""

    @extend_schema(
        operation_id="realization_close",
        request=ReasonInputSerializer,
        responses={
            200: RealizationOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        idea = idea_get_visible(user=request.user, pk=pk)
        data = _parse(ReasonInputSerializer, request)
        services.realization_close(idea=idea, actor=request.user, **data)
        return _realization_response(idea_get_visible(user=request.user, pk=pk))


@extend_schema(tags=TAGS)
class OutcomeCreateApi(APIView):
    """HR or the racecourse's admin records an outcome."""

    @extend_schema(
        operation_id="realization_outcomes_create",
        request=OutcomeSerializer,
        responses={201: OutcomeSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request, pk: int):
        idea = idea_get_visible(user=request.user, pk=pk)
        data = _parse(OutcomeSerializer, request)
        outcome = services.outcome_record(idea=idea, actor=request.user, **data)
        return Response(OutcomeSerializer(outcome).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class OutcomeDeleteApi(APIView):
    """Remove an outcome recorded by mistake (not one with time allocations)."""

    @extend_schema(
        operation_id="realization_outcomes_destroy",
        responses={204: None, **error_responses(400, 401, 403, 404)},
    )
    def delete(self, request, pk: int):
        outcome = selectors.outcome_get_visible(user=request.user, pk=pk)
        services.outcome_remove(outcome=outcome, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Time allocations -------------------------------------------------------------


@extend_schema(tags=TAGS)
class AllocationProposeApi(APIView):
    """Propose a share of a team member's time; their manager is asked.

    HR, the racecourse's admin or the captain. A member with no manager on
    record is a 400.
    """

    @extend_schema(
        operation_id="realization_allocations_create",
        request=AllocationProposeInputSerializer,
        responses={
            201: AllocationOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        idea = idea_get_visible(user=request.user, pk=pk)
        data = _parse(AllocationProposeInputSerializer, request)
        allocation = services.time_allocation_propose(
            idea=idea, actor=request.user, **data
        )
        return _allocation_response(request, allocation, status.HTTP_201_CREATED)


class AllocationFilter(filters.FilterSet):
    waiting = filters.BooleanFilter(
        method="filter_waiting",
        label="Only those waiting for your decision as manager.",
    )

    class Meta:
        model = TimeAllocation
        fields = ["waiting"]

    def filter_waiting(self, queryset, name, value):
        if value:
            return queryset.filter(
                manager=self.request.user,
                approved_at__isnull=True,
                declined_at__isnull=True,
            )
        return queryset


@extend_schema(tags=TAGS)
class AllocationListApi(ListAPIView):
    """Time allocations you decide (as the member's manager) or that are yours."""

    serializer_class = AllocationOutputSerializer
    filterset_class = AllocationFilter
    filter_backends = [filters.DjangoFilterBackend]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return TimeAllocation.objects.none()
        return selectors.allocation_list(user=self.request.user)

    @extend_schema(
        operation_id="realization_allocations_list",
        responses={
            200: AllocationOutputSerializer(many=True),
            **error_responses(400, 401),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class _AllocationDecisionApi(APIView):
    service = None

    def post(self, request, pk: int):
        allocation = selectors.allocation_get_visible(user=request.user, pk=pk)
        data = _parse(NoteInputSerializer, request)
        allocation = self.service(allocation=allocation, actor=request.user, **data)
        return _allocation_response(request, allocation)


def _decision_schema(operation_id: str):
    return extend_schema(
        tags=TAGS,
        operation_id=operation_id,
        request=NoteInputSerializer,
        responses={
            200: AllocationOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )


class AllocationApproveApi(_AllocationDecisionApi):
    """The member's manager approves; `note` is optional."""

    service = staticmethod(services.time_allocation_approve)

    @_decision_schema("realization_allocations_approve")
    def post(self, request, pk: int):
        return super().post(request, pk)


class AllocationDeclineApi(_AllocationDecisionApi):
    """The member's manager declines; `note` (why) is required."""

    service = staticmethod(services.time_allocation_decline)

    @_decision_schema("realization_allocations_decline")
    def post(self, request, pk: int):
        return super().post(request, pk)


# --- The investment plan ----------------------------------------------------------


@extend_schema(tags=TAGS)
class PlanCreateApi(APIView):
    """HR or the racecourse's admin plans the investment in tranches."""

    @extend_schema(
        operation_id="realization_plan_create",
        request=PlanCreateInputSerializer,
        responses={201: PlanOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request, pk: int):
        idea = idea_get_visible(user=request.user, pk=pk)
        data = _parse(PlanCreateInputSerializer, request)
        services.investment_plan_create(idea=idea, actor=request.user, **data)
        return _plan_response(idea, status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class TrancheCreateApi(APIView):
    """Add a tranche at the end of the plan; answers with the whole plan."""

    @extend_schema(
        operation_id="realization_tranches_create",
        request=TrancheInputSerializer,
        responses={201: PlanOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request, pk: int):
        idea = idea_get_visible(user=request.user, pk=pk)
        plan = get_object_or_404(InvestmentPlan, idea=idea)
        data = _parse(TrancheInputSerializer, request)
        services.tranche_add(plan=plan, actor=request.user, **data)
        return _plan_response(idea, status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class TrancheUpdateApi(APIView):
    """Change a planned tranche (amount, milestone, due date)."""

    @extend_schema(
        operation_id="realization_tranches_partial_update",
        request=TrancheInputSerializer(partial=True),
        responses={200: PlanOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def patch(self, request, pk: int):
        tranche = selectors.tranche_get_visible(user=request.user, pk=pk)
        data = _parse(TrancheInputSerializer, request, partial=True)
        fields = {
            "amount": tranche.amount,
            "milestone": tranche.milestone,
            "due_on": tranche.due_on,
        }
        services.tranche_update(tranche=tranche, actor=request.user, **(fields | data))
        return _plan_response(tranche.plan.idea)


class _TrancheActionApi(APIView):
    service = None
    input_serializer = None

    def post(self, request, pk: int):
        tranche = selectors.tranche_get_visible(user=request.user, pk=pk)
        data = _parse(self.input_serializer, request) if self.input_serializer else {}
        self.service(tranche=tranche, actor=request.user, **data)
        return _plan_response(tranche.plan.idea)


def _tranche_schema(operation_id: str, request):
    return extend_schema(
        tags=TAGS,
        operation_id=operation_id,
        request=request,
        responses={200: PlanOutputSerializer, **error_responses(400, 401, 403, 404)},
    )


class TrancheCancelApi(_TrancheActionApi):
    """Cancel a planned tranche (HR or the racecourse's admin)."""

    service = staticmethod(services.tranche_cancel)

    @_tranche_schema("realization_tranches_cancel", None)
    def post(self, request, pk: int):
        return super().post(request, pk)


class TrancheReviewApi(_TrancheActionApi):
    """The team submits the milestone review of the next tranche."""

    service = staticmethod(services.tranche_review_submit)
    input_serializer = ReviewInputSerializer

    @_tranche_schema("realization_tranches_review", ReviewInputSerializer)
    def post(self, request, pk: int):
        return super().post(request, pk)


class TrancheApproveApi(_TrancheActionApi):
    """HR approves the review and releases the tranche; the last one completes
    the plan and the idea is realized."""

    service = staticmethod(services.tranche_approve)
    input_serializer = NoteInputSerializer

    @_tranche_schema("realization_tranches_approve", NoteInputSerializer)
    def post(self, request, pk: int):
        return super().post(request, pk)


class TrancheSendBackApi(_TrancheActionApi):
    """HR sends the review back with a `note` (required); the tranche is
    planned again."""

    service = staticmethod(services.tranche_send_back)
    input_serializer = NoteInputSerializer

    @_tranche_schema("realization_tranches_send_back", NoteInputSerializer)
    def post(self, request, pk: int):
        return super().post(request, pk)


# --- Lists for HR -----------------------------------------------------------------


@extend_schema(tags=TAGS)
class ReviewQueueApi(ListAPIView):
    """Milestone reviews waiting for HR, oldest first (those you may see)."""

    serializer_class = TrancheOutputSerializer
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Tranche.objects.none()
        return selectors.tranche_reviews_waiting(user=self.request.user)

    @extend_schema(
        operation_id="realization_reviews_list",
        responses={200: TrancheOutputSerializer(many=True), **error_responses(401)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


@extend_schema(tags=TAGS)
class ProjectListApi(APIView):
    """Projects in realization you manage (HR: all), each with its plan and
    ledger; 403 for anyone who manages none."""

    @extend_schema(
        operation_id="realization_projects_list",
        responses={
            200: ProjectOutputSerializer(many=True),
            **error_responses(401, 403),
        },
    )
    def get(self, request):
        if not can(request.user, "ideas.view_realization_desk"):
            raise PermissionDenied
        projects = selectors.realization_projects(user=request.user)
        return Response(ProjectOutputSerializer(projects, many=True).data)


urlpatterns = [
    path(
        "ideas/<int:pk>/realization/",
        RealizationDetailApi.as_view(),
        name="realization-detail",
    ),
    path(
        "ideas/<int:pk>/realization/close/",
        RealizationCloseApi.as_view(),
        name="realization-close",
    ),
    path(
        "ideas/<int:pk>/realization/outcomes/",
        OutcomeCreateApi.as_view(),
        name="realization-outcome-create",
    ),
    path(
        "ideas/<int:pk>/realization/allocations/",
        AllocationProposeApi.as_view(),
        name="realization-allocation-create",
    ),
    path(
        "ideas/<int:pk>/realization/plan/",
        PlanCreateApi.as_view(),
        name="realization-plan-create",
    ),
    path(
        "ideas/<int:pk>/realization/plan/tranches/",
        TrancheCreateApi.as_view(),
        name="realization-tranche-create",
    ),
    path(
        "realization/outcomes/<int:pk>/",
        OutcomeDeleteApi.as_view(),
        name="realization-outcome-delete",
    ),
    path(
        "realization/allocations/",
        AllocationListApi.as_view(),
        name="realization-allocation-list",
    ),
    path(
        "realization/allocations/<int:pk>/approve/",
        AllocationApproveApi.as_view(),
        name="realization-allocation-approve",
    ),
    path(
        "realization/allocations/<int:pk>/decline/",
        AllocationDeclineApi.as_view(),
        name="realization-allocation-decline",
    ),
    path(
        "realization/tranches/<int:pk>/",
        TrancheUpdateApi.as_view(),
        name="realization-tranche-update",
    ),
    path(
        "realization/tranches/<int:pk>/cancel/",
        TrancheCancelApi.as_view(),
        name="realization-tranche-cancel",
    ),
    path(
        "realization/tranches/<int:pk>/review/",
        TrancheReviewApi.as_view(),
        name="realization-tranche-review",
    ),
    path(
        "realization/tranches/<int:pk>/approve/",
        TrancheApproveApi.as_view(),
        name="realization-tranche-approve",
    ),
    path(
        "realization/tranches/<int:pk>/send-back/",
        TrancheSendBackApi.as_view(),
        name="realization-tranche-send-back",
    ),
    path(
        "realization/reviews/",
        ReviewQueueApi.as_view(),
        name="realization-review-list",
    ),
    path(
        "realization/projects/",
        ProjectListApi.as_view(),
        name="realization-project-list",
    ),
]
