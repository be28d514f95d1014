"""Gestation's notification events: resources, progress, the final proposal,
extensions, trainers and the window's close.

Each event says who is told (``recipients``, from what it is about). The
params named in ``content`` are the idea's content (a justification, an
update, a summary): a recipient who may not read the idea's content (HR and
racecourse admins open a confidential idea before they read it) is sent
them blank (``_OnIdea.may_read_content``): the subject and the link only.
Registered when ``ideas`` is ready.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from contests.models import StageWindow
from horserace.common.formats import number
from horserace.common.permissions import can
from horserace.notifications.events import Event, register, register_area
from ideas.models import (
    FinalProposal,
    Idea,
    ProgressUpdate,
    ProposalExtension,
    ResourceRequest,
    TrainerAssignment,
    TrainerSession,
)
from ideas.people import captains_of, hr_admins, managers_of, team_of, trainers_of

register_area("ideas.gestation", _("Gestation"))


class _OnIdea(Event):
    """An event about something of one idea (``about.idea``): its content
    goes only to those who may read the idea's content."""

    @classmethod
    def idea_of(cls, about: Any) -> Idea:
        return about.idea

    @classmethod
    def may_read_content(cls, user, about) -> bool:
        return can(user, "ideas.read_content", cls.idea_of(about))


def trainer_user(assignment: TrainerAssignment):
    """The assigned trainer's account (an assignment that has one)."""
    assert assignment.trainer is not None
    return assignment.trainer.user


_IDEA = {"idea": "Solar roofs"}


@register
class ResourceRequested(_OnIdea):
    """To the racecourse's managers (its admins, or HR)."""

    kind = "ideas.gestation.resource_requested"
    label = _("A team requested a resource")
    params = ("request", "idea", "amount", "resource", "justification")
    key = ("request",)
    content = ("justification",)
    subject = _("“{idea}” asks for {amount} of {resource}")
    body = "{justification}"
    example = {**_IDEA, "request": 1, "amount": 3, "resource": "GPU days"}
    example = example | {"justification": "Training runs."}

    @classmethod
    def context(cls, params):
        return {**params, "amount": number(params["amount"])}

    @classmethod
    def recipients(cls, request: ResourceRequest):
        return managers_of(request.idea)


@register
class ResourceGranted(_OnIdea):
    """To the team; the body is the decider's note."""

    kind = "ideas.gestation.resource_granted"
    label = _("Resource request granted")
    params = ("request", "resource", "amount", "idea", "note")
    key = ("request",)
    content = ("note",)
    subject = _("{resource}: {amount} granted to “{idea}”")
    body = "{note}"
    example = {**_IDEA, "request": 1, "amount": 3, "resource": "GPU days"}
    example = example | {"note": "Enjoy."}

    @classmethod
    def context(cls, params):
        return {**params, "amount": number(params["amount"])}

    @classmethod
    def recipients(cls, request: ResourceRequest):
        return team_of(request.idea)


@register
class ResourceDeclined(_OnIdea):
    """To the team; the body is the reason."""

    kind = "ideas.gestation.resource_declined"
    label = _("Resource request declined")
    params = ("request", "resource", "reason")
    key = ("request",)
    content = ("reason",)
    subject = _("Your request for {resource} was declined")
    body = "{reason}"
    example = {"request": 1, "resource": "GPU days", "reason": "No budget."}

    @classmethod
    def recipients(cls, request: ResourceRequest):
        return team_of(request.idea)


@register
class ResourceQuestion(_OnIdea):
    """To the captains; the body is the question."""

    kind = "ideas.gestation.resource_question"
    label = _("A question about a resource request")
    params = ("message", "resource", "question")
    key = ("message",)
    content = ("question",)
    subject = _("A question about your request for {resource}")
    body = "{question}"
    example = {"message": 1, "resource": "GPU days", "question": "How many?"}

    @classmethod
    def recipients(cls, request: ResourceRequest):
        return captains_of(request.idea)


@register
class ResourceAnswered(_OnIdea):
    """To the racecourse's managers; the body is the answer."""

    kind = "ideas.gestation.resource_answered"
    label = _("A team answered about a resource")
    params = ("message", "idea", "resource", "answer")
    key = ("message",)
    content = ("answer",)
    subject = _("“{idea}” answered your question about {resource}")
    body = "{answer}"
    email = False
    example = {**_IDEA, "message": 1, "resource": "GPU days", "answer": "Three."}

    @classmethod
    def recipients(cls, request: ResourceRequest):
        return managers_of(request.idea)


@register
class ProgressPosted(_OnIdea):
    """To the idea's active trainers; the body is the update."""

    kind = "ideas.gestation.progress_posted"
    label = _("A team you coach posted progress")
    params = ("update", "idea", "text")
    key = ("update",)
    content = ("text",)
    subject = _("New progress on “{idea}”")
    body = "{text}"
    email = False
    example = {**_IDEA, "update": 1, "text": "Prototype works."}

    @classmethod
    def recipients(cls, update: ProgressUpdate):
        return trainers_of(update.idea)


