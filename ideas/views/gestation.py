"""Gestation in the browser: the team workspace, a resource request, the
final proposal, the trainer's teams and the racecourse's gestation desk.

Parse, call one service, redirect with a message; a refusal the form can show
re-renders the page with the form's errors (never a 500). Someone who may see
the idea but not this page gets a 403; someone who may not see it, a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from contests import selectors as contest_selectors
from contests.models import Racecourse, StageWindow
from horserace.core.permissions import can

from ..forms.gestation import (
    AnswerForm,
    DeclineForm,
    EliminateForm,
    ExtensionForm,
    GrantForm,
    MilestoneForm,
    ProgressUpdateForm,
    ProposalFileForm,
    ProposalForm,
    QuestionForm,
    ResourceRequestForm,
    SessionForm,
    TrainerAssignForm,
    TrainerRequestForm,
)
from ..models import (
    Attachment,
    Idea,
    Milestone,
    ResourceRequest,
    StageTransition,
    TeamMembership,
    TrainerAssignment,
)
from ..selectors import gestation as selectors
from ..services import attachment_add, attachment_remove
from ..services import gestation as services
from ..services import trainers as trainer_services

# --- Helpers ------------------------------------------------------------------------


def _gestation_idea(request, pk: int, perm: str = "ideas.view_gestation") -> Idea:
    """The idea, if the user holds ``perm`` and it ever reached gestation."""
    idea = (
        Idea.objects.select_related("racecourse__season", "author")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=TeamMembership.objects.select_related("user"),
            ),
            Prefetch("transitions", queryset=StageTransition.objects.all()),
            Prefetch("racecourse__windows", queryset=StageWindow.objects.all()),
        )
        .filter(pk=pk)
        .first()
    )
    if idea is None or not selectors.reached_gestation(idea):
        raise Http404
    if not can(request.user, perm, idea):
        if can(request.user, "ideas.view_idea", idea):
            raise PermissionDenied
        raise Http404
    return idea


def _service_errors(form, error: ValidationError) -> None:
    """Put a service's refusal on the form, by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _submit(request, form, action, success: str) -> bool:
    """Validate ``form`` and run ``action(cleaned_data)``; True when it worked."""
    if not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except ValidationError as error:
        _service_errors(form, error)
        return False
    messages.success(request, success)
    return True


def _attempt(request, action, success: str) -> bool:
    """A button with no fields: a refusal becomes an error message."""
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


