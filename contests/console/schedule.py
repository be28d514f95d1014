"""The rules a racecourse's stage windows keep, checked before any change.

A racecourse's schedule runs the funnel in order: registration opens no later
than screening, screening no later than gestation, gestation no later than
evaluation. Screening, gestation and evaluation never overlap; registration
may overlap screening (rolling entry: an idea registered while screening is
open joins it). A department racecourse's screening closes before its
parent's does, so its promoted ideas still meet the parent's voters. Every
window closes after it opens and lies inside the season's dates (the farm,
which lives on across seasons, is not held to its season's dates).

``schedule_errors`` answers for a proposed set of times, so a service can
check a move before it saves and the review can check what is saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Racecourse, StageWindow, WindowStage

#: The funnel's order of the stages with windows.
STAGE_ORDER: tuple[str, ...] = (
    WindowStage.REGISTRATION,
    WindowStage.SCREENING,
    WindowStage.GESTATION,
    WindowStage.EVALUATION,
)
#: Stages whose windows may not overlap one another.
EXCLUSIVE: tuple[str, ...] = (
    WindowStage.SCREENING,
    WindowStage.GESTATION,
    WindowStage.EVALUATION,
)


@dataclass(frozen=True)
class Span:
    opens_at: dt.datetime
    closes_at: dt.datetime


def stage_label(stage: str) -> str:
    return str(WindowStage(stage).label)


def spans_of(racecourse: Racecourse) -> dict[str, Span]:
    """The saved windows of ``racecourse`` by stage."""
    return {
        w.stage: Span(w.opens_at, w.closes_at)
        for w in StageWindow.objects.filter(racecourse=racecourse)
    }


def _season_bounds(racecourse: Racecourse) -> tuple[dt.datetime, dt.datetime]:
    """The season's first and last instant, in the site's time zone."""
    zone = timezone.get_default_timezone()
    season = racecourse.season
    start = dt.datetime.combine(season.starts_on, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(
        season.ends_on + dt.timedelta(days=1), dt.time.min, tzinfo=zone
    )
    return start, end


def schedule_errors(
    racecourse: Racecourse,
    spans: Mapping[str, Span],
    *,
    parent_spans: Mapping[str, Span] | None = None,
    child_spans: Mapping[Racecourse, Mapping[str, Span]] | None = None,
) -> list[tuple[str, str]]:
    """Every rule the windows ``spans`` of ``racecourse`` break, as (stage, message).

    ``parent_spans`` are the parent racecourse's windows (a department
    racecourse's screening must close before the parent's); ``child_spans``
    the windows of the racecourses that feed this one.
    """
    errors: list[tuple[str, str]] = []
    for stage in STAGE_ORDER:
        span = spans.get(stage)
        if span is not None and span.closes_at <= span.opens_at:
            errors.append(
                (
                    stage,
                    _("%(stage)s must close after it opens.")
                    % {"stage": stage_label(stage)},
                )
            )
    if not racecourse.is_farm:
        start, end = _season_bounds(racecourse)
        for stage in STAGE_ORDER:
            span = spans.get(stage)
            if span is not None and (span.opens_at < start or span.closes_at > end):
                errors.append(
                    (
                        stage,
                        _("%(stage)s must lie inside the season's dates.")
                        % {"stage": stage_label(stage)},
                    )
                )
    present = [stage for stage in STAGE_ORDER if stage in spans]
    for earlier, later in zip(present, present[1:], strict=False):
        if spans[later].opens_at < spans[earlier].opens_at:
            errors.append(
                (
                    later,
                    _("%(later)s may not open before %(earlier)s opens.")
                    % {"later": stage_label(later), "earlier": stage_label(earlier)},
                )
            )
    exclusive = [stage for stage in EXCLUSIVE if stage in spans]
    for i, earlier in enumerate(exclusive):
        for later in exclusive[i + 1 :]:
            a, b = spans[earlier], spans[later]
            if a.opens_at < b.closes_at and b.opens_at < a.closes_at:
                errors.append(
                    (
                        later,
                        _("%(later)s may not overlap %(earlier)s.")
                        % {
                            "later": stage_label(later),
                            "earlier": stage_label(earlier),
                        },
                    )
                )
    screening = spans.get(WindowStage.SCREENING)
    parent_screening = (parent_spans or {}).get(WindowStage.SCREENING)
    if (
        screening
        and parent_screening
        and (screening.closes_at >= parent_screening.closes_at)
    ):
        errors.append(
            (
                WindowStage.SCREENING,
                _(
                    "A department racecourse's screening must close before the "
                    "screening of %(parent)s closes, so its best ideas can be "
                    "promoted into it."
                )
                % {"parent": racecourse.parent},
            )
        )
    for child, spans_of_child in (child_spans or {}).items():
        child_screening = spans_of_child.get(WindowStage.SCREENING)
        if (
            screening
            and child_screening
            and (child_screening.closes_at >= screening.closes_at)
        ):
            errors.append(
                (
                    WindowStage.SCREENING,
                    _(
                        "The screening of %(child)s closes at or after this one: "
                        "this screening must close later, so its promoted ideas "
                        "can join it."
                    )
                    % {"child": child},
                )
            )
    return errors


def racecourse_schedule_errors(
    racecourse: Racecourse,
    spans: Mapping[str, Span] | None = None,
    *,
    children: bool = True,
) -> list[tuple[str, str]]:
    """``schedule_errors`` for ``racecourse`` with its saved neighbours.

    ``spans`` replaces the racecourse's own saved windows (a proposed change).
    ``children=False`` leaves out the racecourses feeding this one (a review
    of every racecourse reports a clash once, on the department's side).
    """
    if spans is None:
        spans = spans_of(racecourse)
    parent = racecourse.parent
    parent_spans = spans_of(parent) if parent is not None else None
    child_spans = (
        {
            child: spans_of(child)
            for child in Racecourse.objects.filter(parent=racecourse).select_related(
                "season"
            )
        }
        if children
        else None
    )
    return schedule_errors(
        racecourse, spans, parent_spans=parent_spans, child_spans=child_spans
    )
