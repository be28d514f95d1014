"""Offline evaluation over the API: pool, settings, assignments, conflicts, preferences.

The same services and rules as the browser pages. Racecourse endpoints are for
HR and the racecourse's admins (403 for others, 404 for an unknown
racecourse); ``/evaluation/assignments/mine/``, ``/evaluation/preferences/``
and ``/evaluation/conflicts/`` are the evaluator's own. Refusals are 400
(``code`` ``invalid``, with ``errors`` per field) or 403, never a 500.
"""

from dataclasses import replace

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from contests.models import Racecourse
from horserace.accounts.apis import UserBriefSerializer
from horserace.accounts.models import User
from horserace.core.api import error_responses
from horserace.core.permissions import can
from ideas.models import Idea
from ideas.selectors import idea_get_visible

from ..evaluation import assignments as evaluation
from ..evaluation import conflicts as conflict_services
from ..evaluation.conflicts import DECLARED_KINDS
from ..models import Assignment, Conflict, EvaluatorPreference

TAGS = ["evaluation"]

# --- Serializers -------------------------------------------------------------------


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
        min_value=1, max_value=evaluation.MAX_K, required=False, help_text="k"
    )
    max_projects_per_evaluator = serializers.IntegerField(
        min_value=1, max_value=evaluation.MAX_L, required=False, help_text="L"
    )
    conflict_same_department = serializers.BooleanField(required=False)
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


# --- Helpers -------------------------------------------------------------------


def _managed_racecourse(request, pk: int) -> Racecourse:
    racecourse = get_object_or_404(Racecourse, pk=pk)
    if not can(request.user, "voting.manage_evaluation", racecourse):
        raise PermissionDenied(
            _("Only HR and the racecourse's admins manage its evaluation.")
        )
    return racecourse


def _idea(request, pk: int) -> Idea:
    return idea_get_visible(user=request.user, pk=pk)


def _conflict_visible(user, conflict: Conflict) -> bool:
    idea = conflict.idea
    return (
        user.pk in (conflict.evaluator_id, conflict.declared_by_id)
        or can(user, "voting.manage_evaluation", idea.racecourse)
        or (
            conflict.source == Conflict.Source.TEAM
            and can(user, "voting.view_idea_conflicts", idea)
        )
    )


def _settings_data(racecourse: Racecourse) -> dict:
    return {name: getattr(racecourse, name) for name in SettingsSerializer().fields}


def _pool_data(racecourse: Racecourse) -> list:
    pool = evaluation.evaluator_pool(racecourse=racecourse)
    return PoolMemberOutputSerializer(pool, many=True).data


# --- Pool and settings ---------------------------------------------------------


