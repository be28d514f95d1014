"""Writes of the season console: every one HR's (or a script's with HR's token).

Each service checks who may, validates, writes and records in one
transaction. Windows change only here (and at a close, in
``contests.closing``); every change leaves a ``WindowChange`` row. A season's
status moves through ``contests.lifecycles`` (the one door).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from horserace.common.permissions import can

from .. import lifecycles
from ..closing import CloseOutcome, closer_for, window_apply
from ..models import (
    Challenge,
    Criterion,
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
from .schedule import STAGE_ORDER, Span, racecourse_schedule_errors, spans_of
from .selectors import season_review

if TYPE_CHECKING:
    from horserace.accounts.models import Department, User

#: A window closed early whose stage has no closer (evaluation): it just ends.
CLOSED = "closed"

#: Fields a copy never takes over: identity, owner, timestamps, what ran.
_NOT_COPIED = {"id", "created_at", "updated_at", "applied_at"}


def check_can_manage_season(actor: User | None) -> None:
    if actor is None or not can(actor, "contests.manage_season"):
        raise PermissionDenied(_("Only HR may set up seasons and move their windows."))


def _fields(instance, *, skip: Iterable[str] = ()) -> dict[str, Any]:
    """The concrete field values of ``instance``, for a copy."""
    skipped = _NOT_COPIED | set(skip)
    return {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if f.name not in skipped and f.attname not in skipped
    }


def _check_dates(starts_on: dt.date, ends_on: dt.date) -> None:
    if ends_on < starts_on:
        raise ValidationError(
            {"ends_on": _("A season must end on or after the day it starts.")}
        )


def _main_racecourse_create(season: Season) -> Racecourse:
    return Racecourse.objects.create(
        season=season,
        name=_("Main racecourse"),
        slug="main",
        kind=Racecourse.Kind.MAIN,
    )


@transaction.atomic
def season_create(
    *,
    name: str,
    year: int,
    starts_on: dt.date,
    ends_on: dt.date,
    teams_per_person: int = 3,
    actor: User,
) -> Season:
    """A new, planned season with its main racecourse (and no windows yet)."""
    check_can_manage_season(actor)
    _check_dates(starts_on, ends_on)
    season = Season(
        name=name,
        year=year,
        starts_on=starts_on,
        ends_on=ends_on,
        teams_per_person=teams_per_person,
    )
    season.full_clean()
    season.save()
    _main_racecourse_create(season)
    return season


#: What ``season_update`` may change.
SEASON_FIELDS = ("name", "year", "starts_on", "ends_on", "teams_per_person")


@transaction.atomic
def season_update(*, season: Season, actor: User, **changes: Any) -> Season:
    """Change a season's name, year, dates or team limit (HR only)."""
    check_can_manage_season(actor)
    unknown = set(changes) - set(SEASON_FIELDS)
    if unknown:
        raise ValueError(f"season_update cannot change {sorted(unknown)}")
    season = Season.objects.select_for_update().get(pk=season.pk)
    for name, value in changes.items():
        setattr(season, name, value)
    _check_dates(season.starts_on, season.ends_on)
    season.full_clean()
    season.save(update_fields=[*changes, "updated_at"])
    return season


def _add_years(when, years: int):
    """``when`` moved by whole calendar years (29 February becomes the 28th)."""
    try:
        return when.replace(year=when.year + years)
    except ValueError:
        return when.replace(year=when.year + years, day=28)


def shifter(*, years: int = 0, days: int | None = None):
    """A function that moves a date or datetime by ``days``, else by ``years``."""
    if days is not None:
        delta = dt.timedelta(days=days)
        return lambda when: when + delta
    if isinstance(years, int) and years:
        return lambda when: _add_years(when, years)
    return lambda when: when


def _change_record(
    window: StageWindow,
    *,
    kind: str,
    actor: User | None,
    reason: str = "",
    old: Span | None = None,
    when: dt.datetime | None = None,
) -> WindowChange:
    return WindowChange.objects.create(
        window=window,
        actor=actor,
        kind=kind,
        old_opens_at=old.opens_at if old else None,
        old_closes_at=old.closes_at if old else None,
        new_opens_at=window.opens_at,
        new_closes_at=window.closes_at,
        reason=reason,
        at=when or timezone.now(),
    )


