"""Resource requests: ask, grant within the budget, decline, question, cancel."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from contests.models import Resource, ResourceBudget
from horserace.accounts.models import User
from horserace.notifications.services import event_send
from ideas import lifecycles
from ideas.gestation import events
from ideas.gestation.services.helpers import field_error, required_text, workspace_url
from ideas.models import Idea, ResourceRequest, ResourceRequestMessage
from ideas.services.common import lock_idea, require

OPEN = (ResourceRequest.Status.PENDING, ResourceRequest.Status.QUESTION)
MAX_AMOUNT = Decimal("9999999999.99")  # what the amount columns hold


def _amount(value, field: str = "amount") -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise field_error(field, _("Enter a number."), "invalid") from None
    if not amount.is_finite() or amount <= 0:
        raise field_error(
            field, _("The amount must be more than zero."), "not_positive"
        )
    if amount > MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        raise field_error(
            field,
            _("Use at most 10 digits before the point and 2 after it."),
            "invalid",
        )
    return amount


def granted_total(*, resource: Resource, racecourse) -> Decimal:
    """What the racecourse has granted of ``resource`` so far."""
    total = ResourceRequest.objects.filter(
        resource=resource,
        idea__racecourse=racecourse,
        status=ResourceRequest.Status.GRANTED,
    ).aggregate(total=Sum("granted_amount"))["total"]
    return total or Decimal("0")


def _request_url(request: ResourceRequest) -> str:
    return reverse("gestation:request", args=[request.pk])


@transaction.atomic
def resource_request_create(
    *,
    idea: Idea,
    actor: User,
    resource: Resource,
    amount: Decimal,
    justification: str,
) -> ResourceRequest:
    """The captain asks for ``amount`` of a catalogue resource, saying why.

    The resource must be offered in the idea's season and budgeted on its
    racecourse; a team has at most one open request per resource. The
    racecourse's admins (or HR, when it has none) are notified.
    """
    idea = lock_idea(idea)
    require(
        actor,
        "ideas.request_resources",
        idea,
        _("Only the captain of a team in gestation can request resources."),
    )
    amount = _amount(amount)
    justification = required_text(
        justification, "justification", _("Say what the resource is for.")
    )
    if resource.season_id != idea.racecourse.season_id or not resource.is_active:
        raise field_error(
            "resource",
            _("This resource is not offered to teams of this season."),
            "not_offered",
        )
    if not ResourceBudget.objects.filter(
        resource=resource, racecourse=idea.racecourse
    ).exists():
        raise field_error(
            "resource",
            _("%(racecourse)s has no budget for %(resource)s.")
            % {"racecourse": idea.racecourse, "resource": resource},
            "no_budget",
        )
    if ResourceRequest.objects.filter(
        idea=idea, resource=resource, status__in=OPEN
    ).exists():
        raise field_error(
            "resource",
            _(
                "Your team already has an open request for %(resource)s: "
                "wait for the decision or cancel it first."
            )
            % {"resource": resource},
            "already_open",
        )
    request = ResourceRequest.objects.create(
        idea=idea,
        resource=resource,
        amount=amount,
        justification=justification,
        requested_by=actor,
    )
    event_send(
        events.ResourceRequested,
        about=request,
        url=_request_url(request),
        request=request.pk,
        idea=idea.title,
        amount=str(amount),
        resource=resource.name,
        justification=justification,
    )
    return request


def _lock_request(request: ResourceRequest) -> ResourceRequest:
    return (
        ResourceRequest.objects.select_for_update(of=("self",))
        .select_related("idea__racecourse__season", "resource")
        .get(pk=request.pk)
    )


def _check_open(request: ResourceRequest) -> None:
    if request.status not in OPEN:
        raise ValidationError(
            _("This request has already been answered (%(status)s).")
            % {"status": request.get_status_display()},
            code="not_open",
        )


def _require_decider(actor: User, request: ResourceRequest) -> None:
    require(
        actor,
        "ideas.decide_resources",
        request.idea,
        _(
            "Only HR or this racecourse's admins can decide resource requests, "
            "while the team is in gestation."
        ),
    )


def _decided(request: ResourceRequest, actor: User, move: str, note: str) -> None:
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = note
    lifecycles.move(
        request,
        move,
        actor=actor,
        reason=note,
        update_fields=["granted_amount", "decided_by", "decided_at", "decision_note"],
    )


@transaction.atomic
def resource_request_grant(
    *,
    request: ResourceRequest,
    actor: User,
    amount: Decimal | None = None,
    note: str = "",
) -> ResourceRequest:
    """Grant ``amount`` (the amount asked when ``None``; never more).

    Locks the racecourse's budget row for the resource and refuses a grant
    that would take more than is left; the message says how much is left.
    """
    request = _lock_request(request)
    _require_decider(actor, request)
    _check_open(request)
    amount = request.amount if amount is None else _amount(amount)
    if amount > request.amount:
        raise field_error(
            "amount",
            _("You can grant at most the %(asked)s asked.") % {"asked": request.amount},
            "more_than_asked",
        )
    racecourse = request.idea.racecourse
    budget = (
        ResourceBudget.objects.select_for_update()
        .filter(resource=request.resource, racecourse=racecourse)
        .first()
    )
    if budget is None:
        raise field_error(
            "amount",
            _("%(racecourse)s has no budget for %(resource)s.")
            % {"racecourse": racecourse, "resource": request.resource},
            "no_budget",
        )
    # Read after the lock: every grant committed before us is counted.
    granted = granted_total(resource=request.resource, racecourse=racecourse)
    left = budget.amount - granted
    if amount > left:
        raise field_error(
            "amount",
            _(
                "Only %(left)s (%(unit)s) of %(resource)s is left in the budget of "
                "%(racecourse)s: %(budget)s, of which %(granted)s is already granted."
            )
            % {
                "left": max(left, Decimal("0")),
                "unit": request.resource.get_unit_display(),
                "resource": request.resource,
                "racecourse": racecourse,
                "budget": budget.amount,
                "granted": granted,
            },
            "over_budget",
        )
    request.granted_amount = amount
    _decided(request, actor, "grant", note.strip())
    event_send(
        events.ResourceGranted,
        about=request,
        url=workspace_url(request.idea),
        request=request.pk,
        resource=request.resource.name,
        amount=str(amount),
        idea=request.idea.title,
        note=note,
    )
    return request


@transaction.atomic
def resource_request_decline(
    *, request: ResourceRequest, actor: User, reason: str
) -> ResourceRequest:
    """Decline a request, with a reason the team reads."""
    request = _lock_request(request)
    _require_decider(actor, request)
    _check_open(request)
    reason = required_text(reason, "reason", _("Tell the team why."))
    _decided(request, actor, "decline", reason)
    event_send(
        events.ResourceDeclined,
        about=request,
        url=_request_url(request),
        request=request.pk,
        resource=request.resource.name,
        reason=reason,
    )
    return request


@transaction.atomic
def resource_request_ask(
    *, request: ResourceRequest, actor: User, question: str
) -> ResourceRequestMessage:
    """Ask the team a question; the request waits for its answer."""
    request = _lock_request(request)
    _require_decider(actor, request)
    _check_open(request)
    question = required_text(question, "question", _("Write your question."))
    message = ResourceRequestMessage.objects.create(
        request=request, author=actor, body=question
    )
    lifecycles.move(request, "ask", actor=actor)
    event_send(
        events.ResourceQuestion,
        about=request,
        url=_request_url(request),
        message=message.pk,
        resource=request.resource.name,
        question=question,
    )
    return message


@transaction.atomic
def resource_request_answer(
    *, request: ResourceRequest, actor: User, answer: str
) -> ResourceRequestMessage:
    """The captain answers a question; the request goes back to the queue."""
    request = _lock_request(request)
    require(
        actor,
        "ideas.request_resources",
        request.idea,
        _("Only the team's captain can answer, while the team is in gestation."),
    )
    if request.status != ResourceRequest.Status.QUESTION:
        raise ValidationError(
            _("There is no open question on this request."), code="no_question"
        )
    answer = required_text(answer, "answer", _("Write your answer."))
    message = ResourceRequestMessage.objects.create(
        request=request, author=actor, body=answer
    )
    lifecycles.move(request, "answer", actor=actor)
    event_send(
        events.ResourceAnswered,
        about=request,
        url=_request_url(request),
        message=message.pk,
        idea=request.idea.title,
        resource=request.resource.name,
        answer=answer,
    )
    return message


@transaction.atomic
def resource_request_cancel(
    *, request: ResourceRequest, actor: User
) -> ResourceRequest:
    """The captain takes an open request back."""
    request = _lock_request(request)
    require(
        actor,
        "ideas.request_resources",
        request.idea,
        _("Only the team's captain can cancel its requests."),
    )
    _check_open(request)
    lifecycles.move(request, "cancel", actor=actor)
    return request
