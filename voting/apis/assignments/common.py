"""What the endpoints share: their tag, the managed racecourse, the visible idea."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from contests.models import Racecourse
from horserace.common.permissions import can
from ideas.models import Idea
from ideas.selectors import idea_get_visible

TAGS = ["evaluation"]


def managed_racecourse(request, pk: int) -> Racecourse:
    racecourse = get_object_or_404(Racecourse, pk=pk)
    if not can(request.user, "voting.manage_evaluation", racecourse):
        raise PermissionDenied(
            _("Only HR and the racecourse's admins manage its evaluation.")
        )
    return racecourse


def assignment_idea(request, pk: int) -> Idea:
    """An idea the user may see, or one of their pools' projects.

    An evaluator of a department racecourse's pool judges its projects even
    from outside the department; the service's rules decide what they may do.
    """
    in_pool = (
        Idea.objects.select_related("racecourse")
        .filter(pk=pk, racecourse__evaluators=request.user)
        .first()
    )
    return in_pool or idea_get_visible(user=request.user, pk=pk)
