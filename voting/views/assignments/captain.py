"""The captain's page: the team declares conflicts with evaluators of the pool."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from horserace.common.pages import apply_service_errors as apply_errors
from horserace.common.permissions import can
from ideas.selectors import idea_get_visible
from voting.evaluation.conflicts.automatic import CONFLICT_STAGES, conflict_list
from voting.evaluation.conflicts.declared import conflict_declare

from ...models import Conflict
from .forms import TeamConflictForm


def _idea_conflicts_context(request, idea, form=None) -> dict:
    user = request.user
    manager = can(user, "voting.record_conflict", idea) or can(
        user, "voting.manage_evaluation", idea.racecourse
    )
    rows = conflict_list(ideas=[idea])
    if not manager:
        rows = rows.filter(source=Conflict.Source.TEAM)
    rows = list(rows)
    may_declare = can(user, "voting.declare_team_conflict", idea) or can(
        user, "voting.record_conflict", idea
    )
    named = Conflict.objects.filter(idea=idea).values("evaluator_id")
    evaluators = (
        idea.racecourse.evaluators.exclude(pk__in=named)
        .select_related("department")
        .order_by("display_name")
    )
    return {
        "idea": idea,
        "conflicts": rows,
        "may_declare": may_declare,
        "form": form or TeamConflictForm(evaluators=evaluators),
        "has_evaluators": evaluators.exists(),
        "in_stage": idea.stage in CONFLICT_STAGES,
    }


@login_required
def idea_conflicts(request, pk: int):
    """The team's conflicts with evaluators; the captain declares new ones."""
    idea = idea_get_visible(user=request.user, pk=pk)
    if not can(request.user, "voting.view_idea_conflicts", idea):
        raise PermissionDenied(_("Only the team sees its declared conflicts."))
    form = None
    if request.method == "POST":
        evaluators = idea.racecourse.evaluators.all()
        form = TeamConflictForm(request.POST, evaluators=evaluators)
        if form.is_valid():
            try:
                conflict_declare(
                    actor=request.user,
                    idea=idea,
                    evaluator=form.cleaned_data["evaluator"],
                    kind=form.cleaned_data["kind"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The conflict with %(name)s is recorded.")
                    % {"name": form.cleaned_data["evaluator"]},
                )
                return redirect("evaluation:idea_conflicts", pk=idea.pk)
    return render(
        request,
        "voting/evaluation/conflicts_idea.html",
        _idea_conflicts_context(request, idea, form),
    )
