"""Realization's notification events: time allocations, outcomes, the
investment plan and its tranches.

Each event says who is told (``recipients``, from what it is about). Names
and titles are captured, cut to fit a subject line, when the event is sent;
an outcome's kind is stored as its code and read in the reader's language. Registered when
``ideas`` is ready.
"""

from django.utils.translation import gettext_lazy as _

from horserace.common.formats import money
from horserace.common.permissions import can
from horserace.notifications.events import Event, register, register_area
from ideas.models import InvestmentPlan, Outcome, TimeAllocation, Tranche
from ideas.people import captains_of, hr_admins, team_of

register_area("ideas.realization", _("Realization"))

_IDEA = {"idea": "Solar roofs"}


@register
class AllocationProposed(Event):
    """To the member's manager. A share can be proposed again: every send is new."""

    kind = "ideas.realization.allocation_proposed"
    label = _("A report's time allocation awaits you")
    params = ("member", "percent", "idea")
    subject = _("Please decide: {member} to spend {percent} of their time on “{idea}”")
    example = {**_IDEA, "member": "Ada Lovelace", "percent": "20%"}

    @classmethod
    def recipients(cls, allocation: TimeAllocation):
        return [allocation.manager]


@register
class AllocationProposedToMember(Event):
    """To the member whose time is proposed. Every send is new."""

    kind = "ideas.realization.allocation_proposed_member"
    label = _("Your time allocation was proposed")
    params = ("percent", "idea", "manager")
    subject = _("{percent} of your time for “{idea}” is proposed to {manager}")
    email = False
    example = {**_IDEA, "manager": "Grace Hopper", "percent": "20%"}

    @classmethod
    def recipients(cls, allocation: TimeAllocation):
        return [allocation.member]


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

    @classmethod
    def recipients(cls, allocation: TimeAllocation):
        return [allocation.member, *captains_of(allocation.outcome.idea)]


@register
class AllocationApproved(_AllocationDecided):
    """To the member and the captains; the body is the manager's note."""

    kind = "ideas.realization.allocation_approved"
    label = _("A time allocation was approved")
    subject = _("{manager} approved {percent} of {member}'s time for “{idea}”")


@register
class AllocationDeclined(_AllocationDecided):
    """To the member and the captains; the body is the manager's note."""

    kind = "ideas.realization.allocation_declined"
    label = _("A time allocation was declined")
    subject = _("{manager} declined {percent} of {member}'s time for “{idea}”")


@register
class OutcomeRecorded(Event):
    """To the team; the body is the outcome's notes."""

    kind = "ideas.realization.outcome_recorded"
    label = _("An outcome was recorded")
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

    @classmethod
    def recipients(cls, outcome: Outcome):
        return team_of(outcome.idea)


@register
class PlanCreated(Event):
    """To the team."""

    kind = "ideas.realization.plan_created"
    label = _("An investment plan was created")
    params = ("plan", "idea", "count", "total", "currency")
    key = ("plan",)
    subject = _("“{idea}” has an investment plan: {count} tranche(s), {total}")
    example = {**_IDEA, "plan": 1, "count": 2, "total": "5000", "currency": "EUR"}

    @classmethod
    def context(cls, params):
        return {**params, "total": money(params["total"], params["currency"])}

    @classmethod
    def recipients(cls, plan: InvestmentPlan):
        return team_of(plan.idea)


@register
class TrancheReviewSubmitted(Event):
    """To HR; the body is the review, the project's content (``content``),
    blanked for HR who have not opened a confidential project.

    A review sent back can be submitted again: every send is new.
    """

    kind = "ideas.realization.tranche_review_submitted"
    label = _("A tranche review was submitted")
    params = ("idea", "n", "review")
    content = ("review",)
    subject = _("“{idea}” asks for tranche #{n}: milestone review submitted")
    body = "{review}"
    email = False
    example = {**_IDEA, "n": 1, "review": "Milestone met."}

    @classmethod
    def recipients(cls, tranche: Tranche):
        return hr_admins()

    @classmethod
    def may_read_content(cls, user, tranche: Tranche) -> bool:
        return can(user, "ideas.read_content", tranche.plan.idea)


@register
class TrancheReleased(Event):
    """To the team; the body is HR's note."""

    kind = "ideas.realization.tranche_released"
    label = _("A tranche was released")
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

    @classmethod
    def recipients(cls, tranche: Tranche):
        return team_of(tranche.plan.idea)


@register
class TrancheSentBack(Event):
    """To the team; the body is what is missing. Every send is new."""

    kind = "ideas.realization.tranche_sent_back"
    label = _("A tranche review was sent back")
    params = ("n", "idea", "note")
    subject = _("The review of tranche #{n} of “{idea}” was sent back")
    body = "{note}"
    example = {**_IDEA, "n": 1, "note": "Add the figures."}

    @classmethod
    def recipients(cls, tranche: Tranche):
        return team_of(tranche.plan.idea)
