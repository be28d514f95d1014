"""Conflicts of interest: listed per racecourse, per idea and per evaluator."""

from dataclasses import replace

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from horserace.common.api import error_responses
from horserace.common.permissions import can
from voting.evaluation.assignments.selectors import my_conflicts
from voting.evaluation.conflicts.automatic import (
    ConflictInfo,
    conflict_list,
    racecourse_conflicts,
)
from voting.evaluation.conflicts.declared import conflict_declare, conflict_withdraw

from ...models import Conflict
from .common import TAGS, assignment_idea, managed_racecourse
from .serializers import ConflictDeclareInputSerializer, ConflictOutputSerializer


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
        racecourse = managed_racecourse(request, pk)
        infos = racecourse_conflicts(racecourse=racecourse)
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
        infos = [info for assignment_idea, info in my_conflicts(user=request.user)]
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
        idea = assignment_idea(request, data["idea"])
        conflict = conflict_declare(
            actor=request.user,
            idea=idea,
            evaluator=data.get("evaluator", request.user),
            kind=data["kind"],
            note=data.get("note", ""),
        )
        info = ConflictInfo(
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
        conflict_withdraw(actor=request.user, conflict=conflict)
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
        idea = assignment_idea(request, pk)
        if not can(request.user, "voting.view_idea_conflicts", idea):
            raise PermissionDenied(_("Only the team sees its declared conflicts."))
        rows = conflict_list(ideas=[idea])
        if not can(request.user, "voting.manage_evaluation", idea.racecourse):
            rows = rows.filter(source=Conflict.Source.TEAM)
        infos = [
            ConflictInfo(c.evaluator_id, c.kind, c.source, c.note, c.idea_id, c)
            for c in rows
        ]
        return Response(_conflict_rows(infos))
