"""The evaluator's page: assignments, loads, conflicts and preferences."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from horserace.common.pages import apply_service_errors as apply_errors
from horserace.common.pages import attempt
from ideas.models import Idea
from voting.evaluation.assignments.pool import (
    preference_set as evaluation_preference_set,
)
from voting.evaluation.assignments.selectors import (
    PROJECT_STAGE,
    declarable_projects,
    my_assignments,
    my_conflicts,
    my_pools,
    preference_projects,
)
from voting.evaluation.conflicts.declared import (
    conflict_declare as conflict_services_conflict_declare,
)
from voting.evaluation.conflicts.declared import (
    conflict_withdraw as conflict_services_conflict_withdraw,
)

from ...models import Conflict, EvaluatorPreference
from .forms import OwnConflictForm, PreferenceForm
from .helpers import safe_next


def _mine_context(request, **forms_) -> dict:
    user = request.user
    assignments = my_assignments(user=user)
    projects = declarable_projects(user=user)
    return {
        "pools": my_pools(user=user),
        "current": [a for a in assignments if a.idea.stage == PROJECT_STAGE],
        "past": [a for a in assignments if a.idea.stage != PROJECT_STAGE],
        "conflicts": my_conflicts(user=user),
        "preferences": preference_projects(user=user),
        "levels": EvaluatorPreference.Level.choices,
        "declare_form": forms_.get("declare_form")
        or OwnConflictForm(projects=projects),
        "can_declare": bool(projects),
    }


@login_required
def mine(request):
    """My evaluation: assignments, load per racecourse, conflicts, preferences."""
    return render(request, "voting/evaluation/mine.html", _mine_context(request))


@login_required
@require_POST
def conflict_declare(request):
    """An evaluator declares their own conflict with a project of their pools."""
    projects = declarable_projects(user=request.user)
    form = OwnConflictForm(request.POST, projects=projects)
    if form.is_valid():
        try:
            conflict_services_conflict_declare(
                actor=request.user,
                idea=form.cleaned_data["idea"],
                evaluator=request.user,
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Your conflict with “%(idea)s” is recorded.")
                % {"idea": form.cleaned_data["idea"].title},
            )
            return redirect("evaluation:mine")
    return render(
        request,
        "voting/evaluation/mine.html",
        _mine_context(request, declare_form=form),
    )


@login_required
@require_POST
def conflict_withdraw(request, pk: int):
    """Withdraw a declared conflict (its declarer, the captain, HR or an admin)."""
    conflict = get_object_or_404(
        Conflict.objects.select_related("idea__racecourse"), pk=pk
    )
    attempt(
        request,
        lambda: conflict_services_conflict_withdraw(
            actor=request.user, conflict=conflict
        ),
        _("The conflict is withdrawn."),
    )
    return safe_next(request, "evaluation:mine")


@login_required
@require_POST
def preference_set(request, pk: int):
    """An evaluator of the pool states how much they want to judge a project."""
    idea = get_object_or_404(Idea.objects.select_related("racecourse"), pk=pk)
    form = PreferenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a preference."))
        return redirect("evaluation:mine")
    attempt(
        request,
        lambda: evaluation_preference_set(
            evaluator=request.user, idea=idea, level=form.cleaned_data["level"]
        ),
        _("Your preference for “%(idea)s” is saved.") % {"idea": idea.title},
    )
    return redirect("evaluation:mine")
