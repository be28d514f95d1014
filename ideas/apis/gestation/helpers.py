"""Shared by gestation's API views: find the idea, parse the input."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from horserace.core.permissions import can

from ...models import Idea, StageTransition, TeamMembership


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
