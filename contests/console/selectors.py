"""Reads of the season console: who sees what, the timeline and the review."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Case, Prefetch, QuerySet, When
from django.utils import timezone
from django.utils.translation import gettext as _

from horserace.common.permissions import can

from ..models import (
    Racecourse,
    Resource,
    ResourceBudget,
    Rubric,
    Season,
    StageWindow,
    Trainer,
    WindowChange,
    WindowStage,
)
from .schedule import (
    STAGE_ORDER,
    racecourse_promotion_warnings,
    racecourse_schedule_errors,
    stage_label,
)

_CONSOLE_KINDS = (Racecourse.Kind.MAIN, Racecourse.Kind.DEPARTMENT)
_MAIN_FIRST = Case(When(kind=Racecourse.Kind.MAIN, then=0), default=1)


def console_seasons(*, user) -> QuerySet[Season]:
    """The seasons ``user`` sees in the console: all for HR, else those they run."""
    if can(user, "contests.manage_season"):
        return Season.objects.all()
    if not can(user, "contests.view_console"):
        return Season.objects.none()
    return Season.objects.filter(
        racecourses__admins=user, racecourses__kind__in=_CONSOLE_KINDS
    ).distinct()


def console_racecourses(*, season: Season, user) -> QuerySet[Racecourse]:
    """The racecourses of ``season`` on ``user``'s console, main first.

    The Innovation Farm is not on it: it lives on across seasons.
    """
    qs = (
        Racecourse.objects.filter(season=season, kind__in=_CONSOLE_KINDS)
        .select_related("parent", "department", "season")
        .prefetch_related(
            Prefetch(
                "windows",
                queryset=StageWindow.objects.prefetch_related(
                    Prefetch(
                        "changes",
                        queryset=WindowChange.objects.select_related("actor"),
                    )
                ),
            )
        )
        .order_by(_MAIN_FIRST, "name")
    )
    if can(user, "contests.manage_season"):
        return qs
    return qs.filter(admins=user)


def console_window_get(*, pk: int, user) -> StageWindow | None:
    """A window on ``user``'s console, or ``None``."""
    window = (
        StageWindow.objects.select_related("racecourse__season", "racecourse__parent")
        .filter(pk=pk)
        .first()
    )
    if window is None or window.racecourse.kind not in _CONSOLE_KINDS:
        return None
    if can(user, "contests.manage_season") or can(
        user, "contests.manage_racecourse", window.racecourse
    ):
        return window
    return None


def window_changes(*, window: StageWindow) -> QuerySet[WindowChange]:
    """A window's history, oldest first."""
    return WindowChange.objects.filter(window=window).select_related("actor")


# --- The timeline ---------------------------------------------------------------


@dataclass
class Bar:
    """One window on the timeline, placed in percent of the season's span."""

    stage: str
    label: str
    window: StageWindow | None
    left: float = 0.0
    width: float = 0.0
    state: str = "missing"  # missing, planned, open, closed


@dataclass
class TimelineRow:
    racecourse: Racecourse
    bars: list[Bar]
    problems: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


@dataclass
class Timeline:
    start: dt.datetime
    end: dt.datetime
    rows: list[TimelineRow]
    today: float | None
    months: list[tuple[float, dt.date]]


def _percent(when: dt.datetime, start: dt.datetime, span: float) -> float:
    return max(0.0, min(100.0, (when - start).total_seconds() / span * 100))


def _months(start: dt.datetime, end: dt.datetime, span: float):
    marks = []
    day = dt.date(start.year, start.month, 1)
    zone = timezone.get_current_timezone()
    while True:
        month = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
        if month > end:
            break
        if month >= start:
            marks.append((round(_percent(month, start, span), 2), day))
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return marks


#: Stages a promoting racecourse leaves to its parent.
_LATER_STAGES = (WindowStage.GESTATION, WindowStage.EVALUATION)


