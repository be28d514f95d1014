"""What the pages share: service errors on forms, one-button actions, redirects."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from contests.models import Racecourse
from horserace.core.permissions import can

from ..common import racecourse_or_404


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _attempt(request, action, success: str) -> bool:
    """Run a one-button service call; a refusal becomes an error message."""
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


def _safe_next(request, default):
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(default)


def _back_to_page(request, racecourse):
    """Back to the assignment page, on the matrix page the button was on."""
    return _safe_next(request, reverse("evaluation:assignments", args=[racecourse.pk]))


def _manageable(request, pk: int) -> Racecourse:
    racecourse = racecourse_or_404(pk)
    if not can(request.user, "voting.manage_evaluation", racecourse):
        raise PermissionDenied(
            _("Only HR and the racecourse's admins manage its evaluation.")
        )
    return racecourse
