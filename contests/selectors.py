"""Reads for the race: current season, racecourses, windows and deadlines."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from horserace.common.permissions import can

from .models import Challenge, Racecourse, Season, StageWindow, WindowStage


def season_current() -> Season | None:
    """The open season, or else the most recent one."""
    return (
        Season.objects.filter(status=Season.Status.OPEN).first()
        or Season.objects.exclude(status=Season.Status.PLANNED).first()
        or Season.objects.first()
    )


def season_list() -> QuerySet[Season]:
    return Season.objects.all()


def racecourse_list(*, season: Season | None = None) -> QuerySet[Racecourse]:
    qs = Racecourse.objects.select_related("season", "parent", "department")
    if season is not None:
        # The Innovation Farm lives on across seasons: it belongs to the season
        # it was made in, and it is on the list of every season since.
        qs = qs.filter(
            Q(season=season)
            | Q(kind=Racecourse.Kind.FARM, season__starts_on__lte=season.starts_on)
        )
    return qs.prefetch_related(
        Prefetch("windows", queryset=StageWindow.objects.order_by("opens_at"))
    )


def racecourse_list_with_counts(*, season: Season) -> QuerySet[Racecourse]:
    """Racecourses of a season with how many ideas each has past the draft."""
    return racecourse_list(season=season).annotate(
        idea_count=Count("ideas", filter=~Q(ideas__stage="draft"), distinct=True),
        challenge_count=Count("challenges", distinct=True),
    )


def farm_current() -> Racecourse | None:
    """The Innovation Farm that is running: the one made in the latest season.

    The farm lives on across seasons (season copy does not copy it), so there
    is usually one; after a new farm is made, ideas go to the new one.
    """
    return (
        Racecourse.objects.filter(kind=Racecourse.Kind.FARM)
        .select_related("season")
        .order_by("-season__starts_on", "-pk")
        .first()
    )


def racecourse_get(*, pk: int) -> Racecourse:
    return racecourse_list().get(pk=pk)


def challenge_list(
    *, season: Season | None = None, racecourse: Racecourse | None = None
) -> QuerySet[Challenge]:
    qs = Challenge.objects.select_related("racecourse", "sponsor")
    if season is not None:
        qs = qs.filter(racecourse__season=season)
    if racecourse is not None:
        qs = qs.filter(racecourse=racecourse)
    return qs


def window_get(
    *, racecourse: Racecourse, stage: str, when: datetime | None = None
) -> StageWindow | None:
    """The racecourse's window of ``stage``: on the farm, its current round.

    A racecourse has one window per stage, but the Innovation Farm's screening
    recurs (``StageWindow.round``). A round opens only once the one before has
    closed (``contests.farm``), so the current round is the last one: the
    highest number. The ballot's one query (``voting.screening.selectors.
    ballots._judging_sql``) joins the same window. Uses the prefetched
    windows when the caller has them. (``when`` is accepted for callers that
    know the time; the answer does not depend on it.)
    """
    windows = [w for w in racecourse.windows.all() if w.stage == stage]
    if len(windows) <= 1:
        return windows[0] if windows else None
    return round_current(windows)


def round_current(windows: list[StageWindow]) -> StageWindow:
    """Of several rounds of one stage, the current one: the last opened."""
    return max(windows, key=lambda w: (w.round, w.opens_at))


def screening_round_taking_entries(
    *, racecourse: Racecourse, when: datetime | None = None
) -> StageWindow | None:
    """The screening window a newly registered idea joins at once, or None.

    Rolling entry: while a racecourse's screening is open, an idea registered
    there joins it at once. On the farm, not in a round's last
    ``round_entry_cutoff_days``: an idea planted then waits for the next round,
    so that it is judged for long enough.
    """
    when = when or timezone.now()
    window = window_get(racecourse=racecourse, stage=WindowStage.SCREENING, when=when)
    if window is None or not window.is_open(when) or window.applied_at is not None:
        return None
    if racecourse.is_farm and when >= entries_close_at(racecourse, window):
        return None
    return window


def entries_close_at(racecourse: Racecourse, window: StageWindow) -> datetime:
    """When a farm round stops taking new ideas (its last days go to the next)."""
    cutoff = window.closes_at - timedelta(days=racecourse.round_entry_cutoff_days)
    return max(cutoff, window.opens_at)


def screening_next_opening(
    *, racecourse: Racecourse, when: datetime | None = None
) -> datetime | None:
    """When a registered idea that waits will enter online screening, if known.

    On a season's racecourse: when its registration window closes (its
    closer moves the registered ideas in). On the farm: when the current
    round's last days are over, the next round opens as this one closes;
    before the first round, when it opens. None when nothing is ahead.
    """
    when = when or timezone.now()
    screening = window_get(
        racecourse=racecourse, stage=WindowStage.SCREENING, when=when
    )
    if racecourse.is_farm:
        if screening is None:
            return None
        if when < screening.opens_at:
            return screening.opens_at
        return max(screening.closes_at, when)
    registration = window_get(racecourse=racecourse, stage=WindowStage.REGISTRATION)
    if registration is not None and registration.applied_at is None:
        return registration.closes_at
    if screening is not None and when < screening.opens_at:
        return screening.opens_at
    return None


def registration_is_open(
    *, racecourse: Racecourse, when: datetime | None = None
) -> bool:
    """The farm is always open; elsewhere only inside the registration window,
    and only until the racecourse's online screening is over (its rule applied).

    Registration may outlast screening (HR closed screening early, or the
    schedule lets registration close later): an idea registered then would
    enter, at registration's close, a round that is over, judged by nobody.
    """
    if racecourse.is_farm:
        return True
    when = when or timezone.now()
    window = window_get(racecourse=racecourse, stage=WindowStage.REGISTRATION)
    if window is None or not window.is_open(when):
        return False
    screening = window_get(racecourse=racecourse, stage=WindowStage.SCREENING)
    return screening is None or screening.applied_at is None


def deadlines_upcoming(
    *, season: Season, when: datetime | None = None, limit: int = 5
) -> list[StageWindow]:
    """Windows of the season that are open now, soonest close first."""
    when = when or timezone.now()
    return list(
        StageWindow.objects.filter(racecourse__season=season)
        .open_at(when)
        .select_related("racecourse")
        .order_by("closes_at")[:limit]
    )


def stage_window_list() -> QuerySet[StageWindow]:
    """Every stage window with its racecourse and (if any) closing proposal."""
    return StageWindow.objects.select_related(
        "racecourse", "proposal__confirmed_by"
    ).order_by("opens_at", "pk")


def stage_window_get(*, pk: int) -> StageWindow:
    return stage_window_list().get(pk=pk)


@dataclass(frozen=True)
class ManagedRacecourses:
    """Which racecourses a user manages, asked once per request."""

    everything: bool
    ids: frozenset[int]

    def manages(self, racecourse_id: int) -> bool:
        return self.everything or racecourse_id in self.ids


def racecourses_managed(*, user) -> ManagedRacecourses:
    """HR manages every racecourse; a racecourse admin, the ones they run.

    The same answer as the ``contests.manage_racecourse`` rule, for many
    racecourses in two queries at most.
    """
    if not user.is_authenticated:
        return ManagedRacecourses(everything=False, ids=frozenset())
    if can(user, "contests.manage_season"):
        return ManagedRacecourses(everything=True, ids=frozenset())
    ids = (
        user.administered_racecourses.values_list("pk", flat=True)
        if user.is_active
        else []
    )
    return ManagedRacecourses(everything=False, ids=frozenset(ids))
