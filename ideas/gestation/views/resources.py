"""One resource request: its conversation and the decisions on it."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from horserace.common.confirm import confirm_page, money_confirmed
from horserace.common.formats import quantity
from horserace.common.pages import attempt
from horserace.common.permissions import can
from ideas.gestation.forms import AnswerForm, DeclineForm, GrantForm, QuestionForm
from ideas.gestation.selectors.resources import OPEN, budget_list, resource_request_list
from ideas.gestation.services.resources import (
    resource_request_answer,
    resource_request_ask,
    resource_request_cancel,
    resource_request_decline,
    resource_request_grant,
)
from ideas.gestation.views.helpers import gestation_idea, submit
from ideas.models import ResourceRequest

_DECISIONS = {
    "grant": (
        GrantForm,
        lambda req, user, data: resource_request_grant(
            request=req, actor=user, amount=data["amount"], note=data["note"]
        ),
        gettext_lazy("Granted."),
    ),
    "decline": (
        DeclineForm,
        lambda req, user, data: resource_request_decline(
            request=req, actor=user, reason=data["reason"]
        ),
        gettext_lazy("Declined; the team is told why."),
    ),
    "ask": (
        QuestionForm,
        lambda req, user, data: resource_request_ask(
            request=req, actor=user, question=data["question"]
        ),
        gettext_lazy("Your question is sent to the captain."),
    ),
    "answer": (
        AnswerForm,
        lambda req, user, data: resource_request_answer(
            request=req, actor=user, answer=data["answer"]
        ),
        gettext_lazy("Your answer is sent; the request is back in the queue."),
    ),
}


@login_required
def request_detail(request, pk: int):
    """A resource request with its conversation; the forms each side may use."""
    base = get_object_or_404(ResourceRequest.objects.only("idea_id"), pk=pk)
    idea = gestation_idea(request, base.idea_id, "ideas.see_resources")
    resource_request = resource_request_list(idea=idea).get(pk=pk)
    forms = {
        "grant_form": GrantForm(initial={"amount": resource_request.amount}),
        "decline_form": DeclineForm(),
        "ask_form": QuestionForm(),
        "answer_form": AnswerForm(),
    }
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "cancel":
            attempt(
                request,
                lambda: resource_request_cancel(
                    request=resource_request, actor=request.user
                ),
                _("Request cancelled."),
            )
            return redirect("gestation:request", pk=pk)
        if action not in _DECISIONS:
            raise Http404
        form_class, call, success = _DECISIONS[action]
        form = form_class(request.POST)
        if action == "grant" and form.is_valid():
            amount = form.cleaned_data["amount"] or resource_request.amount
            if _grant_needs_confirming(request, resource_request, idea, amount):
                return _grant_confirm(request, resource_request, idea, amount)
        if submit(
            request,
            form,
            lambda data: call(resource_request, request.user, data),
            success,
        ):
            return redirect("gestation:request", pk=pk)
        forms[f"{action}_form"] = form
    budget = budget_list(idea=idea).filter(resource=resource_request.resource).first()
    context = {
        "idea": idea,
        "req": resource_request,
        "budget": budget,
        "is_open": resource_request.status in OPEN,
        "can_decide": can(request.user, "ideas.decide_resources", idea),
        "can_answer": can(request.user, "ideas.request_resources", idea),
        **forms,
    }
    return render(request, "ideas/gestation/request.html", context)


def _grant_needs_confirming(request, resource_request, idea, amount) -> bool:
    """A grant the service would refuse (not the decider's, over the budget)
    goes straight to it, for its own error; any other asks once."""
    if not can(request.user, "ideas.decide_resources", idea):
        return False
    if resource_request.status not in OPEN:
        return False
    budget = budget_list(idea=idea).filter(resource=resource_request.resource).first()
    left = getattr(budget, "left", None)  # annotated by budget_list
    if left is not None and amount > left:
        return False
    return not money_confirmed(request, amount)


def _grant_confirm(request, resource_request, idea, amount):
    """A grant moves budget to a team: confirm the amount and the project."""
    resource = resource_request.resource
    shown = quantity(amount, resource.unit)
    return confirm_page(
        request,
        amount=amount,
        question=_("Grant %(amount)s of %(resource)s to “%(project)s”?")
        % {"amount": shown, "resource": resource.name, "project": idea.title},
        button=_("Yes, grant %(amount)s") % {"amount": shown},
        back=request.path,
    )
