"""The idea page's farm buttons: carry into a season, back to the farm."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contests.models import Racecourse
from horserace.common.converters import parse_id
from horserace.common.pages import attempt
from ideas.services.farm import idea_carry, idea_to_farm

from .. import selectors


@login_required
@require_POST
def carry(request, pk: int):
    idea = selectors.idea_get_visible(user=request.user, pk=pk)
    racecourse_id = parse_id(request.POST.get("racecourse"))
    racecourse = (
        Racecourse.objects.select_related("season").filter(pk=racecourse_id).first()
        if racecourse_id
        else None
    )
    if racecourse is None:
        messages.error(request, _("Choose the racecourse to carry the idea into."))
        return redirect(idea)
    attempt(
        request,
        lambda: idea_carry(idea=idea, racecourse=racecourse, actor=request.user),
        _("Carried into %(racecourse)s.") % {"racecourse": racecourse},
    )
    return redirect(idea)


@login_required
@require_POST
def to_farm(request, pk: int):
    idea = selectors.idea_get_visible(user=request.user, pk=pk)
    attempt(
        request,
        lambda: idea_to_farm(idea=idea, actor=request.user),
        _("Back on the Innovation Farm, to be improved."),
    )
    return redirect(idea)
