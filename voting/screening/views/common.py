"""What the judging page and the results page share: the round and its state."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from contests import selectors as contest_selectors
from contests.models import Racecourse
from horserace.common.converters import parse_id
from voting.screening.selectors.ballots import supports_used
from voting.screening.selectors.queue import (
    judging_order,
    judging_progress,
    order_progress,
)
from voting.screening.selectors.results import counts_visible
from voting.screening.selectors.rounds import screening_window, voter_in_audience


def racecourse_or_404(pk: int) -> Racecourse:
    try:
        return contest_selectors.racecourse_get(pk=pk)
    except Racecourse.DoesNotExist:
        raise Http404 from None


def refusal_messages(error: Exception) -> list[str]:
    if isinstance(error, ValidationError):
        return list(error.messages)
    return [str(error) or _("You may not judge this idea.")]


def judge_url(racecourse: Racecourse, **params) -> str:
    url = reverse("voting:judge", args=[racecourse.pk])
    params = {k: v for k, v in params.items() if v}
    return f"{url}?{urlencode(params)}" if params else url


def int_or_none(value) -> int | None:
    return parse_id(value)


def window_state(window, now) -> str:
    if window is None:
        return "none"
    if now < window.opens_at:
        return "upcoming"
    if now >= window.closes_at:
        return "closed"
    return "open"


def idea_urls():
    """``reverse("ideas:detail")`` for many ideas: reversed once, then filled in.

    Returns a function of the idea's id; for pages that link every idea of a list.
    """
    marker = "987654321"
    prefix, suffix = reverse("ideas:detail", args=[marker]).split(marker)
    return lambda pk: f"{prefix}{pk}{suffix}"


def progress_of(user, window, order=None) -> dict:
    """The header of the judging page: progress, supports left, countdown.

    ``order`` is the voter's ``judging_order`` when the caller has read it.
    """
    if order is None:
        judged, total = judging_progress(user=user, window=window)
    else:
        judged, total = order_progress(order)
    context = {
        "judged": judged,
        "total": total,
        "percent": round(100 * judged / total) if total else 0,
        "budget": window.support_budget,
    }
    if window.support_budget is not None:
        used = supports_used(voter=user, window=window)
        context["budget_left"] = max(0, window.support_budget - used)
    return context


def base_context(request, racecourse, *, judging: bool = True) -> dict:
    """The round and its state; on the judging page also the voter's queue.

    ``queue_order`` is the voter's ``judging_order`` (read once per request:
    the progress, the card and the list all come from it).
    """
    window = screening_window(racecourse=racecourse)
    now = timezone.now()
    context = {
        "racecourse": racecourse,
        "window": window,
        "now": now,
        "state": window_state(window, now),
        "counts_visible": window is not None
        and counts_visible(user=request.user, window=window, when=now),
    }
    if judging:
        # Reversed once for the page: every row of the list posts to them.
        context["cast_url"] = reverse("voting:cast", args=[racecourse.pk])
        context["withdraw_url"] = reverse("voting:withdraw", args=[racecourse.pk])
    if judging and window is not None and context["state"] == "open":
        order = judging_order(user=request.user, window=window)
        context["queue_order"] = order
        context["progress"] = progress_of(request.user, window, order)
        context["in_audience"] = voter_in_audience(
            user=request.user, racecourse=racecourse
        )
    return context
