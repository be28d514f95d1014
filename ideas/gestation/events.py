"""Gestation's notification events: resources, progress, the final proposal,
extensions, trainers and the window's close.

Each event says in its docstring who is told. The params named in
``content`` are the idea's content (a justification, an update, a summary):
the services send them through ``ideas.gestation.services.helpers.notify``,
which blanks them for recipients who may not read the idea's content (HR and
racecourse admins open a confidential idea before they read it), so those get
the subject and the link only. Registered when ``ideas`` is ready.
"""

from django.utils.translation import gettext_lazy as _

from horserace.common.formats import number
from horserace.notifications.events import Event, register

_IDEA = {"idea": "Solar roofs"}


@register
class ResourceRequested(Event):
    """To the racecourse's managers (its admins, or HR)."""

    kind = "ideas.gestation.resource_requested"
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


@register
class ResourceGranted(Event):
    """To the team; the body is the decider's note."""

    kind = "ideas.gestation.resource_granted"
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


@register
class ResourceDeclined(Event):
    """To the team; the body is the reason."""

    kind = "ideas.gestation.resource_declined"
    params = ("request", "resource", "reason")
    key = ("request",)
    content = ("reason",)
    subject = _("Your request for {resource} was declined")
    body = "{reason}"
    example = {"request": 1, "resource": "GPU days", "reason": "No budget."}


@register
class ResourceQuestion(Event):
    """To the captains; the body is the question."""

    kind = "ideas.gestation.resource_question"
    params = ("message", "resource", "question")
    key = ("message",)
    content = ("question",)
    subject = _("A question about your request for {resource}")
    body = "{question}"
    example = {"message": 1, "resource": "GPU days", "question": "How many?"}


@register
class ResourceAnswered(Event):
    """To the racecourse's managers; the body is the answer."""

    kind = "ideas.gestation.resource_answered"
    params = ("message", "idea", "resource", "answer")
    key = ("message",)
    content = ("answer",)
    subject = _("“{idea}” answered your question about {resource}")
    body = "{answer}"
    email = False
    example = {**_IDEA, "message": 1, "resource": "GPU days", "answer": "Three."}


@register
class ProgressPosted(Event):
    """To the idea's active trainers; the body is the update."""

    kind = "ideas.gestation.progress_posted"
    params = ("update", "idea", "text")
    key = ("update",)
    content = ("text",)
    subject = _("New progress on “{idea}”")
    body = "{text}"
    email = False
    example = {**_IDEA, "update": 1, "text": "Prototype works."}


@register
class ProposalSubmitted(Event):
    """To the racecourse's managers; the body is the proposal's summary."""

    kind = "ideas.gestation.proposal_submitted"
    params = ("proposal", "idea", "summary")
    key = ("proposal",)
    content = ("summary",)
    subject = _("“{idea}” submitted its final proposal")
    body = "{summary}"
    email = False
    example = {**_IDEA, "proposal": 1, "summary": "We build it."}


@register
class ExtensionGranted(Event):
    """To the team; the body is HR's reason."""

    kind = "ideas.gestation.extension_granted"
    params = ("extension", "idea", "until", "reason")
    key = ("extension",)
    content = ("reason",)
    subject = _("“{idea}” has until {until} to submit its proposal")
    body = "{reason}"
    example = {**_IDEA, "extension": 1, "until": "2026-05-01 12:00", "reason": "Ok"}


@register
class TrainerRequested(Event):
    """To the racecourse's managers; the body is the team's message."""

    kind = "ideas.gestation.trainer_requested"
    params = ("assignment", "idea", "message")
    key = ("assignment",)
    content = ("message",)
    subject = _("“{idea}” asks for a trainer")
    body = "{message}"
    example = {**_IDEA, "assignment": 1, "message": "Marketing help."}


@register
class TrainerAssigned(Event):
    """To the trainer. An assignment can be given again: every send is new."""

    kind = "ideas.gestation.trainer_assigned"
    params = ("idea",)
    subject = _("You are now the trainer of “{idea}”")
    example = _IDEA


@register
class TeamTrainerAssigned(Event):
    """To the team. Every send is new."""

    kind = "ideas.gestation.team_trainer_assigned"
    params = ("name",)
    subject = _("{name} is your team's trainer")
    example = {"name": "Grace Hopper"}


@register
class TrainerDeclined(Event):
    """To the captains; the body is the reason."""

    kind = "ideas.gestation.trainer_declined"
    params = ("assignment", "reason")
    key = ("assignment",)
    content = ("reason",)
    subject = _("Your request for a trainer was declined")
    body = "{reason}"
    example = {"assignment": 1, "reason": "Nobody free."}


@register
class TrainerEnded(Event):
    """To the trainer whose assignment ended."""

    kind = "ideas.gestation.trainer_ended"
    params = ("assignment", "idea")
    key = ("assignment",)
    subject = _("Your coaching of “{idea}” has ended")
    email = False
    example = {**_IDEA, "assignment": 1}


@register
class TrainerSessionLogged(Event):
    """To the team."""

    kind = "ideas.gestation.trainer_session"
    params = ("session", "topic")
    key = ("session",)
    subject = _("Your trainer logged a session: {topic}")
    email = False
    example = {"session": 1, "topic": "Pitching"}


@register
class ProposalsMissing(Event):
    """To HR, when a gestation window closes in "hold" mode."""

    kind = "ideas.gestation.proposals_missing"
    params = ("window", "n", "racecourse")
    key = ("window",)
    subject = _(
        "{n} project(s) on {racecourse} have no final proposal: extend or eliminate"
    )
    example = {"window": 1, "n": 2, "racecourse": "Main"}
