"""Realization's notification events: time allocations, outcomes, the
investment plan and its tranches.

Each event says in its docstring who is told. Names and titles are captured,
cut to fit a subject line, when the event is sent; an outcome's kind is
stored as its code and read in the reader's language. Registered when
``ideas`` is ready.
"""

from django.utils.translation import gettext_lazy as _

from horserace.common.formats import money
from horserace.notifications.events import Event, register
from ideas.models import Outcome

_IDEA = {"idea": "Solar roofs"}


@register
class AllocationProposed(Event):
    """To the member's manager. A share can be proposed again: every send is new."""

    kind = "ideas.realization.allocation_proposed"
    params = ("member", "percent", "idea")
    subject = _("Please decide: {member} to spend {percent} of their time on “{idea}”")
    example = {**_IDEA, "member": "Ada Lovelace", "percent": "20%"}


@register
class AllocationProposedToMember(Event):
    """To the member whose time is proposed. Every send is new."""

    kind = "ideas.realization.allocation_proposed_member"
    params = ("percent", "idea", "manager")
    subject = _("{percent} of your time for “{idea}” is proposed to {manager}")
    email = False
    example = {**_IDEA, "manager": "Grace Hopper", "percent": "20%"}


class _AllocationDecided(Event):
    params = ("manager", "percent", "member", "idea", "note")
    body = "{note}"
    example = {
        **_IDEA,
        "manager": "Grace Hopper",
        "member": "Ada Lovelace",
        "percent": "20%",
        "note": "Fine by me.",
    }


@register
class AllocationApproved(_AllocationDecided):
    """To the member and the captains; the body is the manager's note."""

    kind = "ideas.realization.allocation_approved"
    subject = _("{manager} approved {percent} of {member}'s time for “{idea}”")


@register
class AllocationDeclined(_AllocationDecided):
    """To the member and the captains; the body is the manager's note."""

    kind = "ideas.realization.allocation_declined"
    subject = _("{manager} declined {percent} of {member}'s time for “{idea}”")


@register
class OutcomeRecorded(Event):
    """To the team; the body is the outcome's notes."""

    kind = "ideas.realization.outcome_recorded"
    params = ("outcome", "idea", "kind", "notes")
    key = ("outcome",)
    subject = _("“{idea}”: outcome recorded — {kind}")
    body = "{notes}"
    email = False
    example = {**_IDEA, "outcome": 1, "kind": "launch", "notes": "Shipped."}

    @classmethod
    def context(cls, params):
        kind = params["kind"]
        label = Outcome.Kind(kind).label if kind in Outcome.Kind.values else kind
        return {**params, "kind": label}


@register
class PlanCreated(Event):
    """To the team."""

    kind = "ideas.realization.plan_created"
    params = ("plan", "idea", "count", "total", "currency")
    key = ("plan",)
    subject = _("“{idea}” has an investment plan: {count} tranche(s), {total}")
    example = {**_IDEA, "plan": 1, "count": 2, "total": "5000", "currency": "EUR"}

    @classmethod
    def context(cls, params):
        return {**params, "total": money(params["total"], params["currency"])}


@register
class TrancheReviewSubmitted(Event):
    """To HR; the body is the review, the project's content (``content``).

    A review sent back can be submitted again: every send is new.
    """

    kind = "ideas.realization.tranche_review_submitted"
    params = ("idea", "n", "review")
    content = ("review",)
    subject = _("“{idea}” asks for tranche #{n}: milestone review submitted")
    body = "{review}"
    email = False
    example = {**_IDEA, "n": 1, "review": "Milestone met."}


@register
class TrancheReleased(Event):
    """To the team; the body is HR's note."""

    kind = "ideas.realization.tranche_released"
    params = ("tranche", "n", "idea", "amount", "currency", "completed", "note")
    key = ("tranche",)
    body = "{note}"
    example = {**_IDEA, "tranche": 1, "n": 1, "amount": "100", "currency": "EUR"}
    example = example | {"completed": True, "note": "Well done."}

    @classmethod
    def context(cls, params):
        return {**params, "amount": money(params["amount"], params["currency"])}

    @classmethod
    def render_subject(cls, params):
        subject = (
            _(
                "Tranche #{n} of “{idea}” is released ({amount}). "
                "The plan is complete: the project is realized!"
            )
            if params["completed"]
            else _("Tranche #{n} of “{idea}” is released ({amount})")
        )
        return str(subject).format(**cls.context(params))


@register
class TrancheSentBack(Event):
    """To the team; the body is what is missing. Every send is new."""

    kind = "ideas.realization.tranche_sent_back"
    params = ("n", "idea", "note")
    subject = _("The review of tranche #{n} of “{idea}” was sent back")
    body = "{note}"
    example = {**_IDEA, "n": 1, "note": "Add the figures."}
