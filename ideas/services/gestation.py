"""Gestation: resource requests and grants, milestones and progress, the final
proposal, and HR's extensions.

Budget rule: a grant locks the ``ResourceBudget`` row of its resource on the
idea's racecourse, sums what is already granted there and refuses to go past
the budget, so two grants at the same moment cannot overdraw it. With no
budget row nothing can be granted. Trainers live in ``trainers.py``.
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contests.models import Resource, ResourceBudget
from horserace.core.permissions import can
from horserace.notifications.services import notification_send

from .. import funnel
from ..models import (
    FinalProposal,
    Idea,
    Milestone,
    ProgressUpdate,
    ProposalExtension,
    ResourceRequest,
    ResourceRequestMessage,
    TeamMembership,
    TrainerAssignment,
)
from ..rules import gestation_window_of
from .common import require

OPEN = (ResourceRequest.Status.PENDING, ResourceRequest.Status.QUESTION)
MAX_AMOUNT = Decimal("9999999999.99")  # what the amount columns hold


# --- Helpers --------------------------------------------------------------------


def lock_idea(idea: Idea) -> Idea:
    """The idea's row, locked for the rest of the transaction."""
    return (
        Idea.objects.select_for_update(of=("self",))
        .select_related("racecourse__season")
        .get(pk=idea.pk)
    )


def team_of(idea: Idea) -> list:
    return [m.user for m in idea.memberships.select_related("user")]


def captains_of(idea: Idea) -> list:
    return [
        m.user
        for m in idea.memberships.select_related("user").filter(
            role=TeamMembership.Role.CAPTAIN
        )
    ]


def managers_of(idea: Idea) -> list:
    """Who decides for the racecourse: its admins, or HR when it has none."""
    admins = list(idea.racecourse.admins.filter(is_active=True))
    if admins:
        return admins
    return list(get_user_model().objects.filter(is_active=True, is_hr_admin=True))


def trainers_of(idea: Idea) -> list:
    return [
        a.trainer.user
        for a in idea.trainer_assignments.filter(
            status=TrainerAssignment.Status.ACTIVE
        ).select_related("trainer__user")
    ]


def field_error(field: str, message, code: str) -> ValidationError:
    """A validation error on one field that keeps its machine ``code``."""
    return ValidationError({field: ValidationError(message, code=code)})


def required_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise field_error(field, message, "required")
    return value


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


def notify(recipients, subject, idea: Idea, *, body: str = "", url: str = "", **kw):
    notification_send(
        recipients=recipients,
        subject=subject,
        body=body,
        url=url or idea.get_absolute_url(),
        **kw,
    )


def workspace_url(idea: Idea) -> str:
    return reverse("gestation:workspace", args=[idea.pk])


def _request_url(request: ResourceRequest) -> str:
    return reverse("gestation:request", args=[request.pk])


# --- Resource requests ------------------------------------------------------------


