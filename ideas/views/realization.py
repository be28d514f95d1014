"""Realization in the browser: the HR desk, a project's page, a manager's
approvals, and one small page per action.

Each action has its own URL. Its form may sit on the project page (short
ones) or on its own page (GET); a POST that fails validation, or that the
service refuses, shows that form again with its errors. A user who may not
act gets a 403; an object they may not see, a 404.
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from horserace.accounts.rules import is_hr_admin
from horserace.core.permissions import can

from ..forms.realization import (
    AllocationDecisionForm,
    AllocationForm,
    ApproveForm,
    CloseForm,
    OutcomeForm,
    PlanForm,
    ReviewForm,
    SendBackForm,
    TrancheForm,
    TrancheFormSet,
)
from ..selectors import realization as selectors
from ..services import realization as services

FORM_TEMPLATE = "ideas/realization/form.html"
REALIZATION_PERMS = (
    "manage_realization",
    "propose_allocation",
    "submit_milestone_review",
    "release_tranche",
    "close_realization",
)


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _form_page(
    request,
    *,
    form,
    act: Callable[[dict], object],
    success: str,
    back,
    context: dict,
):
    """GET: the form. POST: valid and accepted → message, back to ``back``;
    otherwise the form again with its errors."""
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(back)
    return render(request, FORM_TEMPLATE, {"form": form, **context})


def _page(pk: int) -> str:
    return reverse("realization:project", args=[pk])


def _require(user, perm: str, obj) -> None:
    if not can(user, perm, obj):
        raise PermissionDenied


def _project(request, pk: int):
    """The idea whose realization the user may see (404/403 otherwise)."""
    return selectors.realization_get(user=request.user, pk=pk)


# --- Pages ------------------------------------------------------------------------


@login_required
def desk(request):
    """HR and racecourse admins: projects in realization and reviews waiting."""
    _require(request.user, "ideas.view_realization_desk", None)
    return render(
        request,
        "ideas/realization/desk.html",
        {
            "projects": selectors.realization_projects(user=request.user),
            "reviews": list(selectors.tranche_reviews_waiting(user=request.user)),
            "can_release": is_hr_admin(request.user),
        },
    )


@login_required
def project(request, pk: int):
    """A project's outcomes, allocations, plan and ledger, with the forms the
    user may use."""
    idea = _project(request, pk)
    user = request.user
    detail = selectors.realization_detail(idea=idea)
    allowed = {name: can(user, f"ideas.{name}", idea) for name in REALIZATION_PERMS}
    nxt = detail["next_tranche"]
    return render(
        request,
        "ideas/realization/project.html",
        {
            **detail,
            "allowed": allowed,
            "review_form": ReviewForm()
            if allowed["submit_milestone_review"] and nxt and nxt.status == "planned"
            else None,
            # Both sit on the page: distinct ids, same field names.
            "approve_form": ApproveForm(auto_id="approve_%s"),
            "send_back_form": SendBackForm(auto_id="send_back_%s"),
        },
    )


@login_required
def approvals(request):
    """A manager's time allocations waiting for a decision."""
    return render(
        request,
        "ideas/realization/approvals.html",
        {
            "waiting": list(selectors.allocations_waiting(user=request.user)),
            "decided": list(
                selectors.allocation_list(user=request.user)
                .filter(manager=request.user)
                .exclude(approved_at__isnull=True, declined_at__isnull=True)[:20]
            ),
        },
    )


# --- Outcomes and allocations -----------------------------------------------------


@login_required
def outcome_add(request, pk: int):
    idea = _project(request, pk)
    _require(request.user, "ideas.manage_realization", idea)
    return _form_page(
        request,
        form=OutcomeForm(request.POST or None),
        act=lambda data: services.outcome_record(idea=idea, actor=request.user, **data),
        success=_("The outcome is recorded."),
        back=_page(idea.pk),
        context={
            "idea": idea,
            "title": _("Record an outcome"),
            "intro": _(
                "Adopted by a department, time allocated to the team, a new "
                "venture or a product launch."
            ),
            "submit": _("Record the outcome"),
        },
    )