def _to_workspace(idea: Idea, anchor: str = ""):
    url = reverse("gestation:workspace", args=[idea.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


# --- The team workspace ---------------------------------------------------------------


def _workspace(request, idea: Idea, **forms):
    context = selectors.gestation_workspace(idea=idea, user=request.user)
    context |= {
        "request_form": ResourceRequestForm(idea=idea),
        "milestone_form": MilestoneForm(),
        "update_form": ProgressUpdateForm(idea=idea),
        "trainer_form": TrainerRequestForm(idea=idea),
        **forms,
    }
    return render(request, "ideas/gestation/workspace.html", context)


@login_required
def workspace(request, pk: int):
    """The team's gestation: resources, trainer, milestones, updates, proposal."""
    return _workspace(request, _gestation_idea(request, pk))


@login_required
@require_POST
def request_create(request, pk: int):
    idea = _gestation_idea(request, pk)
    form = ResourceRequestForm(request.POST, idea=idea)
    if _submit(
        request,
        form,
        lambda data: services.resource_request_create(
            idea=idea, actor=request.user, **data
        ),
        _("Your request is sent; you will hear when it is decided."),
    ):
        return _to_workspace(idea, "resources")
    return _workspace(request, idea, request_form=form)


@login_required
@require_POST
def milestone_create(request, pk: int):
    idea = _gestation_idea(request, pk)
    form = MilestoneForm(request.POST)
    if _submit(
        request,
        form,
        lambda data: services.milestone_create(idea=idea, actor=request.user, **data),
        _("Milestone added."),
    ):
        return _to_workspace(idea, "progress")
    return _workspace(request, idea, milestone_form=form)


@login_required
@require_POST
def milestone_done(request, pk: int):
    milestone = get_object_or_404(Milestone, pk=pk)
    idea = _gestation_idea(request, milestone.idea_id)
    done = request.POST.get("done", "1") == "1"
    _attempt(
        request,
        lambda: services.milestone_set_done(
            milestone=milestone, actor=request.user, done=done
        ),
        _("Milestone marked done.") if done else _("Milestone reopened."),
    )
    return _to_workspace(idea, "progress")


@login_required
@require_POST
def milestone_delete(request, pk: int):
    milestone = get_object_or_404(Milestone, pk=pk)
    idea = _gestation_idea(request, milestone.idea_id)
    _attempt(
        request,
        lambda: services.milestone_delete(milestone=milestone, actor=request.user),
        _("Milestone removed."),
    )
    return _to_workspace(idea, "progress")


@login_required
@require_POST
def update_create(request, pk: int):
    idea = _gestation_idea(request, pk)
    form = ProgressUpdateForm(request.POST, idea=idea)
    if _submit(
        request,
        form,
        lambda data: services.progress_update_post(
            idea=idea, actor=request.user, **data
        ),
        _("Update posted."),
    ):
        return _to_workspace(idea, "progress")
    return _workspace(request, idea, update_form=form)


@login_required
@require_POST
def trainer_request(request, pk: int):
    idea = _gestation_idea(request, pk)
    form = TrainerRequestForm(request.POST, idea=idea)
    if _submit(
        request,
        form,
        lambda data: trainer_services.trainer_request(
            idea=idea, actor=request.user, **data
        ),
        _("Your request for a trainer is sent."),
    ):
        return _to_workspace(idea, "trainer")
    return _workspace(request, idea, trainer_form=form)


# --- One resource request ----------------------------------------------------------------


_DECISIONS = {
    "grant": (
        GrantForm,
        lambda req, user, data: services.resource_request_grant(
            request=req, actor=user, amount=data["amount"], note=data["note"]
        ),
        gettext_lazy("Granted."),
    ),
    "decline": (
        DeclineForm,
        lambda req, user, data: services.resource_request_decline(
            request=req, actor=user, reason=data["reason"]
        ),
        gettext_lazy("Declined; the team is told why."),
    ),
    "ask": (
        QuestionForm,
        lambda req, user, data: services.resource_request_ask(
            request=req, actor=user, question=data["question"]
        ),
        gettext_lazy("Your question is sent to the captain."),
    ),
    "answer": (
        AnswerForm,
        lambda req, user, data: services.resource_request_answer(
            request=req, actor=user, answer=data["answer"]
        ),
        gettext_lazy("Your answer is sent; the request is back in the queue."),
    ),
}


@login_required
def request_detail(request, pk: int):
    """A resource request with its conversation; the forms each side may use."""
    base = get_object_or_404(ResourceRequest.objects.only("idea_id"), pk=pk)
    idea = _gestation_idea(request, base.idea_id, "ideas.see_resources")
    resource_request = selectors.resource_request_list(idea=idea).get(pk=pk)
    forms = {
        "grant_form": GrantForm(initial={"amount": resource_request.amount}),
        "decline_form": DeclineForm(),
        "ask_form": QuestionForm(),
        "answer_form": AnswerForm(),
    }
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "cancel":
            _attempt(
                request,
                lambda: services.resource_request_cancel(
                    request=resource_request, actor=request.user
                ),
                _("Request cancelled."),
            )
            return redirect("gestation:request", pk=pk)
        if action not in _DECISIONS:
            raise Http404
        form_class, call, success = _DECISIONS[action]
        form = form_class(request.POST)
        if _submit(
            request,
            form,
            lambda data: call(resource_request, request.user, data),
            success,
        ):
            return redirect("gestation:request", pk=pk)
        forms[f"{action}_form"] = form
    budget = (
        selectors.budget_list(idea=idea)
        .filter(resource=resource_request.resource)
        .first()
    )
    context = {
        "idea": idea,
        "req": resource_request,
        "budget": budget,
        "is_open": resource_request.status in selectors.OPEN,
        "can_decide": can(request.user, "ideas.decide_resources", idea),
        "can_answer": can(request.user, "ideas.request_resources", idea),
        **forms,
    }
    return render(request, "ideas/gestation/request.html", context)


# --- The final proposal ---------------------------------------------------------------------


def _proposal_page(request, idea: Idea, **forms):
    context = {
        "idea": idea,
        "proposal": selectors.final_proposal_get(idea=idea),
        "files": list(selectors.proposal_attachments(idea=idea)),
        "deadline": selectors.proposal_deadline(idea=idea),
        "can_submit": can(request.user, "ideas.submit_proposal", idea),
        "form": ProposalForm(),
        "file_form": ProposalFileForm(),
        **forms,
    }
    return render(request, "ideas/gestation/proposal.html", context)


@login_required
def proposal(request, pk: int):
    """The proposal: the form for the captain, the submitted text for others."""
    idea = _gestation_idea(request, pk)
    if request.method != "POST":
        return _proposal_page(request, idea)
    form = ProposalForm(request.POST)
    if _submit(
        request,
        form,
        lambda data: services.final_proposal_submit(
            idea=idea, actor=request.user, **data
        ),
        _("Your final proposal is submitted. The project moves on to evaluation."),
    ):
        return redirect("gestation:proposal", pk=idea.pk)
    return _proposal_page(request, idea, form=form)


@login_required
@require_POST
def proposal_file_upload(request, pk: int):
    idea = _gestation_idea(request, pk)
    form = ProposalFileForm(request.POST, request.FILES)
    if _submit(
        request,
        form,
        lambda data: attachment_add(
            idea=idea,
            actor=request.user,
            upload=data["file"],
            kind=Attachment.Kind.PROPOSAL,
        ),
        _("File attached to the proposal."),
    ):
        return redirect("gestation:proposal", pk=idea.pk)
    return _proposal_page(request, idea, file_form=form)


@login_required
@require_POST
def proposal_file_delete(request, pk: int):
    attachment = get_object_or_404(Attachment, pk=pk, kind=Attachment.Kind.PROPOSAL)
    idea = _gestation_idea(request, attachment.idea_id)
    _attempt(
        request,
        lambda: attachment_remove(attachment=attachment, actor=request.user),
        _("File removed."),
    )
    return redirect("gestation:proposal", pk=idea.pk)


# --- Trainers ----------------------------------------------------------------------------------


@login_required
def trainer_home(request):
    """The trainer's teams, current first, with their session counts."""
    return render(
        request,
        "ideas/gestation/trainer.html",
        {"assignments": list(selectors.trainer_teams(user=request.user))},
    )


@login_required
def assignment_detail(request, pk: int):
    """One coaching assignment: its session log, and the trainer's log form."""
    base = get_object_or_404(TrainerAssignment.objects.only("idea_id"), pk=pk)
    idea = _gestation_idea(request, base.idea_id, "ideas.see_sessions")
    assignment = selectors.trainer_assignment_list(idea=idea).get(pk=pk)
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
        if _submit(
            request,
            form,
            lambda data: trainer_services.trainer_session_log(
                assignment=assignment, actor=request.user, **data
            ),
            _("Session logged."),
        ):
            return redirect("gestation:assignment", pk=pk)
    sessions = selectors.trainer_sessions_visible(idea=idea, user=request.user).filter(
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
    idea = _gestation_idea(request, pk, "ideas.assign_trainer")
    pool = selectors.trainer_pool(season=idea.racecourse.season)
    form = TrainerAssignForm(request.POST or None, pool=pool)
    if request.method == "POST" and _submit(
        request,
        form,
        lambda data: trainer_services.trainer_assign(
            idea=idea, actor=request.user, trainer=data["trainer"]
        ),
        _("The trainer is assigned; they and the team are told."),
    ):
        return redirect("gestation:desk", pk=idea.racecourse_id)
    assignments = list(selectors.trainer_assignment_list(idea=idea))
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
    idea = _gestation_idea(request, assignment.idea_id, "ideas.assign_trainer")
    form = DeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    _attempt(
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
    idea = _gestation_idea(request, assignment.idea_id, "ideas.end_trainer")
    _attempt(
        request,
        lambda: trainer_services.trainer_assignment_end(
            assignment=assignment, actor=request.user
        ),
        _("The assignment has ended; the trainer's seat is free."),
    )
    return redirect("gestation:desk", pk=idea.racecourse_id)


# --- HR: extensions and eliminations -------------------------------------------------------


def _hr_form_page(request, pk: int, *, perm, form_class, call, success, template):
    idea = _gestation_idea(request, pk, perm)
    form = form_class(request.POST or None)
    if request.method == "POST" and _submit(
        request, form, lambda data: call(idea, data), success
    ):
        return redirect("gestation:desk", pk=idea.racecourse_id)
    context = {
        "idea": idea,
        "form": form,
        "deadline": selectors.proposal_deadline(idea=idea),
        "extensions": list(idea.proposal_extensions.select_related("granted_by")),
    }
    return render(request, template, context)


@login_required
def extension_grant(request, pk: int):
    """HR gives a team in gestation more time for its proposal."""
    return _hr_form_page(
        request,
        pk,
        perm="ideas.grant_extension",
        form_class=ExtensionForm,
        call=lambda idea, data: services.proposal_extension_grant(
            idea=idea, actor=request.user, **data
        ),
        success=_("Extension granted; the team is told."),
        template="ideas/gestation/extension.html",
    )


@login_required
def eliminate(request, pk: int):
    """HR ends a project that has no proposal after the gestation close."""
    return _hr_form_page(
        request,
        pk,
        perm="ideas.grant_extension",  # HR and in gestation; the service checks time
        form_class=EliminateForm,
        call=lambda idea, data: services.gestation_eliminate(
            idea=idea, actor=request.user, **data
        ),
        success=_("The project is eliminated."),
        template="ideas/gestation/eliminate.html",
    )


# --- The racecourse's gestation desk -----------------------------------------------------------


@login_required
def desk(request, pk: int):
    """HR and the racecourse's admins: grant queue, budgets, trainers, projects."""
    try:
        racecourse = contest_selectors.racecourse_get(pk=pk)
    except Racecourse.DoesNotExist:
        raise Http404 from None
    if not can(request.user, "contests.manage_racecourse", racecourse):
        raise PermissionDenied
    context = selectors.gestation_desk(racecourse=racecourse)
    context |= {
        "racecourse": racecourse,
        "is_hr": can(request.user, "contests.manage_season"),
    }
    return render(request, "ideas/gestation/desk.html", context)
