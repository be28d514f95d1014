"""Browser pages of the calendar: the racecourses of a season.

One racecourse's page shows its ideas and is the roof's
(``horserace.core.racecourses``); confirming a screening window decided by a
person is screening's (``voting.screening.views.windows``). ``horserace.urls`` puts all
three under the ``contests`` namespace."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from horserace.common.converters import parse_id

from . import selectors
from .models import Season


@login_required
def racecourse_list(request):
    season_id = parse_id(request.GET.get("season"))
    season = None
    if season_id:
        season = Season.objects.filter(pk=season_id).first()
    season = season or selectors.season_current()
    context = {"season": season, "seasons": selectors.season_list()}
    if season is not None:
        context["racecourses"] = selectors.racecourse_list_with_counts(season=season)
    return render(request, "contests/racecourse_list.html", context)
