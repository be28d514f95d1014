"""Outcomes and time allocations: record, remove, propose, decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from horserace.common.permissions import can
from ideas.services.realization.allocations import (
    time_allocation_approve,
    time_allocation_decline,
    time_allocation_propose,
)
from ideas.services.realization.outcomes import outcome_record
from ideas.services.realization.outcomes import (
    outcome_remove as services_outcome_remove,
)

from ...forms.realization import AllocationDecisionForm, AllocationForm, OutcomeForm
from ...selectors import realization as selectors
from .helpers import form_page, page, realization_project, require


@login_required
def outcome_add(request, pk: int):
    idea = realization_project(request, pk)
    require(request.user, "ideas.manage_realization", idea)
    return form_page(
        request,
        form=OutcomeForm(request.POST or None),
        act=lambda data: outcome_record(idea=idea, actor=request.user, **data),
        success=_("The outcome is recorded."),
        back=page(idea.pk),
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
        services_outcome_remove(outcome=outcome, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The outcome is removed."))
    return redirect("realization:project", outcome.idea_id)


@login_required
def allocation_propose(request, pk: int):
    idea = realization_project(request, pk)
    require(request.user, "ideas.propose_allocation", idea)
    if not can(request.user, "ideas.see_team", idea):
        # Choosing a member names them: an anonymous team is unmasked first,
        # with a reason, on the idea's page.
        messages.error(
            request,
            _(
                "The team is anonymous: unmask it on the idea's page, saying why, to choose a member."
            ),
        )
        return redirect(idea)
    return form_page(
        request,
        form=AllocationForm(request.POST or None, idea=idea),
        act=lambda data: time_allocation_propose(idea=idea, actor=request.user, **data),
        success=_("Proposed. The member's manager is asked to approve."),
        back=page(idea.pk),
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
    require(request.user, "ideas.decide_allocation", allocation)
    approve = request.POST.get("decision") == "approve"
    service = time_allocation_approve if approve else time_allocation_decline
    return form_page(
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