def season_timeline(
    *, season: Season, racecourses, now: dt.datetime | None = None
) -> Timeline:
    """Bars per racecourse and stage over the season (stretched to fit every window)."""
    now = now or timezone.now()
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(season.starts_on, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(
        season.ends_on + dt.timedelta(days=1), dt.time.min, tzinfo=zone
    )
    racecourses = list(racecourses)
    for racecourse in racecourses:
        for window in racecourse.windows.all():
            start, end = min(start, window.opens_at), max(end, window.closes_at)
    span = max((end - start).total_seconds(), 1.0)
    rows = []
    for racecourse in racecourses:
        by_stage = {w.stage: w for w in racecourse.windows.all()}
        bars = []
        for stage in STAGE_ORDER:
            window = by_stage.get(stage)
            bar = Bar(stage=stage, label=stage_label(stage), window=window)
            if window is not None:
                bar.left = round(_percent(window.opens_at, start, span), 2)
                right = _percent(window.closes_at, start, span)
                bar.width = round(max(right - bar.left, 0.8), 2)
                bar.state = (
                    "open"
                    if window.is_open(now)
                    else "closed"
                    if window.closes_at <= now
                    else "planned"
                )
            bars.append(bar)
        problems = [m for _s, m in racecourse_schedule_errors(racecourse)]
        # A racecourse that promotes its best ideas up runs no later stages.
        promotes = racecourse.parent_id is not None and racecourse.promotion_quota > 0
        missing = [
            bar.stage
            for bar in bars
            if bar.window is None and not (promotes and bar.stage in _LATER_STAGES)
        ]
        rows.append(
            TimelineRow(
                racecourse=racecourse, bars=bars, problems=problems, missing=missing
            )
        )
    today = round(_percent(now, start, span), 2) if start <= now <= end else None
    return Timeline(
        start=start, end=end, rows=rows, today=today, months=_months(start, end, span)
    )


# --- The review -----------------------------------------------------------------

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class ReviewItem:
    level: str
    code: str
    message: str
    racecourse: int | None = None

    @property
    def is_error(self) -> bool:
        return self.level == ERROR


def season_review(
    *, season: Season, now: dt.datetime | None = None
) -> list[ReviewItem]:
    """What stands between ``season`` and its opening: errors, then warnings.

    Errors block opening: no main racecourse, a racecourse missing its
    registration or screening window, a schedule that breaks a rule. The
    rest is worth a look but may be right: no gestation or evaluation window,
    no rubric, no budgets, an empty evaluator or trainer pool, a department
    racecourse that promotes nothing, a window closing in the past.
    """
    now = now or timezone.now()
    items: list[ReviewItem] = []

    def add(level, code, message, racecourse=None):
        items.append(
            ReviewItem(level, code, message, racecourse.pk if racecourse else None)
        )

    racecourses = list(
        Racecourse.objects.filter(season=season, kind__in=_CONSOLE_KINDS)
        .select_related("season", "parent")
        .prefetch_related("windows", "evaluators", "admins")
        .order_by(_MAIN_FIRST, "name")
    )
    if not any(r.kind == Racecourse.Kind.MAIN for r in racecourses):
        add(ERROR, "no_main", _("The season has no main racecourse."))
    rubrics = {
        r.racecourse_id: r
        for r in Rubric.objects.filter(racecourse__season=season).prefetch_related(
            "criteria"
        )
    }
    budgeted = set(
        ResourceBudget.objects.filter(racecourse__season=season).values_list(
            "racecourse_id", flat=True
        )
    )
    for racecourse in racecourses:
        name = racecourse.name
        stages = {w.stage: w for w in racecourse.windows.all()}
        promotes = racecourse.parent_id is not None and racecourse.promotion_quota > 0
        for stage in STAGE_ORDER:
            if stage in stages:
                continue
            needed = stage in (WindowStage.REGISTRATION, WindowStage.SCREENING)
            if not needed and promotes:
                continue  # its ideas go on to the parent racecourse
            add(
                ERROR if needed else WARNING,
                "missing_window",
                _("%(racecourse)s has no %(stage)s window.")
                % {"racecourse": name, "stage": stage_label(stage)},
                racecourse,
            )
        for _stage, message in racecourse_schedule_errors(racecourse):
            add(
                ERROR,
                "schedule",
                _("%(racecourse)s: %(problem)s")
                % {"racecourse": name, "problem": message},
                racecourse,
            )
        for _stage, message in racecourse_promotion_warnings(
            racecourse, children=False
        ):
            add(
                WARNING,
                "late_promotion",
                _("%(racecourse)s: %(problem)s")
                % {"racecourse": name, "problem": message},
                racecourse,
            )
        for window in stages.values():
            if window.closes_at <= now and window.applied_at is None:
                add(
                    WARNING,
                    "past_window",
                    _("%(racecourse)s: %(stage)s closes in the past.")
                    % {"racecourse": name, "stage": window.get_stage_display()},
                    racecourse,
                )
        if racecourse.parent_id is not None and racecourse.promotion_quota == 0:
            add(
                WARNING,
                "no_promotion",
                _("%(racecourse)s promotes no ideas to %(parent)s (quota 0).")
                % {"racecourse": name, "parent": racecourse.parent},
                racecourse,
            )
        if (
            racecourse.kind == Racecourse.Kind.DEPARTMENT
            and not racecourse.admins.all()
        ):
            add(
                WARNING,
                "no_admin",
                _("%(racecourse)s has no racecourse admin.") % {"racecourse": name},
                racecourse,
            )
        if WindowStage.EVALUATION in stages:
            rubric = rubrics.get(racecourse.pk)
            if rubric is None or not rubric.criteria.all():
                add(
                    WARNING,
                    "no_rubric",
                    _("%(racecourse)s has no rubric with criteria for evaluation.")
                    % {"racecourse": name},
                    racecourse,
                )
            if not racecourse.evaluators.all():
                add(
                    WARNING,
                    "no_evaluators",
                    _("%(racecourse)s has an empty evaluator pool.")
                    % {"racecourse": name},
                    racecourse,
                )
        if WindowStage.GESTATION in stages and racecourse.pk not in budgeted:
            add(
                WARNING,
                "no_budgets",
                _("%(racecourse)s has no resource budgets.") % {"racecourse": name},
                racecourse,
            )
    if not Resource.objects.filter(season=season).exists():
        add(WARNING, "no_resources", _("The season's resource catalogue is empty."))
    if not Trainer.objects.filter(season=season, is_active=True).exists():
        add(WARNING, "no_trainers", _("The season's trainer pool is empty."))
    return sorted(items, key=lambda item: not item.is_error)
