"""Screening test state, built the way the platform builds it.

Rounds are screening ``StageWindow`` rows; ideas reach screening through the
funnel (``tests.factories.idea_in_stage``); ballots are cast through
``voting.screening.services``.
"""

import datetime as dt

from django.utils import timezone

from contests.models import Racecourse, WindowStage
from ideas.models import Stage
from tests.factories import (
    DepartmentFactory,
    RacecourseFactory,
    StageWindowFactory,
    UserFactory,
    idea_in_stage,
    open_racecourse,
)


def screening_round(*, racecourse=None, **fields):
    """A screening window open from a day ago to a week from now.

    On ``racecourse``, or on a new main racecourse whose registration is open.
    """
    racecourse = racecourse or open_racecourse()
    return StageWindowFactory(
        racecourse=racecourse, stage=WindowStage.SCREENING, **fields
    )


def department_racecourse(*, department=None, **fields):
    """A department racecourse with its registration window open."""
    department = department or DepartmentFactory()
    racecourse = RacecourseFactory(
        kind=Racecourse.Kind.DEPARTMENT, department=department, **fields
    )
    StageWindowFactory(racecourse=racecourse, stage=WindowStage.REGISTRATION)
    return racecourse


def screening_idea(window, **fields):
    """An idea in online screening on the window's racecourse."""
    return idea_in_stage(Stage.SCREENING, racecourse=window.racecourse, **fields)


def voters(n: int, **fields) -> list:
    return [UserFactory(**fields) for _ in range(n)]


def during(window, minutes: int = 1):
    """A moment inside the window."""
    return window.opens_at + dt.timedelta(minutes=minutes)


def after(window, seconds: int = 1):
    """A moment just after the window closes."""
    return window.closes_at + dt.timedelta(seconds=seconds)


def before(window, seconds: int = 1):
    return window.opens_at - dt.timedelta(seconds=seconds)


def closed_round(**fields):
    """A screening window that closed an hour ago (opened ten days ago)."""
    now = timezone.now()
    return screening_round(
        opens_at=now - dt.timedelta(days=10),
        closes_at=now - dt.timedelta(hours=1),
        **fields,
    )


def waiting_idea(window, **fields):
    """A registered idea on the window's racecourse that is not in its screening.

    Registered while the screening had not yet opened (an idea registered
    while it is open joins it at once: rolling entry), the way an idea waits
    for the registration window's close.
    """
    from contests.models import StageWindow

    opens_at = window.opens_at
    StageWindow.objects.filter(pk=window.pk).update(
        opens_at=timezone.now() + dt.timedelta(hours=1)
    )
    try:
        return idea_in_stage(Stage.REGISTERED, racecourse=window.racecourse, **fields)
    finally:
        StageWindow.objects.filter(pk=window.pk).update(opens_at=opens_at)