@extend_schema(tags=TAGS)
class PoolApi(APIView):
    """The racecourse's evaluator pool (GET), or add an evaluator to it (POST)."""

    @extend_schema(
        operation_id="evaluation_pool_list",
        responses={
            200: PoolMemberOutputSerializer(many=True),
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        racecourse = _managed_racecourse(request, pk)
        return Response(_pool_data(racecourse))

    @extend_schema(
        operation_id="evaluation_pool_add",
        request=PoolAddInputSerializer,
        responses={
            201: PoolMemberOutputSerializer(many=True),
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        """Add a user with the evaluator role; answers with the whole pool."""
        racecourse = _managed_racecourse(request, pk)
        serializer = PoolAddInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        evaluation.evaluator_pool_add(
            actor=request.user,
            racecourse=racecourse,
            user=serializer.validated_data["user"],
        )
        return Response(_pool_data(racecourse), status=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class PoolMemberApi(APIView):
    @extend_schema(
        operation_id="evaluation_pool_remove",
        responses={
            204: OpenApiResponse(description="Removed, with unscored assignments."),
            **error_responses(400, 401, 403, 404),
        },
    )
    def delete(self, request, pk: int, user_id: int):
        """Remove an evaluator and their unscored assignments.

        400 once they have submitted a scorecard on the racecourse.
        """
        racecourse = _managed_racecourse(request, pk)
        user = get_object_or_404(racecourse.evaluators, pk=user_id)
        evaluation.evaluator_pool_remove(
            actor=request.user, racecourse=racecourse, user=user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=TAGS)
class SettingsApi(APIView):
    """k, L, the same-department conflict rule and blind evaluation."""

    @extend_schema(
        operation_id="evaluation_settings_retrieve",
        responses={200: SettingsSerializer, **error_responses(401, 403, 404)},
    )
    def get(self, request, pk: int):
        racecourse = _managed_racecourse(request, pk)
        return Response(_settings_data(racecourse))

    @extend_schema(
        operation_id="evaluation_settings_update",
        request=SettingsSerializer,
        responses={200: SettingsSerializer, **error_responses(400, 401, 403, 404)},
    )
    def patch(self, request, pk: int):
        """Change any of the settings; those left out stay as they are."""
        racecourse = _managed_racecourse(request, pk)
        serializer = SettingsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        racecourse = evaluation.evaluation_settings_update(
            actor=request.user, racecourse=racecourse, **serializer.validated_data
        )
        return Response(_settings_data(racecourse))


@extend_schema(tags=TAGS)
class LoadsApi(APIView):
    @extend_schema(
        operation_id="evaluation_loads_list",
        responses={
            200: LoadOutputSerializer(many=True),
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        """Each pool evaluator's load (projects in evaluation) against L."""
        racecourse = _managed_racecourse(request, pk)
        loads = evaluation.evaluator_loads(racecourse=racecourse)
        return Response(LoadOutputSerializer(loads, many=True).data)


# --- Assignments ---------------------------------------------------------------


@extend_schema(tags=TAGS)
class AssignAutoApi(APIView):
    @extend_schema(
        operation_id="evaluation_assign_auto",
        request=None,
        responses={
            200: AutoReportOutputSerializer,
            **error_responses(401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        """Top every project up to k evaluators; a second run adds nothing."""
        racecourse = _managed_racecourse(request, pk)
        result = evaluation.assignments_auto(actor=request.user, racecourse=racecourse)
        return Response(AutoReportOutputSerializer(result.summary()).data)


@extend_schema(tags=TAGS)
class AssignmentListApi(GenericAPIView):
    """The racecourse's assignments (GET), or assign by hand (POST)."""

    filter_backends = []

    @extend_schema(
        operation_id="evaluation_assignments_list",
        responses={
            200: AssignmentOutputSerializer(many=True),
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        racecourse = _managed_racecourse(request, pk)
        page = self.paginate_queryset(evaluation.assignment_list(racecourse=racecourse))
        return self.get_paginated_response(
            AssignmentOutputSerializer(page, many=True).data
        )

    @extend_schema(
        operation_id="evaluation_assignments_create",
        request=AssignmentAddInputSerializer,
        responses={
            201: AssignmentOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        """Assign an evaluator of the pool to a project in evaluation.

        400: not in the pool, conflicted, already assigned, the project is not
        in evaluation, or the evaluator is at L (send ``override_load``).
        """
        racecourse = _managed_racecourse(request, pk)
        serializer = AssignmentAddInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        idea = get_object_or_404(
            Idea.objects.select_related("racecourse"),
            pk=data["idea"],
            racecourse=racecourse,
        )
        assignment = evaluation.assignment_add(
            actor=request.user,
            idea=idea,
            evaluator=data["evaluator"],
            override_load=data["override_load"],
        )
        return Response(
            AssignmentOutputSerializer(assignment).data, status=status.HTTP_201_CREATED
        )


@extend_schema(tags=TAGS)
class AssignmentDetailApi(APIView):
    @extend_schema(
        operation_id="evaluation_assignments_destroy",
        parameters=[
            OpenApiParameter(
                "force",
                OpenApiTypes.BOOL,
                description="HR only: remove even with a submitted scorecard.",
            )
        ],
        responses={
            204: OpenApiResponse(description="Removed."),
            **error_responses(400, 401, 403, 404),
        },
    )
    def delete(self, request, pk: int):
        """Take an evaluator off a project.

        A submitted scorecard makes it 400, unless HR sends ``force=true``
        (403 for anyone else).
        """
        assignment = get_object_or_404(
            Assignment.objects.select_related("idea__racecourse"), pk=pk
        )
        _managed_racecourse(request, assignment.idea.racecourse_id)
        force = request.query_params.get("force", "").lower() in ("1", "true", "yes")
        evaluation.assignment_remove(
            actor=request.user, assignment=assignment, force=force
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=TAGS)
class MyAssignmentListApi(GenericAPIView):
    filter_backends = []

    @extend_schema(
        operation_id="evaluation_my_assignments_list",
        responses={
            200: MyAssignmentOutputSerializer(many=True),
            **error_responses(401),
        },
    )
    def get(self, request):
        """Your assignments on every racecourse, projects in evaluation first."""
        page = self.paginate_queryset(evaluation.my_assignments(user=request.user))
        return self.get_paginated_response(
            MyAssignmentOutputSerializer(page, many=True).data
        )


# --- Conflicts -----------------------------------------------------------------


def _conflict_rows(infos) -> list:
    return ConflictOutputSerializer(infos, many=True).data


@extend_schema(tags=TAGS)
class RacecourseConflictListApi(APIView):
    @extend_schema(
        operation_id="evaluation_racecourse_conflicts_list",
        responses={
            200: ConflictOutputSerializer(many=True),
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        """Every conflict of the pool with projects in gestation or evaluation."""
        racecourse = _managed_racecourse(request, pk)
        infos = conflict_services.racecourse_conflicts(racecourse=racecourse)
        return Response(_conflict_rows(infos))


@extend_schema(tags=TAGS)
class ConflictListApi(APIView):
    """Your conflicts as an evaluator (GET), or declare one (POST)."""

    @extend_schema(
        operation_id="evaluation_conflicts_list",
        responses={
            200: ConflictOutputSerializer(many=True),
            **error_responses(401),
        },
    )
    def get(self, request):
        """Your automatic and declared conflicts with projects of your pools."""
        infos = [info for _idea, info in evaluation.my_conflicts(user=request.user)]
        # The team's and the admins' notes are for the panel, not for you.
        infos = [
            info if info.source == Conflict.Source.EVALUATOR else replace(info, note="")
            for info in infos
        ]
        return Response(_conflict_rows(infos))

    @extend_schema(
        operation_id="evaluation_conflicts_create",
        request=ConflictDeclareInputSerializer,
        responses={
            201: ConflictOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request):
        """Declare a conflict: your own, the team's (captain), or any (HR, admin).

        The project must be in gestation or evaluation and the evaluator in
        its racecourse's pool. An existing assignment is removed.
        """
        serializer = ConflictDeclareInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        idea = _idea(request, data["idea"])
        conflict = conflict_services.conflict_declare(
            actor=request.user,
            idea=idea,
            evaluator=data.get("evaluator", request.user),
            kind=data["kind"],
            note=data.get("note", ""),
        )
        info = conflict_services.ConflictInfo(
            conflict.evaluator_id,
            conflict.kind,
            conflict.source,
            conflict.note,
            conflict.idea_id,
            conflict,
        )
        return Response(_conflict_rows([info])[0], status=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class ConflictDetailApi(APIView):
    @extend_schema(
        operation_id="evaluation_conflicts_destroy",
        responses={
            204: OpenApiResponse(description="Withdrawn."),
            **error_responses(400, 401, 403, 404),
        },
    )
    def delete(self, request, pk: int):
        """Withdraw a declared conflict (declarer, captain, HR or admin)."""
        conflict = get_object_or_404(
            Conflict.objects.select_related("idea__racecourse"), pk=pk
        )
        if not _conflict_visible(request.user, conflict):
            raise Http404
        conflict_services.conflict_withdraw(actor=request.user, conflict=conflict)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=TAGS)
class IdeaConflictListApi(APIView):
    @extend_schema(
        operation_id="evaluation_idea_conflicts_list",
        responses={
            200: ConflictOutputSerializer(many=True),
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        """The team's declared conflicts (all of them for HR and admins)."""
        idea = _idea(request, pk)
        if not can(request.user, "voting.view_idea_conflicts", idea):
            raise PermissionDenied(_("Only the team sees its declared conflicts."))
        rows = conflict_services.conflict_list(ideas=[idea])
        if not can(request.user, "voting.manage_evaluation", idea.racecourse):
            rows = rows.filter(source=Conflict.Source.TEAM)
        infos = [
            conflict_services.ConflictInfo(
                c.evaluator_id, c.kind, c.source, c.note, c.idea_id, c
            )
            for c in rows
        ]
        return Response(_conflict_rows(infos))


# --- Preferences ---------------------------------------------------------------


@extend_schema(tags=TAGS)
class PreferenceListApi(APIView):
    @extend_schema(
        operation_id="evaluation_preferences_list",
        responses={
            200: PreferenceOutputSerializer(many=True),
            **error_responses(401),
        },
    )
    def get(self, request):
        """Projects of your pools in evaluation you may state a preference on."""
        rows = [
            {
                "idea": idea.pk,
                "title": idea.title,
                "racecourse": idea.racecourse_id,
                "level": level,
            }
            for idea, level in evaluation.preference_projects(user=request.user)
        ]
        return Response(PreferenceOutputSerializer(rows, many=True).data)


@extend_schema(tags=TAGS)
class PreferenceApi(APIView):
    @extend_schema(
        operation_id="evaluation_preference_set",
        request=PreferenceInputSerializer,
        responses={
            200: PreferenceOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def put(self, request, pk: int):
        """Would like to (1), no preference (0) or rather not (-1)."""
        idea = _idea(request, pk)
        serializer = PreferenceInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        preference = evaluation.preference_set(
            evaluator=request.user, idea=idea, level=serializer.validated_data["level"]
        )
        row = {
            "idea": idea.pk,
            "title": idea.title,
            "racecourse": idea.racecourse_id,
            "level": preference.level,
        }
        return Response(PreferenceOutputSerializer(row).data)
