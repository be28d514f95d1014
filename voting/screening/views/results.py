"""The results page and its CSV: the round's standings from tally snapshots."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from horserace.common.permissions import can
from ideas.models import Idea, Stage
from ideas.selectors import idea_list_visible
from voting.screening import exports
from voting.screening.refresh import TallyRefreshTooSoon, tally_refresh
from voting.screening.selectors.results import counts_visible, leaderboard
from voting.screening.selectors.rounds import screening_window
from voting.screening.views.common import base_context, racecourse_or_404


def _outcome(idea: Idea, racecourse, closed: bool) -> str:
    """What the close did to an idea: passed, eliminated, moved up, pending…"""
    if idea.racecourse_id != racecourse.pk:
        return "promoted"
    if idea.stage == Stage.ELIMINATED:
        return "eliminated"
    if idea.stage in (Stage.WITHDRAWN, Stage.MERGED):
        return idea.stage
    if idea.stage == Stage.SCREENING:
        return "pending" if closed else ""
    return "passed"


def _result_rows(request, racecourse, window, closed: bool):
    tallies = list(
        leaderboard(window=window).select_related("idea__registration__season")
    )
    visible = set(
        idea_list_visible(user=request.user)
        .filter(pk__in=[t.idea_id for t in tallies])
        .values_list("pk", flat=True)
    )
    rows = []
    for tally in tallies:
        rows.append(
            {
                "tally": tally,
                "idea": tally.idea,
                "visible": tally.idea_id in visible,
                "outcome": _outcome(tally.idea, racecourse, closed),
                "lower_pct": round(100 * tally.wilson_lower, 1),
                "upper_pct": round(100 * tally.wilson_upper, 1),
                "rate_pct": round(100 * tally.support_rate, 1),
                "width_pct": round(100 * (tally.wilson_upper - tally.wilson_lower), 1),
            }
        )
    return rows


def _reference_line(window) -> tuple[float, str] | None:
    """The support rate the closing rule turns on, for the chart."""
    if window.rule == window.Rule.THRESHOLD and window.threshold_rate is not None:
        return float(window.threshold_rate), _("Threshold")
    if window.rule == window.Rule.VOTED_DOWN:
        return 0.5, _("More opposes than supports below this line")
    return None


@login_required
def results(request, racecourse_id: int):
    """The round's leaderboard from tally snapshots, once counts are visible."""
    racecourse = racecourse_or_404(racecourse_id)
    context = base_context(request, racecourse, judging=False)
    window = context["window"]
    if window is None or not context["counts_visible"]:
        return render(request, "voting/results.html", context)
    closed = context["state"] == "closed"
    context["can_refresh"] = (
        context["state"] != "upcoming"
        and window.applied_at is None
        and can(request.user, "contests.manage_racecourse", racecourse)
    )
    rows = _result_rows(request, racecourse, window, closed)
    reference = _reference_line(window)
    context |= {
        "rows": rows,
        "closed": closed,
        "computed_at": max((r["tally"].computed_at for r in rows), default=None),
        "ballots_total": sum(r["tally"].voters for r in rows),
        "chart": {
            "labels": [f"#{r['tally'].rank or '–'}" for r in rows],
            "titles": [
                r["idea"].title if r["visible"] else _("A confidential idea")
                for r in rows
            ],
            "rate": [r["rate_pct"] for r in rows],
            "interval": [[r["lower_pct"], r["upper_pct"]] for r in rows],
            "voters": [r["tally"].voters for r in rows],
            "reference": round(100 * reference[0], 1) if reference else None,
            "reference_label": reference[1] if reference else "",
            "labels_text": {
                # xgettext:no-python-format
                "interval": _("95% confidence interval"),
                "rate": _("Support rate"),
                "axis": _("Support rate (%)"),
                "voters": _("voters"),
            },
        },
    }
    return render(request, "voting/results.html", context)


@login_required
@require_POST
def results_refresh(request, racecourse_id: int):
    """HR or a racecourse admin recounts the live tally now, then sees it."""
    racecourse = racecourse_or_404(racecourse_id)
    window = screening_window(racecourse=racecourse)
    if window is None:
        raise Http404
    try:
        result = tally_refresh(window=window, actor=request.user)
    except TallyRefreshTooSoon as error:
        messages.warning(
            request,
            _(
                "The tally was refreshed moments ago. You can refresh it again "
                "at %(time)s."
            )
            % {"time": date_format(localtime(error.available_at), "H:i:s")},
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            ngettext(
                "Tally refreshed: %(n)s idea recounted.",
                "Tally refreshed: %(n)s ideas recounted.",
                result.ideas,
            )
            % {"n": result.ideas},
        )
    return redirect("voting:results", racecourse_id=racecourse.pk)


@login_required
def results_csv(request, racecourse_id: int):
    """The leaderboard as CSV: standings only, no voter, no team."""
    racecourse = racecourse_or_404(racecourse_id)
    window = screening_window(racecourse=racecourse)
    if window is None or not counts_visible(user=request.user, window=window):
        messages.info(request, _("The results are not published yet."))
        return redirect("voting:results", racecourse_id=racecourse.pk)
    rows = _result_rows(request, racecourse, window, closed=False)
    tallies = []
    for row in rows:
        if not row["visible"]:
            row["idea"].title = _("A confidential idea")
        tallies.append(row["tally"])
    return exports.leaderboard_csv_response(racecourse=racecourse, tallies=tallies)
