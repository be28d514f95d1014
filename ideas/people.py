"""Who is told: the people an idea's notification events are for.

The events modules (``ideas/events.py``, ``ideas/gestation/events.py``...)
choose their recipients with these; the services only say what happened.
Reads only: this module imports the models and the permission check.
"""

from django.contrib.auth import get_user_model

from horserace.common.permissions import can

from .models import Idea, TeamMembership, TrainerAssignment


def team_of(idea: Idea) -> list:
    """The people on the idea's team."""
    return [m.user for m in idea.memberships.select_related("user")]


def captains_of(idea: Idea) -> list:
    """The team's captain (a list, for notification recipients)."""
    return [
        m.user
        for m in idea.memberships.select_related("user").filter(
            role=TeamMembership.Role.CAPTAIN
        )
    ]


def hr_admins() -> list:
    """The active HR admins."""
    return list(get_user_model().objects.filter(is_active=True, is_hr_admin=True))


def managers_of(idea: Idea) -> list:
    """Who decides for the racecourse: its admins, or HR when it has none."""
    admins = list(idea.racecourse.admins.filter(is_active=True))
    if admins:
        return admins
    return hr_admins()


def trainers_of(idea: Idea) -> list:
    """The idea's active trainers."""
    return [
        a.trainer.user
        for a in idea.trainer_assignments.filter(
            status=TrainerAssignment.Status.ACTIVE
        ).select_related("trainer__user")
        if a.trainer is not None  # always, when active: a check constraint
    ]


def moderators_of(idea: Idea) -> list:
    """Who hears of reports: the racecourse's admins, or HR when none of them
    may; only people who may moderate the idea now (who read it: a draft's
    title or a confidential idea unopened is told to nobody else)."""
    admins = [
        user
        for user in idea.racecourse.admins.filter(is_active=True)
        if can(user, "ideas.moderate_idea", idea)
    ]
    if admins:
        return admins
    return [user for user in hr_admins() if can(user, "ideas.moderate_idea", idea)]
