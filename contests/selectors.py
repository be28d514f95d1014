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


def window_candidates(*, window: StageWindow, user) -> list[dict]:
    """The ideas a screening window's close decides, with their tallies, best first.

    Each row is ``{"idea", "tally", "percent", "proposed", "visible"}``;
    ``tally`` (and ``percent``, the support rate in whole percent) is
    ``None`` for an idea with no snapshot; ``proposed`` says whether the
    window's proposal passes it; ``visible`` whether ``user`` may see the
    idea itself (a confidential idea is decided on its numbers alone). After the window is applied, the proposal's ideas
    (whatever their stage now) are what is listed.
    """
    from ideas.models import Idea, Stage
    from ideas.selectors import idea_list_visible
    from voting.models import ClosingProposal, Tally

    proposal = ClosingProposal.objects.filter(window=window).first()
    passing = set(proposal.passing) if proposal else set()
    if window.applied_at is None:
        ideas = Idea.objects.filter(racecourse=window.racecourse, stage=Stage.SCREENING)
    else:
        ideas = Idea.objects.filter(tallies__window=window)
    tallies = {t.idea_id: t for t in Tally.objects.filter(window=window)}
    ideas = list(ideas.select_related("registration").order_by("pk"))
    visible = set(
        idea_list_visible(user=user)
        .filter(pk__in=[idea.pk for idea in ideas])
        .values_list("pk", flat=True)
    )
    rows = []
    for idea in ideas:
        tally = tallies.get(idea.pk)
        rows.append(
            {
                "idea": idea,
                "tally": tally,
                "percent": round(tally.support_rate * 100) if tally else None,
                "proposed": idea.pk in passing,
                "visible": idea.pk in visible,
            }
        )

    def order(row):
        rank = row["tally"].rank if row["tally"] is not None else None
        return (rank is None, rank or 0, row["idea"].pk)

    return sorted(rows, key=order)
