"""A live tally on demand: HR or a racecourse admin recounts a round now.

The tally task recounts open rounds every few minutes; a manager who wants
the numbers now calls ``tally_refresh``. Each recount is a full grouped count
of the round's ballots, so refreshes are rate-limited per window (one per
``HORSERACE_TALLY_REFRESH_SECONDS``, 30 s by default) with a cache key that
every process shares when the cache is Redis. A refresh never decides
anything: the close recounts again (``voting.screening.closers``), so the
final tally is exact whatever a refresh wrote just before it. Once the
window's result is applied its tally is final and refreshes are refused.

It sits beside ``closers`` rather than in ``services`` because, like the
closer, it recounts through the window's screening mode
(``voting.screening.modes``), and the modes import ``services``.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from contests.models import StageWindow, WindowStage
from horserace.accounts.models import User
from horserace.common.permissions import can
from voting.screening.modes import mode_for


@dataclass(frozen=True)
class TallyRefresh:
    """What a refresh did: how many ideas, when, and when the next may run."""

    window: int
    ideas: int
    computed_at: datetime
    next_refresh_at: datetime


class TallyRefreshTooSoon(Exception):
    """The window was refreshed less than the interval ago; try at ``available_at``."""

    def __init__(self, available_at: datetime, now: datetime):
        self.available_at = available_at
        self.retry_after = max(1, int((available_at - now).total_seconds() + 0.999))
        super().__init__(
            _("The tally was refreshed moments ago; refresh again in %(n)s s.")
            % {"n": self.retry_after}
        )


def refresh_interval() -> int:
    """Seconds between two refreshes of one window."""
    return int(getattr(settings, "HORSERACE_TALLY_REFRESH_SECONDS", 30))


def _cache_key(window: StageWindow) -> str:
    return f"horserace:tally-refresh:{window.pk}"


def tally_refresh_available_at(*, window: StageWindow) -> datetime | None:
    """When ``window`` may be refreshed again, or ``None`` when it may be now."""
    stamp = cache.get(_cache_key(window))
    if stamp is None:
        return None
    available = datetime.fromtimestamp(float(stamp), tz=UTC)
    return available if available > timezone.now() else None


def tally_refresh(*, window: StageWindow, actor: User) -> TallyRefresh:
    """Recount ``window``'s live tally now, for HR or the racecourse's admins.

    Refused (``PermissionDenied``) for anyone else; refused
    (``ValidationError``) for a window that is not a screening window, has not
    opened, or whose result is applied (its tally is final). A second refresh
    of the same window within the interval raises ``TallyRefreshTooSoon``
    without counting anything.
    """
    if not can(actor, "contests.manage_racecourse", window.racecourse):
        raise PermissionDenied(
            _("Only HR or this racecourse's admins may refresh its tally.")
        )
    now = timezone.now()
    if window.stage != WindowStage.SCREENING:
        raise ValidationError(
            _("Only a screening window has a tally."), code="not_screening"
        )
    if now < window.opens_at:
        raise ValidationError(_("This screening has not opened yet."), code="not_open")
    if window.applied_at is not None:
        raise ValidationError(
            _("This screening has closed and its tally is final."), code="final"
        )

    interval = refresh_interval()
    available_at = now + timedelta(seconds=interval)
    # ``add`` is atomic in every cache backend: of two managers clicking at
    # once, exactly one recounts.
    if interval > 0 and not cache.add(
        _cache_key(window), available_at.timestamp(), timeout=interval
    ):
        raise TallyRefreshTooSoon(
            tally_refresh_available_at(window=window) or available_at, now
        )
    try:
        ideas = mode_for(window).tally(window=window, when=now)
    except BaseException:
        # The recount did not happen: the next click may try again at once.
        cache.delete(_cache_key(window))
        raise
    return TallyRefresh(
        window=window.pk, ideas=ideas, computed_at=now, next_refresh_at=available_at
    )
