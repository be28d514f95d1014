"""What the pages share: service errors on forms, one-button actions, redirects."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from contests.models import Racecourse
from horserace.common.permissions import can
from voting.screening.views.common import racecourse_or_404


def safe_next(request, default):
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(default)


def back_to_page(request, racecourse):
    """Back to the assignment page, on the matrix page the button was on."""
    return safe_next(request, reverse("evaluation:assignments", args=[racecourse.pk]))


def manageable(request, pk: int) -> Racecourse:
    racecourse = racecourse_or_404(pk)
    if not can(request.user, "voting.manage_evaluation", racecourse):
        raise PermissionDenied(
            _("Only HR and the racecourse's admins manage its evaluation.")
        )
    return racecourse
