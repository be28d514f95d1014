"""What the judging page and the results page share: the round and its state."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from contests import selectors as contest_selectors
from contests.models import Racecourse

from .. import selectors
from ..models import Choice


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
    return int(value) if isinstance(value, str) and value.isdigit() else None


def window_state(window, now) -> str:
    if window is None:
        return "none"
    if now < window.opens_at:
        return "upcoming"
    if now >= window.closes_at:
        return "closed"
    return "open"


def progress_of(user, window) -> dict:
    """The header of the judging page: progress, supports left, countdown."""
    judged, total = selectors.judging_progress(user=user, window=window)
    context = {
        "judged": judged,
        "total": total,
        "percent": round(100 * judged / total) if total else 0,
        "budget": window.support_budget,
    }
    if window.support_budget is not None:
        used = (
            selectors.ballot_list(voter=user, window=window)
            .filter(choice=Choice.SUPPORT)
            .count()
        )
        context["budget_left"] = max(0, window.support_budget - used)
    return context


def base_context(request, racecourse, *, judging: bool = True) -> dict:
    window = selectors.screening_window(racecourse=racecourse)
    now = timezone.now()
    context = {
        "racecourse": racecourse,
        "window": window,
        "now": now,
        "state": window_state(window, now),
        "counts_visible": window is not None
        and selectors.counts_visible(user=request.user, window=window, when=now),
    }
    if judging and context["state"] == "open":
        context["progress"] = progress_of(request.user, window)
        context["in_audience"] = selectors.voter_in_audience(
            user=request.user, racecourse=racecourse
        )
    return context
