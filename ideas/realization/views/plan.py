"""The investment plan and its tranches, milestone reviews, and closing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from horserace.common.confirm import confirm_page, money_confirmed
from horserace.common.formats import money
from horserace.common.pages import apply_service_errors as apply_errors
from ideas.models import Tranche
from ideas.realization import selectors
from ideas.realization.forms import (
    ApproveForm,
    CloseForm,
    PlanForm,
    ReviewForm,
    SendBackForm,
    TrancheForm,
    TrancheFormSet,
)
from ideas.realization.services.closing import realization_close
from ideas.realization.services.plan import investment_plan_create, tranche_update
from ideas.realization.services.plan import tranche_add as services_tranche_add
from ideas.realization.services.plan import tranche_cancel as services_tranche_cancel
from ideas.realization.services.reviews import (
    tranche_approve as services_tranche_approve,
)
from ideas.realization.services.reviews import tranche_review_submit
from ideas.realization.services.reviews import (
    tranche_send_back as services_tranche_send_back,
)
from ideas.realization.views.helpers import (
    form_page,
    page,
    realization_project,
    require,
)


@login_required
def plan_create(request, pk: int):
    idea = realization_project(request, pk)
    require(request.user, "ideas.manage_realization", idea)
    form = PlanForm(request.POST or None)
    formset = TrancheFormSet(request.POST or None, prefix="tranches")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rows = [f.cleaned_data for f in formset.forms if f.has_changed()]
        try:
            investment_plan_create(
                idea=idea,
                actor=request.user,
                currency=form.cleaned_data["currency"],
                tranches=rows,
            )
        except ValidationError as error:
            apply_errors(form, error)
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
    idea = realization_project(request, pk)
    require(request.user, "ideas.manage_realization", idea)
    plan = selectors.investment_plan_get(idea=idea)
    if plan is None:
        return redirect("realization:plan_create", idea.pk)
    return form_page(
        request,
        form=TrancheForm(request.POST or None),
        act=lambda data: services_tranche_add(plan=plan, actor=request.user, **data),
        success=_("The tranche is added to the plan."),
        back=page(idea.pk),
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
    require(request.user, "ideas.manage_realization", idea)
    initial = {
        "amount": tranche.amount,
        "milestone": tranche.milestone,
        "due_on": tranche.due_on,
    }
    return form_page(
        request,
        form=TrancheForm(request.POST or None, initial=initial),
        act=lambda data: tranche_update(tranche=tranche, actor=request.user, **data),
        success=_("The tranche is changed."),
        back=page(idea.pk),
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
        services_tranche_cancel(tranche=tranche, actor=request.user)
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
    require(request.user, perm, idea)
    return form_page(
        request,
        form=form_class(request.POST or None),
        act=lambda data: service(tranche=tranche, actor=request.user, **data),
        success=success % {"n": tranche.position},
        back=page(idea.pk),
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
        service=tranche_review_submit,
        success=_("The review of tranche #%(n)d is sent to HR."),
        title=_("Milestone review for tranche #%(n)d"),
        submit=_("Submit milestone review"),
    )


@login_required
def tranche_approve(request, pk: int):
    """Releasing a tranche moves money: a valid form is first answered with a
    confirmation that states the amount and the project."""
    if request.method == "POST":
        tranche = selectors.tranche_get_visible(user=request.user, pk=pk)
        idea = tranche.plan.idea
        require(request.user, "ideas.release_tranche", idea)
        valid = ApproveForm(request.POST).is_valid()
        waiting = (
            tranche.status == Tranche.Status.IN_REVIEW
        )  # else the service says why
        if valid and waiting and not money_confirmed(request, tranche.amount):
            amount = money(tranche.amount, tranche.plan.currency)
            return confirm_page(
                request,
                amount=tranche.amount,
                question=_("Release %(amount)s to “%(project)s”?")
                % {"amount": amount, "project": idea.title},
                detail=_("Tranche #%(n)d: %(milestone)s")
                % {"n": tranche.position, "milestone": tranche.milestone},
                button=_("Yes, release %(amount)s") % {"amount": amount},
                back=page(idea.pk),
            )
    return _tranche_action(
        request,
        pk,
        perm="ideas.release_tranche",
        form_class=ApproveForm,
        service=services_tranche_approve,
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
        service=services_tranche_send_back,
        success=_("The review of tranche #%(n)d is sent back to the team."),
        title=_("Send back the review of tranche #%(n)d"),
        submit=_("Send back"),
    )


@login_required
def close(request, pk: int):
    idea = realization_project(request, pk)
    require(request.user, "ideas.close_realization", idea)
    return form_page(
        request,
        form=CloseForm(request.POST or None),
        act=lambda data: realization_close(idea=idea, actor=request.user, **data),
        success=_("The project is closed and has left the race."),
        back=page(idea.pk),
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
