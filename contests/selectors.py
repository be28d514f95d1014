"""Reads for the race: current season, racecourses, windows and deadlines."""

from dataclasses import dataclass
from datetime import datetime

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
        qs = qs.filter(season=season)
    return qs.prefetch_related(
        Prefetch("windows", queryset=StageWindow.objects.order_by("opens_at"))
    )


def racecourse_list_with_counts(*, season: Season) -> QuerySet[Racecourse]:
    """Racecourses of a season with how many ideas each has past the draft."""
    return racecourse_list(season=season).annotate(
        idea_count=Count("ideas", filter=~Q(ideas__stage="draft"), distinct=True),
        challenge_count=Count("challenges", distinct=True),
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


def window_get(*, racecourse: Racecourse, stage: str) -> StageWindow | None:
    # Use the prefetched windows when the caller has them.
    for window in racecourse.windows.all():
        if window.stage == stage:
            return window
    return None


def registration_is_open(
    *, racecourse: Racecourse, when: datetime | None = None
) -> bool:
    """The farm is always open; elsewhere only inside the registration window."""
    if racecourse.is_farm:
        return True
    window = window_get(racecourse=racecourse, stage=WindowStage.REGISTRATION)
    return window is not None and window.is_open(when or timezone.now())


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
