"""The confirmation page of a screening window decided by a person."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from contests import selectors
from contests.closing import promotes, window_apply
from contests.models import StageWindow, WindowStage
from horserace.common.permissions import can
from voting.screening.closers import window_confirm
from voting.screening.selectors.closing import window_candidates


@login_required
def window_confirm_page(request, pk: int):
    """HR or a racecourse admin decides a closed "decided by a person" window.

    GET shows the proposal: every idea in screening with its tally, ticked as
    the rule proposes. POST ``action=propose`` computes the proposal (if the
    minute task has not yet); POST ``action=confirm`` applies the ticked list.
    """
    window = get_object_or_404(selectors.stage_window_list(), pk=pk)
    if not can(request.user, "contests.manage_racecourse", window.racecourse):
        raise PermissionDenied
    if (
        window.stage != WindowStage.SCREENING
        or window.rule != StageWindow.Rule.MANUAL
        or promotes(window.racecourse)
    ):
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action")
        passing = [
            int(v)
            for v in request.POST.getlist("passing")
            if v.isascii() and v.isdigit()
        ]
        try:
            if action == "propose":
                window_apply(window=window, actor=request.user)
            elif action == "confirm":
                outcome = window_confirm(
                    window=window, actor=request.user, passing=passing
                )
                messages.success(
                    request,
                    _("Decision applied: %(passed)s to gestation, %(out)s eliminated.")
                    % {
                        "passed": len(outcome["passed"]),
                        "out": len(outcome["eliminated"]),
                    },
                )
                return redirect(window.racecourse)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect("contests:window_confirm", pk=window.pk)

    window = selectors.stage_window_get(pk=window.pk)
    now = timezone.now()
    context = {
        "window": window,
        "racecourse": window.racecourse,
        "proposal": getattr(window, "proposal", None),
        "rows": window_candidates(window=window, user=request.user),
        "closed": window.closes_at <= now,
        "now": now,
    }
    return render(request, "contests/window_confirm.html", context)
