"""Shared by gestation's API views: find the idea, parse the input."""

from ...models import Idea
from ...selectors.gestation.pages import gestation_idea_get


def gestation_idea(request, pk: int, perm: str | None = None) -> Idea:
    """The idea for a gestation call (``gestation_idea_get``)."""
    return gestation_idea_get(user=request.user, pk=pk, perm=perm)


def parse(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
