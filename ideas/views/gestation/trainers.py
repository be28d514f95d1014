"""Trainers: their teams and session logs; assigning, declining and ending."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from horserace.common.pages import attempt
from horserace.common.permissions import can
from ideas.selectors.gestation.trainers import (
    trainer_assignment_list,
    trainer_pool,
    trainer_sessions_visible,
    trainer_teams,
)

from ...forms.gestation import DeclineForm, SessionForm, TrainerAssignForm
from ...models import TrainerAssignment
from ...services import trainers as trainer_services
from .helpers import gestation_idea, submit


@login_required
def trainer_home(request):
    """The trainer's teams, current first, with their session counts."""
    return render(
        request,
        "ideas/gestation/trainer.html",
        {"assignments": list(trainer_teams(user=request.user))},
    )


@login_required
def assignment_detail(request, pk: int):
    """One coaching assignment: its session log, and the trainer's log form."""
    base = get_object_or_404(TrainerAssignment.objects.only("idea_id"), pk=pk)
    idea = gestation_idea(request, base.idea_id, "ideas.see_sessions")
    assignment = trainer_assignment_list(idea=idea).get(pk=pk)
    is_trainer = (
        assignment.trainer is not None and assignment.trainer.user_id == request.user.pk
    )
    can_log = (
        is_trainer
        and assignment.status == TrainerAssignment.Status.ACTIVE
        and can(request.user, "ideas.log_session", idea)
    )
    form = SessionForm()
    if request.method == "POST":
        form = SessionForm(request.POST)
        if submit(
            request,
            form,
            lambda data: trainer_services.trainer_session_log(
                assignment=assignment, actor=request.user, **data
            ),
            _("Session logged."),
        ):
            return redirect("gestation:assignment", pk=pk)
    sessions = trainer_sessions_visible(idea=idea, user=request.user).filter(
        assignment=assignment
    )
    context = {
        "idea": idea,
        "assignment": assignment,
        "sessions": list(sessions),
        "can_log": can_log,
        "form": form,
    }
    return render(request, "ideas/gestation/assignment.html", context)


@login_required
def trainer_assign(request, pk: int):
    """HR or a racecourse admin picks a trainer from the pool for the team."""
    idea = gestation_idea(request, pk, "ideas.assign_trainer")
    pool = trainer_pool(season=idea.racecourse.season)
    form = TrainerAssignForm(request.POST or None, pool=pool)
    if request.method == "POST" and submit(
        request,
        form,
        lambda data: trainer_services.trainer_assign(
            idea=idea, actor=request.user, trainer=data["trainer"]
        ),
        _("The trainer is assigned; they and the team are told."),
    ):
        return redirect("gestation:desk", pk=idea.racecourse_id)
    assignments = list(trainer_assignment_list(idea=idea))
    context = {
        "idea": idea,
        "form": form,
        "pool": list(pool),
        "open_request": next((a for a in assignments if a.status == "requested"), None),
        "active": next((a for a in assignments if a.status == "active"), None),
        "decline_form": DeclineForm(),
    }
    return render(request, "ideas/gestation/trainer_assign.html", context)


@login_required
@require_POST
def trainer_decline(request, pk: int):
    assignment = get_object_or_404(TrainerAssignment, pk=pk)
    idea = gestation_idea(request, assignment.idea_id, "ideas.assign_trainer")
    form = DeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    attempt(
        request,
        lambda: trainer_services.trainer_request_decline(
            assignment=assignment, actor=request.user, reason=reason
        ),
        _("The request for a trainer is declined."),
    )
    return redirect("gestation:desk", pk=idea.racecourse_id)


@login_required
@require_POST
def assignment_end(request, pk: int):
    assignment = get_object_or_404(TrainerAssignment, pk=pk)
    idea = gestation_idea(request, assignment.idea_id, "ideas.end_trainer")
    attempt(
        request,
        lambda: trainer_services.trainer_assignment_end(
            assignment=assignment, actor=request.user
        ),
        _("The assignment has ended; the trainer's seat is free."),
    )
    return redirect("gestation:desk", pk=idea.racecourse_id)
