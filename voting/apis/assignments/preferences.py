"""The evaluator's preferences on the projects of their pools."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from horserace.common.api import error_responses
from voting.evaluation.assignments.pool import preference_set
from voting.evaluation.assignments.selectors import preference_projects

from .common import TAGS, assignment_idea
from .serializers import PreferenceInputSerializer, PreferenceOutputSerializer


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
            for idea, level in preference_projects(user=request.user)
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
        idea = assignment_idea(request, pk)
        serializer = PreferenceInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        preference = preference_set(
            evaluator=request.user, idea=idea, level=serializer.validated_data["level"]
        )
        row = {
            "idea": idea.pk,
            "title": idea.title,
            "racecourse": idea.racecourse_id,
            "level": preference.level,
        }
        return Response(PreferenceOutputSerializer(row).data)