def _windows_copy(
    source: Racecourse,
    target: Racecourse,
    *,
    shift,
    actor: User | None,
    reason: str,
    replace: dict[str, Span] | None = None,
    stages: Iterable[str] = STAGE_ORDER,
) -> list[StageWindow]:
    made = []
    for window in source.windows.filter(stage__in=list(stages)):
        values = _fields(window, skip=("racecourse",))
        span = (replace or {}).get(window.stage)
        if span is not None:
            values["opens_at"], values["closes_at"] = span.opens_at, span.closes_at
        else:
            values["opens_at"] = shift(window.opens_at)
            values["closes_at"] = shift(window.closes_at)
        copy = StageWindow.objects.create(racecourse=target, **values)
        _change_record(copy, kind=WindowChange.Kind.CREATED, actor=actor, reason=reason)
        made.append(copy)
    return made


def _rubric_copy(source: Racecourse, target: Racecourse) -> None:
    rubric = Rubric.objects.filter(racecourse=source).first()
    if rubric is None:
        return
    copy = Rubric.objects.create(
        racecourse=target, **_fields(rubric, skip=("racecourse",))
    )
    Criterion.objects.bulk_create(
        Criterion(rubric=copy, **_fields(c, skip=("rubric",)))
        for c in rubric.criteria.all()
    )


@transaction.atomic
def season_copy(
    *,
    source: Season,
    name: str,
    year: int,
    shift: int | None = None,
    actor: User,
) -> Season:
    """A new planned season set up like ``source``, its calendar moved on.

    ``shift`` is a number of days; ``None`` moves everything by
    ``year - source.year`` calendar years. The copy takes the racecourses
    (main and department ones, with parents, departments, admins, evaluator
    pool and every setting) and their windows, closing rules, rubrics and
    budgets; the resource catalogue; the open challenges; the trainer pool.
    Not the Innovation Farm: it lives on across seasons. Nothing that ran
    (applied closes, ideas, ballots) is copied.
    """
    check_can_manage_season(actor)
    move = shifter(years=year - source.year, days=shift)
    season = Season(
        name=name,
        year=year,
        starts_on=move(source.starts_on),
        ends_on=move(source.ends_on),
        teams_per_person=source.teams_per_person,
    )
    season.full_clean()
    season.save()
    reason = _("Copied from %(season)s.") % {"season": source.name}

    racecourses = list(
        source.racecourses.exclude(kind=Racecourse.Kind.FARM).order_by("pk")
    )
    copies: dict[int, Racecourse] = {}
    for racecourse in racecourses:
        copies[racecourse.pk] = Racecourse.objects.create(
            season=season, **_fields(racecourse, skip=("season", "parent"))
        )
    for racecourse in racecourses:
        copy = copies[racecourse.pk]
        if racecourse.parent_id in copies:
            copy.parent = copies[racecourse.parent_id]
            copy.save(update_fields=["parent"])
        copy.admins.set(racecourse.admins.all())
        copy.evaluators.set(racecourse.evaluators.all())
        _windows_copy(racecourse, copy, shift=move, actor=actor, reason=reason)
        _rubric_copy(racecourse, copy)
        Challenge.objects.bulk_create(
            Challenge(racecourse=copy, **_fields(c, skip=("racecourse",)))
            for c in racecourse.challenges.filter(is_open=True)
        )

    resources = {}
    for resource in source.resources.all():
        resources[resource.pk] = Resource.objects.create(
            season=season, **_fields(resource, skip=("season",))
        )
    ResourceBudget.objects.bulk_create(
        ResourceBudget(
            resource=resources[budget.resource_id],
            racecourse=copies[budget.racecourse_id],
            amount=budget.amount,
        )
        for budget in ResourceBudget.objects.filter(
            resource__season=source, racecourse_id__in=copies
        )
    )
    Trainer.objects.bulk_create(
        Trainer(season=season, **_fields(t, skip=("season",)))
        for t in source.trainers.all()
    )
    if not Racecourse.objects.filter(season=season, kind=Racecourse.Kind.MAIN).exists():
        _main_racecourse_create(season)
    return season


def main_racecourse(season: Season) -> Racecourse:
    main = Racecourse.objects.filter(season=season, kind=Racecourse.Kind.MAIN).first()
    if main is None:
        raise ValidationError(_("This season has no main racecourse."))
    return main