@login_required
@require_POST
def outcome_remove(request, pk: int):
    outcome = selectors.outcome_get_visible(user=request.user, pk=pk)
    try:
        services.outcome_remove(outcome=outcome, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The outcome is removed."))
    return redirect("realization:project", outcome.idea_id)


@login_required
def allocation_propose(request, pk: int):
    idea = _project(request, pk)
    _require(request.user, "ideas.propose_allocation", idea)
    return _form_page(
        request,
        form=AllocationForm(request.POST or None, idea=idea),
        act=lambda data: services.time_allocation_propose(
            idea=idea, actor=request.user, **data
        ),
        success=_("Proposed. The member's manager is asked to approve."),
        back=_page(idea.pk),
        context={
            "idea": idea,
            "title": _("Propose a time allocation"),
            "intro": _(
                "A share of a team member's working time for the project. It "
                "counts once their manager approves."
            ),
            "submit": _("Propose"),
        },
    )


@login_required
def allocation_decide(request, pk: int):
    """The member's manager approves or declines (button ``decision``)."""
    allocation = selectors.allocation_get_visible(user=request.user, pk=pk)
    _require(request.user, "ideas.decide_allocation", allocation)
    approve = request.POST.get("decision") == "approve"
    service = (
        services.time_allocation_approve
        if approve
        else services.time_allocation_decline
    )
    return _form_page(
        request,
        form=AllocationDecisionForm(request.POST or None),
        act=lambda data: service(allocation=allocation, actor=request.user, **data),
        success=_("Approved.") if approve else _("Declined."),
        back="realization:approvals",
        context={
            "allocation": allocation,
            "idea": allocation.outcome.idea,
            "title": _("Decide a time allocation"),
            "intro": _(
                "%(member)s to spend %(share)s%% of their working time on “%(idea)s”."
            )
            % {
                "member": allocation.member,
                "share": allocation.share,
                "idea": allocation.outcome.idea.title,
            },
            "decision_buttons": True,
        },
    )


# --- The plan and its tranches ----------------------------------------------------


@login_required
def plan_create(request, pk: int):
    idea = _project(request, pk)
    _require(request.user, "ideas.manage_realization", idea)
    form = PlanForm(request.POST or None)
    formset = TrancheFormSet(request.POST or None, prefix="tranches")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rows = [f.cleaned_data for f in formset.forms if f.has_changed()]
        try:
            services.investment_plan_create(
                idea=idea,
                actor=request.user,
                currency=form.cleaned_data["currency"],
                tranches=rows,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The investment plan is saved."))
            return redirect("realization:project", idea.pk)
    return render(
        request,
        "ideas/realization/plan_form.html",
        {"idea": idea, "form": form, "formset": formset},
    )


@login_required
def tranche_add(request, pk: int):
    idea = _project(request, pk)
    _require(request.user, "ideas.manage_realization", idea)
    plan = selectors.investment_plan_get(idea=idea)
    if plan is None:
        return redirect("realization:plan_create", idea.pk)
    return _form_page(
        request,
        form=TrancheForm(request.POST or None),
        act=lambda data: services.tranche_add(plan=plan, actor=request.user, **data),
        success=_("The tranche is added to the plan."),
        back=_page(idea.pk),
        context={
            "idea": idea,
            "title": _("Add a tranche"),
            "intro": _("It comes after the plan's other tranches."),
            "submit": _("Add the tranche"),
        },
    )


@login_required
def tranche_edit(request, pk: int):
    tranche = selectors.tranche_get_visible(user=request.user, pk=pk)
    idea = tranche.plan.idea
    _require(request.user, "ideas.manage_realization", idea)
    initial = {
        "amount": tranche.amount,
        "milestone": tranche.milestone,
        "due_on": tranche.due_on,
    }
    return _form_page(
        request,
        form=TrancheForm(request.POST or None, initial=initial),
        act=lambda data: services.tranche_update(
            tranche=tranche, actor=request.user, **data
        ),
        success=_("The tranche is changed."),
        back=_page(idea.pk),
        context={
            "idea": idea,
            "title": _("Change tranche #%(n)d") % {"n": tranche.position},
            "intro": _("Only a planned tranche can change."),
            "submit": _("Save the tranche"),
        },
    )


@login_required
@require_POST
def tranche_cancel(request, pk: int):
    tranche = selectors.tranche_get_visible(user=request.user, pk=pk)
    try:
        services.tranche_cancel(tranche=tranche, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Tranche #%(n)d is cancelled.") % {"n": tranche.position}
        )
    return redirect("realization:project", tranche.plan.idea_id)


def _tranche_action(request, pk, *, perm, form_class, service, success, title, submit):
    tranche = selectors.tranche_get_visible(user=request.user, pk=pk)
    idea = tranche.plan.idea
    _require(request.user, perm, idea)
    return _form_page(
        request,
        form=form_class(request.POST or None),
        act=lambda data: service(tranche=tranche, actor=request.user, **data),
        success=success % {"n": tranche.position},
        back=_page(idea.pk),
        context={
            "idea": idea,
            "tranche": tranche,
            "title": title % {"n": tranche.position},
            "intro": tranche.milestone,
            "submit": submit,
        },
    )


@login_required
def tranche_review(request, pk: int):
    return _tranche_action(
        request,
        pk,
        perm="ideas.submit_milestone_review",
        form_class=ReviewForm,
        service=services.tranche_review_submit,
        success=_("The review of tranche #%(n)d is sent to HR."),
        title=_("Milestone review for tranche #%(n)d"),
        submit=_("Submit milestone review"),
    )


@login_required
def tranche_approve(request, pk: int):
    return _tranche_action(
        request,
        pk,
        perm="ideas.release_tranche",
        form_class=ApproveForm,
        service=services.tranche_approve,
        success=_("Tranche #%(n)d is released."),
        title=_("Release tranche #%(n)d"),
        submit=_("Approve and release"),
    )


@login_required
def tranche_send_back(request, pk: int):
    return _tranche_action(
        request,
        pk,
        perm="ideas.release_tranche",
        form_class=SendBackForm,
        service=services.tranche_send_back,
        success=_("The review of tranche #%(n)d is sent back to the team."),
        title=_("Send back the review of tranche #%(n)d"),
        submit=_("Send back"),
    )


@login_required
def close(request, pk: int):
    idea = _project(request, pk)
    _require(request.user, "ideas.close_realization", idea)
    return _form_page(
        request,
        form=CloseForm(request.POST or None),
        act=lambda data: services.realization_close(
            idea=idea, actor=request.user, **data
        ),
        success=_("The project is closed and has left the race."),
        back=_page(idea.pk),
        context={
            "idea": idea,
            "title": _("Close the project"),
            "intro": _(
                "The investment plan is closed and the project leaves the race. "
                "This cannot be undone."
            ),
            "submit": _("Close the project"),
            "danger": True,
        },
    )
