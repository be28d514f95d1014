"""The season console's pages: thin, the services decide and refuse.

HR sees and does everything; a racecourse admin reads the console of the
seasons they run, for their own racecourses (timeline, history, review) and
changes nothing here. Everyone else gets a 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from horserace.common.pages import apply_service_errors
from horserace.common.permissions import can

from ..models import Racecourse, Season, StageWindow
from . import selectors, services
from .forms import (
    CloseEarlyForm,
    DepartmentRacecoursesForm,
    SeasonCreateForm,
    SeasonUpdateForm,
    WindowCreateForm,
    WindowTimesForm,
)
from .schedule import STAGE_ORDER


def _check_hr(user) -> None:
    if not can(user, "contests.manage_season"):
        raise PermissionDenied(_("Only HR may change the season's set-up."))


def _season_for(user, pk: int) -> Season:
    season = get_object_or_404(Season, pk=pk)
    if not can(user, "contests.view_console", season):
        raise PermissionDenied(_("This season's console is for HR and its admins."))
    return season


def _window_for(user, pk: int) -> StageWindow:
    window = selectors.console_window_get(pk=pk, user=user)
    if window is None:
        get_object_or_404(StageWindow, pk=pk)
        raise PermissionDenied(_("This window's console is for HR and its admins."))
    return window


def _timeline_url(season: Season) -> str:
    return reverse("console:season", args=[season.pk])


def _reason_required(season: Season) -> bool:
    return season.status != Season.Status.PLANNED


@login_required
def index(request):
    if not can(request.user, "contests.view_console"):
        raise PermissionDenied(_("The season console is for HR and racecourse admins."))
    seasons = selectors.console_seasons(user=request.user)
    return render(
        request,
        "contests/console/index.html",
        {"seasons": seasons, "is_hr": can(request.user, "contests.manage_season")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def season_new(request):
    _check_hr(request.user)
    form = SeasonCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["start"] == SeasonCreateForm.COPY:
                season = services.season_copy(
                    source=data["source"],
                    name=data["name"],
                    year=data["year"],
                    shift=data.get("shift_days"),
                    actor=request.user,
                )
            else:
                season = services.season_create(
                    name=data["name"],
                    year=data["year"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    teams_per_person=data.get("teams_per_person") or 3,
                    actor=request.user,
                )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The season is planned: check its windows."))
            return redirect(_timeline_url(season))
    return render(
        request,
        "contests/console/form.html",
        {
            "form": form,
            "title": _("New season"),
            "intro": _(
                "Copy last season to keep its racecourses, rules, rubrics, "
                "budgets and trainers, or start from scratch. The new season "
                "is planned until you review and open it."
            ),
            "submit": _("Create the season"),
            "back": reverse("console:index"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def season_edit(request, pk: int):
    _check_hr(request.user)
    season = get_object_or_404(Season, pk=pk)
    initial = {name: getattr(season, name) for name in services.SEASON_FIELDS}
    form = SeasonUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.season_update(
                season=season, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(_timeline_url(season))
    return render(
        request,
        "contests/console/form.html",
        {
            "form": form,
            "season": season,
            "title": _("Edit season"),
            "submit": _("Save"),
            "back": _timeline_url(season),
        },
    )


@login_required
def season_timeline(request, pk: int):
    season = _season_for(request.user, pk)
    racecourses = selectors.console_racecourses(season=season, user=request.user)
    timeline = selectors.season_timeline(season=season, racecourses=racecourses)
    return render(
        request,
        "contests/console/timeline.html",
        {
            "season": season,
            "timeline": timeline,
            "is_hr": can(request.user, "contests.manage_season"),
            "now": timezone.now(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def department_racecourses(request, pk: int):
    _check_hr(request.user)
    season = get_object_or_404(Season, pk=pk)
    form = DepartmentRacecoursesForm(request.POST or None, season=season)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.department_racecourses_add(
                season=season,
                departments=data["departments"],
                promotion_quota=data["promotion_quota"],
                template=data.get("template"),
                actor=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d department racecourse added.",
                    "%(count)d department racecourses added.",
                    len(made),
                )
                % {"count": len(made)},
            )
            return redirect(_timeline_url(season))
    return render(
        request,
        "contests/console/form.html",
        {
            "form": form,
            "season": season,
            "title": _("Add department racecourses"),
            "intro": _(
                "Each chosen department gets a racecourse that feeds the main "
                "racecourse: at the close of its screening, its best ideas move up."
            ),
            "submit": _("Add racecourses"),
            "back": _timeline_url(season),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def window_add(request, pk: int):
    _check_hr(request.user)
    racecourse = get_object_or_404(Racecourse.objects.select_related("season"), pk=pk)
    season = racecourse.season
    present = set(racecourse.windows.values_list("stage", flat=True))
    missing = [s for s in STAGE_ORDER if s not in present]
    form = WindowCreateForm(
        request.POST or None,
        missing=missing,
        reason_required=_reason_required(season),
        initial={"stage": request.GET.get("stage")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.window_create(
                racecourse=racecourse,
                stage=data["stage"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                reason=data.get("reason", ""),
                actor=request.user,
                **form.settings(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The window is added."))
            return redirect(_timeline_url(season))
    return render(
        request,
        "contests/console/form.html",
        {
            "form": form,
            "season": season,
            "title": _("Add a window to %(racecourse)s") % {"racecourse": racecourse},
            "submit": _("Add the window"),
            "back": _timeline_url(season),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def window_move(request, pk: int):
    """Two steps: the new times and a reason, then a confirmation of old → new."""
    _check_hr(request.user)
    window = _window_for(request.user, pk)
    season = window.racecourse.season
    form = WindowTimesForm(
        request.POST or None,
        reason_required=_reason_required(season),
        initial={"opens_at": window.opens_at, "closes_at": window.closes_at},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        times = {
            "opens_at": data["opens_at"],
            "closes_at": data["closes_at"],
            "reason": data.get("reason", ""),
        }
        try:
            if request.POST.get("confirmed") == "yes":
                services.window_move(window=window, actor=request.user, **times)
            else:
                services.window_move_check(window=window, actor=request.user, **times)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if request.POST.get("confirmed") == "yes":
                messages.success(request, _("The window is moved."))
                return redirect(_timeline_url(season))
            return render(
                request,
                "contests/console/window_confirm.html",
                {"window": window, "season": season, "form": form, "new": times},
            )
    return render(
        request,
        "contests/console/form.html",
        {
            "form": form,
            "season": season,
            "window": window,
            "title": _("Move %(window)s") % {"window": window},
            "intro": _(
                "HR's decision: you will see the change once more before it is "
                "made. It is recorded in the window's history."
            ),
            "submit": _("Continue"),
            "back": _timeline_url(season),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def window_close_early(request, pk: int):
    """A confirmation page: closing now applies the window's rule at once."""
    _check_hr(request.user)
    window = _window_for(request.user, pk)
    season = window.racecourse.season
    form = CloseEarlyForm(
        request.POST or None, reason_required=_reason_required(season)
    )
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.window_close_early(
                window=window, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if outcome["status"] == "proposed":
                messages.info(
                    request,
                    _("The window is closed; its proposal waits for a decision."),
                )
                return redirect("contests:window_confirm", pk=window.pk)
            messages.success(request, _("The window is closed and its rule applied."))
            return redirect(_timeline_url(season))
    return render(
        request,
        "contests/console/close_early.html",
        {"window": window, "season": season, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def season_review(request, pk: int):
    season = _season_for(request.user, pk)
    items = selectors.season_review(season=season)
    if request.method == "POST":
        _check_hr(request.user)
        try:
            services.season_open(season=season, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The season is open."))
            return redirect(_timeline_url(season))
    errors = [item for item in items if item.is_error]
    return render(
        request,
        "contests/console/review.html",
        {
            "season": season,
            "errors": errors,
            "warnings": [item for item in items if not item.is_error],
            "can_open": season.status == Season.Status.PLANNED and not errors,
            "is_hr": can(request.user, "contests.manage_season"),
        },
    )