def _unique_slug(season: Season, base: str) -> str:
    base = (slugify(base) or "department")[:70]
    taken = set(Racecourse.objects.filter(season=season).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _fed_screening(template: Racecourse, main: Racecourse) -> dict[str, Span]:
    """Windows taken from the main racecourse: its screening, closing halfway.

    A department's screening must close before the main one does, so the
    ideas it promotes still meet the main racecourse's voters.
    """
    if template.pk != main.pk:
        return {}
    screening = template.windows.filter(stage=WindowStage.SCREENING).first()
    if screening is None:
        return {}
    middle = screening.opens_at + (screening.closes_at - screening.opens_at) / 2
    return {WindowStage.SCREENING: Span(screening.opens_at, middle)}


@transaction.atomic
def department_racecourses_add(
    *,
    season: Season,
    departments: Iterable[Department],
    promotion_quota: int,
    template: Racecourse | None = None,
    actor: User,
) -> list[Racecourse]:
    """One racecourse per department, each feeding the main racecourse.

    Windows and settings come from ``template`` (a racecourse of the season),
    or from the main racecourse, whose screening the department's then
    closes halfway through (see ``_fed_screening``). A racecourse that
    promotes (quota above 0) takes registration and screening only: its best
    ideas go on to the main racecourse's later stages. Refuses a department
    that already has a racecourse in the season.
    """
    check_can_manage_season(actor)
    departments = list(departments)
    if not departments:
        raise ValidationError({"departments": _("Choose at least one department.")})
    main = main_racecourse(season)
    template = template or main
    if template.season_id != season.pk or template.is_farm:
        raise ValidationError(
            {"template": _("The template must be a racecourse of this season.")}
        )
    taken = Racecourse.objects.filter(
        season=season, department__in=departments
    ).select_related("department")
    if taken:
        raise ValidationError(
            {
                "departments": _("Already has a racecourse in this season: %(names)s.")
                % {"names": ", ".join(str(r.department) for r in taken)}
            }
        )
    reason = _("Set up from %(racecourse)s.") % {"racecourse": template.name}
    replace = _fed_screening(template, main)
    stages = (
        (WindowStage.REGISTRATION, WindowStage.SCREENING)
        if promotion_quota > 0
        else STAGE_ORDER
    )
    made = []
    for department in departments:
        racecourse = Racecourse.objects.create(
            season=season,
            name=department.name,
            slug=_unique_slug(season, department.code or department.name),
            kind=Racecourse.Kind.DEPARTMENT,
            parent=main,
            department=department,
            promotion_quota=promotion_quota,
            team_size_limit=template.team_size_limit,
            evaluators_per_project=template.evaluators_per_project,
            max_projects_per_evaluator=template.max_projects_per_evaluator,
            conflict_same_department=template.conflict_same_department,
            conflict_manager_depth=template.conflict_manager_depth,
            blind_evaluation=template.blind_evaluation,
        )
        _windows_copy(
            template,
            racecourse,
            shift=shifter(),
            actor=actor,
            reason=reason,
            replace=replace,
            stages=stages,
        )
        _check_schedule(racecourse)
        made.append(racecourse)
    return made


def _check_schedule(racecourse: Racecourse, spans: dict[str, Span] | None = None):
    errors = racecourse_schedule_errors(racecourse, spans)
    if errors:
        raise ValidationError([message for _stage, message in errors])


def _check_reason(season: Season, reason: str) -> str:
    reason = (reason or "").strip()
    if not reason and season.status != Season.Status.PLANNED:
        raise ValidationError(
            {"reason": _("Say why: this season is under way and people rely on it.")}
        )
    return reason


def _window_lock(window: StageWindow) -> StageWindow:
    return (
        StageWindow.objects.select_for_update(of=("self",))
        .select_related("racecourse__season", "racecourse__parent")
        .get(pk=window.pk)
    )


@transaction.atomic
def window_create(
    *,
    racecourse: Racecourse,
    stage: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    actor: User,
    reason: str = "",
    **settings: Any,
) -> StageWindow:
    """Add ``racecourse``'s missing window for ``stage`` (HR only).

    ``settings`` are the window's closing rule fields (``rule``, ``top_k``,
    ``threshold_rate``…), checked like the model's constraints.
    """
    check_can_manage_season(actor)
    racecourse = Racecourse.objects.select_related("season", "parent").get(
        pk=racecourse.pk
    )
    reason = _check_reason(racecourse.season, reason)
    if stage not in STAGE_ORDER:
        raise ValidationError({"stage": _("Choose a stage.")})
    window = StageWindow(
        racecourse=racecourse,
        stage=stage,
        opens_at=opens_at,
        closes_at=closes_at,
        **settings,
    )
    window.full_clean()
    spans = {**spans_of(racecourse), stage: Span(opens_at, closes_at)}
    _check_schedule(racecourse, spans)
    window.save()
    _change_record(window, kind=WindowChange.Kind.CREATED, actor=actor, reason=reason)
    return window


def _move_check(window: StageWindow, new: Span, reason: str) -> tuple[Span, str]:
    """Refuse a move ``window`` may not make; return its old span and the reason."""
    season = window.racecourse.season
    reason = _check_reason(season, reason)
    old = Span(window.opens_at, window.closes_at)
    if new == old:
        return old, reason
    if window.applied_at is not None:
        raise ValidationError(_("This window's closing rule has run: it cannot move."))
    if season.status != Season.Status.PLANNED and new.closes_at <= timezone.now():
        raise ValidationError(
            {
                "closes_at": _(
                    "A window cannot be moved to close in the past; close it early "
                    "instead."
                )
            }
        )
    spans = {**spans_of(window.racecourse), window.stage: new}
    _check_schedule(window.racecourse, spans)
    return old, reason


def window_move_check(
    *,
    window: StageWindow,
    actor: User,
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
    reason: str = "",
) -> None:
    """Raise what ``window_move`` would refuse, changing nothing (a preview)."""
    check_can_manage_season(actor)
    window = StageWindow.objects.select_related(
        "racecourse__season", "racecourse__parent"
    ).get(pk=window.pk)
    _move_check(
        window,
        Span(opens_at or window.opens_at, closes_at or window.closes_at),
        reason,
    )


@transaction.atomic
def window_move(
    *,
    window: StageWindow,
    actor: User,
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
    reason: str = "",
) -> WindowChange | None:
    """Move ``window`` to new times, HR's decision, recorded with its reason.

    A reason is required once the season is no longer planned. A window whose
    rule has run cannot move, and a move cannot put its close in the past
    (closing early is ``window_close_early``). Returns the change row, or
    ``None`` when the times are those the window already has.
    """
    check_can_manage_season(actor)
    locked = _window_lock(window)
    new = Span(opens_at or locked.opens_at, closes_at or locked.closes_at)
    old, reason = _move_check(locked, new, reason)
    if new == old:
        return None
    locked.opens_at, locked.closes_at = new.opens_at, new.closes_at
    locked.save(update_fields=["opens_at", "closes_at", "updated_at"])
    window.opens_at, window.closes_at = new.opens_at, new.closes_at
    return _change_record(
        locked, kind=WindowChange.Kind.MOVED, actor=actor, reason=reason, old=old
    )


@transaction.atomic
def window_close_early(
    *, window: StageWindow, actor: User, reason: str = ""
) -> dict[str, Any]:
    """Close an open window now and apply its closing rule at once.

    HR's decision, recorded with its reason. The rule runs through
    ``contests.closing.window_apply`` (the one door), in this transaction;
    a stage with no closer (evaluation) just ends. Returns the close's
    outcome (``status`` ``applied``, ``proposed`` or ``closed``).
    """
    check_can_manage_season(actor)
    locked = _window_lock(window)
    reason = _check_reason(locked.racecourse.season, reason)
    now = timezone.now()
    if not locked.is_open(now):
        raise ValidationError(_("Only an open window can be closed early."))
    old = Span(locked.opens_at, locked.closes_at)
    spans = {**spans_of(locked.racecourse), locked.stage: Span(old.opens_at, now)}
    _check_schedule(locked.racecourse, spans)
    locked.closes_at = now
    locked.save(update_fields=["closes_at", "updated_at"])
    window.closes_at = now
    _change_record(
        locked,
        kind=WindowChange.Kind.CLOSED_EARLY,
        actor=actor,
        reason=reason,
        old=old,
        when=now,
    )
    if closer_for(locked.stage) is None:
        return CloseOutcome(window=locked.pk, status=CLOSED).as_dict()
    return window_apply(window=locked, when=now, actor=actor)


@transaction.atomic
def season_open(*, season: Season, actor: User, reason: str = "") -> Season:
    """Open a planned season, unless its review finds errors (HR only)."""
    check_can_manage_season(actor)
    locked = Season.objects.select_for_update().get(pk=season.pk)
    errors = [item.message for item in season_review(season=locked) if item.is_error]
    if errors and locked.status == Season.Status.PLANNED:
        raise ValidationError(errors)
    lifecycles.move(locked, "open", actor=actor, reason=reason)
    season.refresh_from_db(fields=["status", "updated_at"])
    return locked
