"""One racecourse's page: its ideas by stage, challenges, windows and progress.

It gathers every floor (the calendar, the ideas, who may judge), so it lives
on the roof; its URL is in the ``contests`` namespace (``horserace.urls``).
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from contests import selectors
from contests.models import Racecourse
from horserace.common.converters import parse_id
from horserace.common.permissions import can
from ideas.gestation.selectors.progress import gestation_progress_list
from ideas.models import Stage
from ideas.selectors import idea_list_visible, idea_stage_counts
from voting.screening.selectors.rounds import voter_in_audience

# A page of the racecourse's ideas: on a phone, 20 cards is a long enough list.
IDEAS_PER_PAGE = 20


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
    challenge_id = parse_id(challenge)
    search = request.GET.get("q", "").strip()[:100]

    ideas = idea_list_visible(
        user=request.user,
        racecourse=racecourse,
        stage=stage,
        challenge_id=challenge_id,
        search=search,
    ).exclude(stage=Stage.DRAFT)
    stage_counts = idea_stage_counts(user=request.user, racecourse=racecourse)
    paginator = Paginator(ideas.order_by("-created_at", "-pk"), IDEAS_PER_PAGE)
    if challenge_id is None and not search:
        # Filtered by stage at most: the stage counts say how many ideas the
        # list holds (the same visible ideas, drafts left out); no COUNT query.
        paginator.count = (
            stage_counts.get(stage, 0) if stage else sum(stage_counts.values())
        )
    page = paginator.get_page(request.GET.get("page"))
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
        "may_judge": voter_in_audience(user=request.user, racecourse=racecourse),
    }
    if not request.htmx and stage_counts.get(Stage.GESTATION):
        # Gestation progress: one query, only when projects are gestating.
        context["gestating"] = gestation_progress_list(
            user=request.user, racecourse=racecourse
        )
    template = (
        "contests/_idea_list.html" if request.htmx else "contests/racecourse.html"
    )
    return render(request, template, context)