@register
class ProposalSubmitted(_OnIdea):
    """To the racecourse's managers; the body is the proposal's summary."""

    kind = "ideas.gestation.proposal_submitted"
    label = _("A final proposal was submitted")
    params = ("proposal", "idea", "summary")
    key = ("proposal",)
    content = ("summary",)
    subject = _("“{idea}” submitted its final proposal")
    body = "{summary}"
    email = False
    example = {**_IDEA, "proposal": 1, "summary": "We build it."}

    @classmethod
    def recipients(cls, proposal: FinalProposal):
        return managers_of(proposal.idea)


@register
class ExtensionGranted(_OnIdea):
    """To the team; the body is HR's reason."""

    kind = "ideas.gestation.extension_granted"
    label = _("Proposal deadline extended")
    params = ("extension", "idea", "until", "reason")
    key = ("extension",)
    content = ("reason",)
    subject = _("“{idea}” has until {until} to submit its proposal")
    body = "{reason}"
    example = {**_IDEA, "extension": 1, "until": "2026-05-01 12:00", "reason": "Ok"}

    @classmethod
    def recipients(cls, extension: ProposalExtension):
        return team_of(extension.idea)


@register
class TrainerRequested(_OnIdea):
    """To the racecourse's managers; the body is the team's message."""

    kind = "ideas.gestation.trainer_requested"
    label = _("A team requested a trainer")
    params = ("assignment", "idea", "message")
    key = ("assignment",)
    content = ("message",)
    subject = _("“{idea}” asks for a trainer")
    body = "{message}"
    example = {**_IDEA, "assignment": 1, "message": "Marketing help."}

    @classmethod
    def recipients(cls, assignment: TrainerAssignment):
        return managers_of(assignment.idea)


@register
class TrainerAssigned(_OnIdea):
    """To the trainer. An assignment can be given again: every send is new."""

    kind = "ideas.gestation.trainer_assigned"
    label = _("You were assigned as a trainer")
    params = ("idea",)
    subject = _("You are now the trainer of “{idea}”")
    example = _IDEA

    @classmethod
    def recipients(cls, assignment: TrainerAssignment):
        return [trainer_user(assignment)]


@register
class TeamTrainerAssigned(_OnIdea):
    """To the team. Every send is new."""

    kind = "ideas.gestation.team_trainer_assigned"
    label = _("A trainer was assigned to your team")
    params = ("name",)
    subject = _("{name} is your team's trainer")
    example = {"name": "Grace Hopper"}

    @classmethod
    def recipients(cls, assignment: TrainerAssignment):
        return team_of(assignment.idea)


@register
class TrainerDeclined(_OnIdea):
    """To the captains; the body is the reason."""

    kind = "ideas.gestation.trainer_declined"
    label = _("A trainer request was declined")
    params = ("assignment", "reason")
    key = ("assignment",)
    content = ("reason",)
    subject = _("Your request for a trainer was declined")
    body = "{reason}"
    example = {"assignment": 1, "reason": "Nobody free."}

    @classmethod
    def recipients(cls, assignment: TrainerAssignment):
        return captains_of(assignment.idea)


@register
class TrainerEnded(_OnIdea):
    """To the trainer whose assignment ended."""

    kind = "ideas.gestation.trainer_ended"
    label = _("A coaching assignment ended")
    params = ("assignment", "idea")
    key = ("assignment",)
    subject = _("Your coaching of “{idea}” has ended")
    email = False
    example = {**_IDEA, "assignment": 1}

    @classmethod
    def recipients(cls, assignment: TrainerAssignment):
        return [trainer_user(assignment)]


@register
class TrainerSessionLogged(_OnIdea):
    """To the team."""

    kind = "ideas.gestation.trainer_session"
    label = _("A coaching session was logged")
    params = ("session", "topic")
    key = ("session",)
    subject = _("Your trainer logged a session: {topic}")
    email = False
    example = {"session": 1, "topic": "Pitching"}

    @classmethod
    def recipients(cls, session: TrainerSession):
        return team_of(session.assignment.idea)

    @classmethod
    def idea_of(cls, session: TrainerSession) -> Idea:
        return session.assignment.idea


@register
class ProposalsMissing(Event):
    """To HR, when a gestation window (``about``) closes in "hold" mode."""

    kind = "ideas.gestation.proposals_missing"
    label = _("Proposals missing at a close")
    params = ("window", "n", "racecourse")
    key = ("window",)
    subject = _(
        "{n} project(s) on {racecourse} have no final proposal: extend or eliminate"
    )
    example = {"window": 1, "n": 2, "racecourse": "Main"}

    @classmethod
    def recipients(cls, window: StageWindow):
        return hr_admins()