@transaction.atomic
def resource_request_create(
    *,
    idea: Idea,
    actor,
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
    notify(
        managers_of(idea),
        format_lazy(
            gettext_lazy("“{idea}” asks for {amount} of {resource}"),
            idea=idea.title,
            amount=amount,
            resource=resource.name,
        ),
        idea,
        body=justification,
        url=_request_url(request),
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


def _require_decider(actor, request: ResourceRequest) -> None:
    require(
        actor,
        "ideas.decide_resources",
        request.idea,
        _(
            "Only HR or this racecourse's admins can decide resource requests, "
            "while the team is in gestation."
        ),
    )


def _decided(request: ResourceRequest, actor, status: str, note: str) -> None:
    request.status = status
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = note
    request.save(
        update_fields=[
            "status",
            "granted_amount",
            "decided_by",
            "decided_at",
            "decision_note",
            "updated_at",
        ]
    )


@transaction.atomic
def resource_request_grant(
    *,
    request: ResourceRequest,
    actor,
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
    _decided(request, actor, ResourceRequest.Status.GRANTED, note.strip())
    notify(
        team_of(request.idea),
        format_lazy(
            gettext_lazy("{resource}: {amount} granted to “{idea}”"),
            resource=request.resource.name,
            amount=amount,
            idea=request.idea.title,
        ),
        request.idea,
        body=note,
        url=workspace_url(request.idea),
    )
    return request


@transaction.atomic
def resource_request_decline(
    *, request: ResourceRequest, actor, reason: str
) -> ResourceRequest:
    """Decline a request, with a reason the team reads."""
    request = _lock_request(request)
    _require_decider(actor, request)
    _check_open(request)
    reason = required_text(reason, "reason", _("Tell the team why."))
    _decided(request, actor, ResourceRequest.Status.DECLINED, reason)
    notify(
        team_of(request.idea),
        format_lazy(
            gettext_lazy("Your request for {resource} was declined"),
            resource=request.resource.name,
        ),
        request.idea,
        body=reason,
        url=_request_url(request),
    )
    return request


@transaction.atomic
def resource_request_ask(
    *, request: ResourceRequest, actor, question: str
) -> ResourceRequestMessage:
    """Ask the team a question; the request waits for its answer."""
    request = _lock_request(request)
    _require_decider(actor, request)
    _check_open(request)
    question = required_text(question, "question", _("Write your question."))
    message = ResourceRequestMessage.objects.create(
        request=request, author=actor, body=question
    )
    request.status = ResourceRequest.Status.QUESTION
    request.save(update_fields=["status", "updated_at"])
    notify(
        captains_of(request.idea),
        format_lazy(
            gettext_lazy("A question about your request for {resource}"),
            resource=request.resource.name,
        ),
        request.idea,
        body=question,
        url=_request_url(request),
    )
    return message


@transaction.atomic
def resource_request_answer(
    *, request: ResourceRequest, actor, answer: str
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
    request.status = ResourceRequest.Status.PENDING
    request.save(update_fields=["status", "updated_at"])
    notify(
        managers_of(request.idea),
        format_lazy(
            gettext_lazy("“{idea}” answered your question about {resource}"),
            idea=request.idea.title,
            resource=request.resource.name,
        ),
        request.idea,
        body=answer,
        url=_request_url(request),
        email=False,
    )
    return message


@transaction.atomic
def resource_request_cancel(*, request: ResourceRequest, actor) -> ResourceRequest:
    """The captain takes an open request back."""
    request = _lock_request(request)
    require(
        actor,
        "ideas.request_resources",
        request.idea,
        _("Only the team's captain can cancel its requests."),
    )
    _check_open(request)
    request.status = ResourceRequest.Status.CANCELLED
    request.save(update_fields=["status", "updated_at"])
    return request


# --- Milestones and progress --------------------------------------------------------


@transaction.atomic
def milestone_create(
    *,
    idea: Idea,
    actor,
    title: str,
    description: str = "",
    due_on: date | None = None,
) -> Milestone:
    """The captain sets a milestone; it goes after the existing ones."""
    idea = lock_idea(idea)
    require(
        actor,
        "ideas.set_milestones",
        idea,
        _("Only the captain of a team in gestation sets its milestones."),
    )
    title = required_text(title, "title", _("Give the milestone a title."))
    last = idea.milestones.aggregate(last=Max("position"))["last"]
    return Milestone.objects.create(
        idea=idea,
        title=title[:200],
        description=(description or "").strip(),
        due_on=due_on,
        position=0 if last is None else last + 1,
    )


@transaction.atomic
def milestone_delete(*, milestone: Milestone, actor) -> None:
    """The captain removes a milestone; updates about it stay, unlinked."""
    idea = lock_idea(milestone.idea)
    require(
        actor,
        "ideas.set_milestones",
        idea,
        _("Only the captain of a team in gestation sets its milestones."),
    )
    milestone.delete()


@transaction.atomic
def milestone_set_done(*, milestone: Milestone, actor, done: bool = True) -> Milestone:
    """A team member marks a milestone done (or not done after all)."""
    idea = lock_idea(milestone.idea)
    require(
        actor,
        "ideas.post_progress",
        idea,
        _("Only the team can mark its milestones, while it is in gestation."),
    )
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if done and milestone.done_at is None:
        milestone.done_at = timezone.now()
    elif not done:
        milestone.done_at = None
    milestone.save(update_fields=["done_at", "updated_at"])
    return milestone


@transaction.atomic
def progress_update_post(
    *,
    idea: Idea,
    actor,
    body: str,
    milestone: Milestone | None = None,
    milestone_done: bool = False,
) -> ProgressUpdate:
    """A team member posts an update, optionally about (and finishing) a milestone.

    The team's trainer hears about it.
    """
    idea = lock_idea(idea)
    require(
        actor,
        "ideas.post_progress",
        idea,
        _("Only the team can post updates, while it is in gestation."),
    )
    body = required_text(body, "body", _("Write what happened."))
    if milestone is not None and milestone.idea_id != idea.pk:
        raise field_error(
            "milestone", _("This milestone belongs to another team."), "other_team"
        )
    update = ProgressUpdate.objects.create(
        idea=idea, milestone=milestone, author=actor, body=body
    )
    if milestone is not None and milestone_done and milestone.done_at is None:
        Milestone.objects.filter(pk=milestone.pk).update(
            done_at=timezone.now(), updated_at=timezone.now()
        )
        milestone.refresh_from_db(fields=["done_at", "updated_at"])
    notify(
        trainers_of(idea),
        format_lazy(gettext_lazy("New progress on “{idea}”"), idea=idea.title),
        idea,
        body=body,
        url=workspace_url(idea),
        email=False,
    )
    return update


# --- The final proposal and HR's decisions ----------------------------------------


@transaction.atomic
def final_proposal_submit(
    *, idea: Idea, actor, summary: str, document: str
) -> FinalProposal:
    """The captain hands in the final proposal; the idea goes to evaluation.

    Allowed while the racecourse's gestation window is open (or it has none),
    or until an extension HR granted runs out. The files attached beforehand
    as kind "proposal" belong to it. Once only.
    """
    idea = lock_idea(idea)
    if FinalProposal.objects.filter(idea=idea).exists():
        raise ValidationError(
            _("The final proposal has already been submitted."),
            code="already_submitted",
        )
    if not can(actor, "ideas.submit_proposal", idea):
        if can(actor, "ideas.request_resources", idea):  # captain, in gestation
            raise ValidationError(
                _(
                    "The gestation window has closed and your team has no "
                    "extension: the proposal can no longer be submitted."
                ),
                code="deadline_passed",
            )
        raise PermissionDenied(
            _("Only the captain of a team in gestation submits its final proposal.")
        )
    summary = required_text(
        summary, "summary", _("Sum the proposal up in a few lines.")
    )
    if len(summary) > 500:
        raise field_error(
            "summary", _("Keep the summary to 500 characters."), "too_long"
        )
    document = required_text(document, "document", _("The proposal document is empty."))
    proposal = FinalProposal.objects.create(
        idea=idea,
        summary=summary,
        document=document,
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    funnel.idea_submit_proposal(
        idea=idea, actor=actor, reason=_("Final proposal submitted.")
    )
    notify(
        managers_of(idea),
        format_lazy(
            gettext_lazy("“{idea}” submitted its final proposal"), idea=idea.title
        ),
        idea,
        body=summary,
        email=False,
    )
    return proposal


@transaction.atomic
def proposal_extension_grant(
    *, idea: Idea, actor, until: datetime, reason: str
) -> ProposalExtension:
    """HR gives a team in gestation until ``until`` to hand in its proposal.

    ``until`` must be in the future and after the gestation window's close.
    """
    idea = lock_idea(idea)
    require(
        actor,
        "ideas.grant_extension",
        idea,
        _("Only HR can extend the proposal deadline of a team in gestation."),
    )
    reason = required_text(reason, "reason", _("Say why the team gets more time."))
    if until <= timezone.now():
        raise field_error("until", _("An extension must end in the future."), "past")
    window = gestation_window_of(idea)
    if window is not None and until <= window.closes_at:
        raise field_error(
            "until",
            _("An extension must end after the gestation window closes (%(closes)s).")
            % {"closes": f"{timezone.localtime(window.closes_at):%Y-%m-%d %H:%M}"},
            "before_close",
        )
    extension = ProposalExtension.objects.create(
        idea=idea, until=until, reason=reason, granted_by=actor
    )
    notify(
        team_of(idea),
        format_lazy(
            gettext_lazy("“{idea}” has until {until} to submit its proposal"),
            idea=idea.title,
            until=f"{timezone.localtime(until):%Y-%m-%d %H:%M}",
        ),
        idea,
        body=reason,
        url=workspace_url(idea),
    )
    return extension


@transaction.atomic
def gestation_eliminate(*, idea: Idea, actor, reason: str) -> Idea:
    """HR ends a project that has no proposal once the gestation window closed."""
    idea = lock_idea(idea)
    if not can(actor, "ideas.eliminate_without_proposal", idea):
        if can(actor, "ideas.grant_extension", idea):  # HR, in gestation
            raise ValidationError(
                _(
                    "The gestation window is still open: the team may still "
                    "submit its proposal."
                ),
                code="window_open",
            )
        raise PermissionDenied(
            _("Only HR can eliminate a project in gestation that has no proposal.")
        )
    reason = required_text(reason, "reason", _("Say why the project ends."))
    return funnel.idea_eliminate(idea=idea, actor=actor, reason=reason)
