"""Offline evaluation's notification events: the pool, assignments,
conflicts of interest and the panel's decision.

Each event says who is told (``recipients``, from what it is about). Titles
and names are captured when the event is sent; the panel's outcome is stored as its code and read in
the reader's language. Registered when ``voting`` is ready.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from horserace.accounts.models import User
from horserace.notifications.events import Event, ToPeople, register, register_area
from ideas.people import team_of

from ..models import Assignment, Conflict, PanelDecision

register_area("voting.evaluation", _("Evaluation"))


@register
class PoolJoined(Event):
    """To the evaluator (``about``) added to a racecourse's pool. Every send is new."""

    kind = "voting.evaluation.pool_joined"
    label = _("You joined an evaluator pool")
    params = ("racecourse",)
    subject = _("You are on the evaluation panel of {racecourse}")
    example = {"racecourse": "Main"}

    @classmethod
    def recipients(cls, evaluator: User):
        return [evaluator]


@register
class PoolLeft(Event):
    """To the evaluator (``about``) taken out of the pool. Every send is new."""

    kind = "voting.evaluation.pool_left"
    label = _("You left an evaluator pool")
    params = ("racecourse",)
    subject = _("You are no longer on the evaluation panel of {racecourse}")
    email = False
    example = {"racecourse": "Main"}

    @classmethod
    def recipients(cls, evaluator: User):
        return [evaluator]


@register
class ProjectsAssigned(Event):
    """To an evaluator (``about``) given ``n`` projects. Every send is new."""

    kind = "voting.evaluation.projects_assigned"
    label = _("Projects to evaluate")
    params = ("n", "racecourse")
    example = {"n": 2, "racecourse": "Main"}

    @classmethod
    def render_subject(cls, params):
        return ngettext(
            "You have {n} new project to evaluate on {racecourse}",
            "You have {n} new projects to evaluate on {racecourse}",
            params["n"],
        ).format(**params)

    @classmethod
    def recipients(cls, evaluator: User):
        return [evaluator]


@register
class ProjectUnassigned(Event):
    """To the evaluator of an assignment dropped. Every send is new."""

    kind = "voting.evaluation.project_unassigned"
    label = _("A project was taken off your list")
    params = ("idea",)
    subject = _("You no longer evaluate “{idea}”")
    email = False
    example = {"idea": "Solar roofs"}

    @classmethod
    def recipients(cls, assignment: Assignment):
        return [assignment.evaluator]


@register
class ConflictRecorded(Event):
    """To the evaluator whose conflict HR or an admin recorded."""

    kind = "voting.evaluation.conflict_recorded"
    label = _("A conflict of interest was recorded")
    params = ("conflict", "idea")
    key = ("conflict",)
    subject = _(
        "A conflict of interest with “{idea}” was recorded: you will not evaluate it"
    )
    body = _("If you think this is a mistake, contact HR or the racecourse admin.")
    example = {"conflict": 1, "idea": "Solar roofs"}

    @classmethod
    def recipients(cls, conflict: Conflict):
        return [conflict.evaluator]


@register
class EvaluatorLost(Event):
    """To the racecourse's admins but the one who recorded the conflict, when
    it dropped an assignment."""

    kind = "voting.evaluation.evaluator_lost"
    label = _("A project lost its evaluator")
    params = ("conflict", "idea")
    key = ("conflict",)
    subject = _("“{idea}” lost an evaluator through a conflict of interest")
    email = False
    example = {"conflict": 1, "idea": "Solar roofs"}

    @classmethod
    def recipients(cls, conflict: Conflict):
        return list(conflict.idea.racecourse.admins.exclude(pk=conflict.declared_by_id))


@register
class PanelDecided(Event):
    """To the team (in the app only: the stage change mails the feedback)."""

    kind = "voting.evaluation.panel_decided"
    label = _("The panel decided on your project")
    params = ("decision", "idea", "outcome")
    key = ("decision",)
    subject = _("The panel's decision on “{idea}”: {outcome}")
    body = _(
        "Read the panel's feedback and the evaluators' comments on the project's page."
    )
    email = False
    example = {"decision": 1, "idea": "Solar roofs", "outcome": "selected"}

    @classmethod
    def context(cls, params):
        outcome = params["outcome"]
        choices = PanelDecision.Outcome
        label = choices(outcome).label if outcome in choices.values else outcome
        return {**params, "outcome": label}

    @classmethod
    def recipients(cls, decision: PanelDecision):
        return team_of(decision.idea)


@register
class ScorecardsDue(ToPeople):
    """To the active evaluators with scorecards not submitted in an evaluation
    window closing within two days (``voting.reminders``): ``about`` is those
    with this ``n``. Once per window and
    person a day."""

    kind = "voting.evaluation.scorecards_due"
    label = _("Scorecards due soon")
    params = ("window", "day", "racecourse", "n")
    key = ("window", "day")
    body = _("The evaluation window closes within 48 hours.")
    example = {"window": 1, "day": "2026-12-07", "racecourse": "Main", "n": 2}

    @classmethod
    def render_subject(cls, params):
        return ngettext(
            "You have {n} scorecard to submit on {racecourse}",
            "You have {n} scorecards to submit on {racecourse}",
            params["n"],
        ).format(**params)
