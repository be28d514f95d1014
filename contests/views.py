"""Browser pages for the race: racecourses of a season, one racecourse, and
the confirmation of a screening window decided by a person."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from horserace.common.converters import parse_id
from horserace.common.permissions import can
from ideas.models import Stage
from ideas.selectors import idea_list_visible, idea_stage_counts
from ideas.selectors.gestation import gestation_progress_list
from voting.selectors import voter_in_audience

from . import selectors
from .models import Racecourse, Season, StageWindow, WindowStage
from .services import window_apply, window_confirm
from .services.closing import promotes


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
    paginator = Paginator(ideas.order_by("-created_at"), 24)
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


@login_required
def window_confirm_page(request, pk: int):
    """HR or a racecourse admin decides a closed "decided by a person" window.

    GET shows the proposal: every idea in screening with its tally, ticked as
    the rule proposes. POST ``action=propose`` computes the proposal (if the
    minute task has not yet); POST ``action=confirm`` applies the ticked list.
    """
    window = get_object_or_404(selectors.stage_window_list(), pk=pk)
    if not can(request.user, "contests.manage_racecourse", window.racecourse):
        raise PermissionDenied
    if (
        window.stage != WindowStage.SCREENING
        or window.rule != StageWindow.Rule.MANUAL
        or promotes(window.racecourse)
    ):
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action")
        passing = [
            int(v)
            for v in request.POST.getlist("passing")
            if v.isascii() and v.isdigit()
        ]
        try:
            if action == "propose":
                window_apply(window=window, actor=request.user)
            elif action == "confirm":
                outcome = window_confirm(
                    window=window, actor=request.user, passing=passing
                )
                messages.success(
                    request,
                    _("Decision applied: %(passed)s to gestation, %(out)s eliminated.")
                    % {
                        "passed": len(outcome["passed"]),
                        "out": len(outcome["eliminated"]),
                    },
                )
                return redirect(window.racecourse)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect("contests:window_confirm", pk=window.pk)

    window = selectors.stage_window_get(pk=window.pk)
    now = timezone.now()
    context = {
        "window": window,
        "racecourse": window.racecourse,
        "proposal": getattr(window, "proposal", None),
        "rows": selectors.window_candidates(window=window, user=request.user),
        "closed": window.closes_at <= now,
        "now": now,
    }
    return render(request, "contests/window_confirm.html", context)
