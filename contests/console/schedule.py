"""The rules a racecourse's stage windows keep, checked before any change.

A racecourse's schedule runs the funnel in order: registration opens no later
than screening, screening no later than gestation, gestation no later than
evaluation. Screening overlaps neither gestation nor evaluation; registration
may overlap screening (rolling entry: an idea registered while screening is
open joins it), and evaluation may overlap gestation (a team that hands in
its proposal early meets the panel early) but closes after it. Every window
closes after it opens and lies inside the season's dates (the farm, which
lives on across seasons, is not held to its season's dates).

A department racecourse whose screening closes after its parent's is not
broken, but its promoted ideas then skip the parent's vote and go straight
to gestation: ``promotion_warnings`` says so, and the review shows it.

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
#: Pairs of stages whose windows may not overlap.
EXCLUSIVE: tuple[tuple[str, str], ...] = (
    (WindowStage.SCREENING, WindowStage.GESTATION),
    (WindowStage.SCREENING, WindowStage.EVALUATION),
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
    racecourse: Racecourse, spans: Mapping[str, Span]
) -> list[tuple[str, str]]:
    """Every rule the windows ``spans`` of ``racecourse`` break, as (stage, message)."""
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
    for earlier, later in EXCLUSIVE:
        if earlier not in spans or later not in spans:
            continue
        a, b = spans[earlier], spans[later]
        if a.opens_at < b.closes_at and b.opens_at < a.closes_at:
            errors.append(
                (
                    later,
                    _("%(later)s may not overlap %(earlier)s.")
                    % {"later": stage_label(later), "earlier": stage_label(earlier)},
                )
            )
    gestation = spans.get(WindowStage.GESTATION)
    evaluation = spans.get(WindowStage.EVALUATION)
    if gestation and evaluation and evaluation.closes_at < gestation.closes_at:
        errors.append(
            (
                WindowStage.EVALUATION,
                _("%(later)s may not close before %(earlier)s closes.")
                % {
                    "later": stage_label(WindowStage.EVALUATION),
                    "earlier": stage_label(WindowStage.GESTATION),
                },
            )
        )
    return errors


def promotion_warnings(
    racecourse: Racecourse,
    spans: Mapping[str, Span],
    *,
    parent_spans: Mapping[str, Span] | None = None,
    child_spans: Mapping[Racecourse, Mapping[str, Span]] | None = None,
) -> list[tuple[str, str]]:
    """Screenings that close too late for the parent's vote, as (stage, message).

    A department's best ideas are promoted when its screening closes; if the
    parent's screening has closed by then, they go straight to its gestation.
    """
    warnings: list[tuple[str, str]] = []
    screening = spans.get(WindowStage.SCREENING)
    parent_screening = (parent_spans or {}).get(WindowStage.SCREENING)
    if (
        screening
        and parent_screening
        and (screening.closes_at >= parent_screening.closes_at)
    ):
        warnings.append(
            (
                WindowStage.SCREENING,
                _(
                    "This screening closes after the screening of %(parent)s: "
                    "its promoted ideas will skip that vote and go straight "
                    "to gestation."
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
            warnings.append(
                (
                    WindowStage.SCREENING,
                    _(
                        "The screening of %(child)s closes at or after this one: "
                        "its promoted ideas will skip this vote and go straight "
                        "to gestation."
                    )
                    % {"child": child},
                )
            )
    return warnings


def racecourse_schedule_errors(
    racecourse: Racecourse, spans: Mapping[str, Span] | None = None
) -> list[tuple[str, str]]:
    """``schedule_errors`` for ``racecourse``; ``spans`` replaces its saved
    windows (a proposed change)."""
    return schedule_errors(racecourse, spans_of(racecourse) if spans is None else spans)


def racecourse_promotion_warnings(
    racecourse: Racecourse, *, children: bool = True
) -> list[tuple[str, str]]:
    """``promotion_warnings`` for ``racecourse`` with its saved neighbours.

    ``children=False`` leaves out the racecourses feeding this one (a review
    of every racecourse reports a clash once, on the department's side).
    """
    parent = racecourse.parent
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
    return promotion_warnings(
        racecourse,
        spans_of(racecourse),
        parent_spans=spans_of(parent) if parent is not None else None,
        child_spans=child_spans,
    )
