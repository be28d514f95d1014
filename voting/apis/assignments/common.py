"""What the endpoints share: their tag, the managed racecourse, the visible idea."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from contests.models import Racecourse
from horserace.core.permissions import can
from ideas.models import Idea
from ideas.selectors import idea_get_visible

TAGS = ["evaluation"]


def _managed_racecourse(request, pk: int) -> Racecourse:
    racecourse = get_object_or_404(Racecourse, pk=pk)
    if not can(request.user, "voting.manage_evaluation", racecourse):
        raise PermissionDenied(
            _("Only HR and the racecourse's admins manage its evaluation.")
        )
    return racecourse


def _idea(request, pk: int) -> Idea:
    return idea_get_visible(user=request.user, pk=pk)
