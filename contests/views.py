"""Browser pages for the race: racecourses of a season and one racecourse."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from horserace.core.permissions import can
from ideas.models import Stage
from ideas.selectors import idea_list_visible, idea_stage_counts

from . import selectors
from .models import Racecourse, Season


@login_required
def racecourse_list(request):
    season_id = request.GET.get("season")
    season = None
    if season_id and season_id.isdigit():
        season = Season.objects.filter(pk=season_id).first()
    season = season or selectors.season_current()
    context = {"season": season, "seasons": selectors.season_list()}
    if season is not None:
        context["racecourses"] = selectors.racecourse_list_with_counts(season=season)
    return render(request, "contests/racecourse_list.html", context)


@login_required
def racecourse_detail(request, pk: int):
    try:
        racecourse = selectors.racecourse_get(pk=pk)
    except Racecourse.DoesNotExist:
        raise Http404 from None
    stage = request.GET.get("stage", "")
    if stage not in Stage.values:
        stage = ""
    challenge = request.GET.get("challenge", "")
    challenge_id = int(challenge) if challenge.isdigit() else None
    search = request.GET.get("q", "").strip()[:100]

    ideas = idea_list_visible(
        user=request.user,
        racecourse=racecourse,
        stage=stage,
        challenge_id=challenge_id,
        search=search,
    ).exclude(stage=Stage.DRAFT)
    page = Paginator(ideas.order_by("-created_at"), 24).get_page(
        request.GET.get("page")
    )
    stage_counts = idea_stage_counts(user=request.user, racecourse=racecourse)
    context = {
        "racecourse": racecourse,
        "page": page,
        "stage": stage,
        "challenge_id": challenge_id,
        "search": search,
        "stages": [
            (s, s.label, stage_counts.get(s, 0)) for s in Stage if s != Stage.DRAFT
        ],
        "challenges": selectors.challenge_list(racecourse=racecourse),
        "windows": racecourse.windows.all(),
        "now": timezone.now(),
        "registration_open": selectors.registration_is_open(racecourse=racecourse),
        "can_manage": can(request.user, "contests.manage_racecourse", racecourse),
    }
    template = (
        "contests/_idea_list.html" if request.htmx else "contests/racecourse.html"
    )
    return render(request, template, context)
