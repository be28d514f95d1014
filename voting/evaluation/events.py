"""Offline evaluation's notification events: the pool, assignments,
conflicts of interest and the panel's decision.

Each event says in its docstring who is told. Titles and names are captured
when the event is sent; the panel's outcome is stored as its code and read in
the reader's language. Registered when ``voting`` is ready.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from horserace.notifications.events import Event, register

from ..models import PanelDecision


@register
class PoolJoined(Event):
    """To the evaluator added to a racecourse's pool. Every send is new."""

    kind = "voting.evaluation.pool_joined"
    params = ("racecourse",)
    subject = _("You are on the evaluation panel of {racecourse}")
    example = {"racecourse": "Main"}


@register
class PoolLeft(Event):
    """To the evaluator taken out of the pool. Every send is new."""

    kind = "voting.evaluation.pool_left"
    params = ("racecourse",)
    subject = _("You are no longer on the evaluation panel of {racecourse}")
    email = False
    example = {"racecourse": "Main"}


@register
class ProjectsAssigned(Event):
    """To an evaluator given ``n`` projects. Every send is new."""

    kind = "voting.evaluation.projects_assigned"
    params = ("n", "racecourse")
    example = {"n": 2, "racecourse": "Main"}

    @classmethod
    def render_subject(cls, params):
        return ngettext(
            "You have {n} new project to evaluate on {racecourse}",
            "You have {n} new projects to evaluate on {racecourse}",
            params["n"],
        ).format(**params)


@register
class ProjectUnassigned(Event):
    """To an evaluator who no longer evaluates a project. Every send is new."""

    kind = "voting.evaluation.project_unassigned"
    params = ("idea",)
    subject = _("You no longer evaluate “{idea}”")
    email = False
    example = {"idea": "Solar roofs"}


@register
class ConflictRecorded(Event):
    """To the evaluator whose conflict HR or an admin recorded."""

    kind = "voting.evaluation.conflict_recorded"
    params = ("conflict", "idea")
    key = ("conflict",)
    subject = _(
        "A conflict of interest with “{idea}” was recorded: you will not evaluate it"
    )
    body = _("If you think this is a mistake, contact HR or the racecourse admin.")
    example = {"conflict": 1, "idea": "Solar roofs"}


@register
class EvaluatorLost(Event):
    """To the racecourse's other admins when a conflict dropped an assignment."""

    kind = "voting.evaluation.evaluator_lost"
    params = ("conflict", "idea")
    key = ("conflict",)
    subject = _("“{idea}” lost an evaluator through a conflict of interest")
    email = False
    example = {"conflict": 1, "idea": "Solar roofs"}


@register
class PanelDecided(Event):
    """To the team (in the app only: the stage change mails the feedback)."""

    kind = "voting.evaluation.panel_decided"
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


@register
class ScorecardsDue(Event):
    """To an active evaluator with scorecards not submitted in an evaluation
    window closing within two days (``voting.reminders``). Once per window and
    person a day."""

    kind = "voting.evaluation.scorecards_due"
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
