"""Shared by gestation's API views: find the idea, parse the input."""

from ideas.gestation.selectors.pages import gestation_idea_get
from ideas.models import Idea


def gestation_idea(request, pk: int, perm: str | None = None) -> Idea:
    """The idea for a gestation call (``gestation_idea_get``)."""
    return gestation_idea_get(user=request.user, pk=pk, perm=perm)


def parse(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
