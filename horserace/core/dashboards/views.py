"""The season dashboard page: thin, the selectors count."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from contests.models import Season
from contests.selectors import season_current

from . import selectors
from .charts import chart_data


def _id(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number < 2**63 else None


@login_required
def dashboard(request):
    user = request.user
    if not selectors.dashboard_allowed(user=user):
        raise PermissionDenied(_("The dashboard is for HR and racecourse admins."))
    seasons = list(selectors.dashboard_seasons(user=user))
    season_id = _id(request.GET.get("season"))
    if season_id is not None:
        season = get_object_or_404(Season, pk=season_id)
    else:
        current = season_current()
        season = current if current in seasons else (seasons[0] if seasons else None)
    if season is None:
        raise Http404(_("There is no season yet."))
    if not selectors.dashboard_allowed(user=user, season=season):
        raise PermissionDenied(_("This season's dashboard is for HR and its admins."))
    racecourses = selectors.dashboard_racecourses(season=season, user=user)
    racecourse = None
    racecourse_id = _id(request.GET.get("racecourse"))
    if racecourse_id is not None:
        racecourse = next((r for r in racecourses if r.pk == racecourse_id), None)
        if racecourse is None:
            raise Http404(_("No such racecourse on your dashboard."))
    board = selectors.dashboard_get(
        season=season, user=user, racecourse=racecourse, racecourses=racecourses
    )
    return render(
        request,
        "core/dashboard.html",
        {
            "board": board,
            "seasons": seasons,
            "season": season,
            "racecourse": racecourse,
            "chart": chart_data(board),
        },
    )
