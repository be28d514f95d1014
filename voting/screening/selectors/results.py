"""Whether counts may be seen, the round's results, and rounds to tally."""

from datetime import datetime

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from contests.models import StageWindow, WindowStage
from horserace.common.permissions import can
from ideas.models import Idea, Stage
from voting.models import Ballot, Impression, Tally
from voting.screening.selectors.rounds import when_or_now


def counts_visible(*, user, window: StageWindow, when: datetime | None = None) -> bool:
    """Whether ``user`` may see the round's counts and ranking at ``when``.

    HR and the racecourse's admins always (``voting.view_live_counts``);
    everyone else once the window has closed, or at any time when the window
    does not hide its counts.
    """
    if not user.is_authenticated:
        return False
    if can(user, "voting.view_live_counts", window):
        return True
    return not window.hide_counts or when_or_now(when) >= window.closes_at


def screening_story(*, idea: Idea, user) -> list[dict]:
    """The idea's screening rounds as ``user`` may see them, for its page.

    One entry per round it was judged in (its department racecourse's and,
    once promoted, the parent's), oldest first, each with its tally
    snapshot when the counts are visible to ``user``, and whether ``user``
    may read its voters' reasons (``voting.see_feedback``, once applied).
    """
    tallies = (
        Tally.objects.filter(idea=idea)
        .select_related("window__racecourse")
        .order_by("window__closes_at")
    )
    field_sizes = dict(
        Tally.objects.filter(window__in=[t.window_id for t in tallies])
        .values("window")
        .annotate(n=Count("pk"))
        .values_list("window", "n")
    )
    feedback = bool(tallies) and can(user, "voting.see_feedback", idea)
    return [
        {
            "window": tally.window,
            # The team may read voters' reasons once the round is applied.
            "feedback": feedback and tally.window.applied_at is not None,
            "racecourse": tally.window.racecourse,
            "closed": tally.window.closes_at <= timezone.now(),
            "tally": tally if counts_visible(user=user, window=tally.window) else None,
            "field": field_sizes.get(tally.window_id, 0),
        }
        for tally in tallies
    ]


def leaderboard(*, window: StageWindow) -> QuerySet[Tally]:
    """The round's tally snapshots, best rank first, with their ideas."""
    return (
        Tally.objects.filter(window=window)
        .select_related("idea__registration__season", "idea__racecourse")
        .order_by(F("rank").asc(nulls_last=True), "idea_id")
    )


def windows_to_tally(*, when: datetime | None = None) -> QuerySet[StageWindow]:
    """Screening windows whose snapshots need computing at ``when``.

    Every window open now; and every closed window with a snapshot older than
    its close, or with none at all while it has ballots, impressions or ideas
    still in screening (the final tally after the close). Once a closed
    window's snapshots postdate its close it drops out, so the query stays
    small and a second run finds nothing to do.
    """
    when = when_or_now(when)
    window = OuterRef("pk")
    stale = Tally.objects.filter(window=window, computed_at__lt=OuterRef("closes_at"))
    needs_first = (
        Exists(Ballot.objects.filter(window=window))
        | Exists(Impression.objects.filter(window=window))
        | Exists(
            Idea.objects.filter(
                racecourse_id=OuterRef("racecourse_id"), stage=Stage.SCREENING
            )
        )
    ) & ~Exists(Tally.objects.filter(window=window))
    return (
        StageWindow.objects.filter(stage=WindowStage.SCREENING, opens_at__lte=when)
        .filter(Q(closes_at__gt=when) | Exists(stale) | needs_first)
        .select_related("racecourse")
        .order_by("closes_at", "pk")
    )
