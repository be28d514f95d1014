"""The voter's judging queue: its ideas, their order and the voter's progress."""

import hashlib

from django.db.models import (
    CharField,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import MD5, Cast, Concat

from contests.models import StageWindow, WindowStage
from ideas.models import Idea, Stage, TeamMembership
from ideas.visibility import visible_q

from ..models import Ballot, Tally
from .rounds import voter_in_audience


def _shuffle_seed(*, voter_id: int, window_id: int) -> str:
    return f"horserace-queue:{voter_id}:{window_id}:"


def shuffle_position(*, voter_id: int, window_id: int, idea_id: int) -> str:
    """The idea's sort key in the voter's order (the value SQL computes)."""
    seed = _shuffle_seed(voter_id=voter_id, window_id=window_id)
    return hashlib.md5(f"{seed}{idea_id}".encode(), usedforsecurity=False).hexdigest()


def _judgeable(*, user, window: StageWindow) -> QuerySet[Idea]:
    """Ideas ``user`` may judge in ``window``, unordered and bare."""
    if (
        window.stage != WindowStage.SCREENING
        or not user.is_authenticated
        or not voter_in_audience(user=user, racecourse=window.racecourse)
    ):
        return Idea.objects.none()
    return (
        Idea.objects.filter(racecourse_id=window.racecourse_id, stage=Stage.SCREENING)
        .filter(pk__in=Idea.objects.filter(visible_q(user)).values("pk"))
        .exclude(pk__in=TeamMembership.objects.filter(user=user).values("idea_id"))
    )


def _queue_annotations(*, user, window: StageWindow) -> dict:
    """``my_choice`` (the voter's ballot) and ``shuffle`` (the voter's order)."""
    seed = _shuffle_seed(voter_id=user.pk or 0, window_id=window.pk)
    my_ballots = Ballot.objects.filter(voter=user, window=window, idea=OuterRef("pk"))
    return {
        "my_choice": Subquery(my_ballots.values("choice")[:1]),
        "shuffle": MD5(Concat(Value(seed), Cast("pk", CharField()))),
    }


def judging_queue(*, user, window: StageWindow) -> QuerySet[Idea]:
    """Every idea ``user`` may judge in ``window``, in the voter's own order.

    The order is random but stable per voter and round: ideas are sorted by
    the MD5 of (voter, window, idea), computed in SQL, so every idea gets a
    fair share of first looks and a reload shows the same order.
    Each idea carries ``my_choice`` (the voter's ballot, or None) and its team
    prefetched; judged ideas are included, ``.filter(my_choice__isnull=True)``
    leaves the ones still to judge. Empty when the voter is outside the
    racecourse's audience.
    """
    return (
        _judgeable(user=user, window=window)
        .select_related("racecourse", "challenge", "author", "registration")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=TeamMembership.objects.select_related("user"),
            )
        )
        .annotate(**_queue_annotations(user=user, window=window))
        .order_by("shuffle", "pk")
    )


def judging_order(*, user, window: StageWindow) -> list[tuple[int, str | None]]:
    """``judging_queue`` as ``(idea id, my_choice)`` pairs, in one query.

    The same ideas in the same order, without loading them: pages pick the
    ideas they show from it and read only those (``queue_ideas``), and count
    the voter's progress from it (``order_progress``).
    """
    return list(
        _judgeable(user=user, window=window)
        .annotate(**_queue_annotations(user=user, window=window))
        .order_by("shuffle", "pk")
        .values_list("pk", "my_choice")
    )


def order_progress(order: list[tuple[int, str | None]]) -> tuple[int, int]:
    """``judging_progress`` worked out from a ``judging_order`` already read."""
    return (sum(1 for _pk, choice in order if choice is not None), len(order))


def judging_progress(*, user, window: StageWindow) -> tuple[int, int]:
    """``(judged, total)``: how much of the voter's queue they have judged."""
    mine = Ballot.objects.filter(voter=user, window=window, idea=OuterRef("pk"))
    counts = _judgeable(user=user, window=window).aggregate(
        total=Count("pk"), judged=Count("pk", filter=Q(Exists(mine)))
    )
    return (counts["judged"] or 0, counts["total"] or 0)


def queue_ideas(*, window: StageWindow, pks, team: bool = False) -> dict[int, Idea]:
    """Ideas of the round by id, with what a card or a list row shows.

    For ids just read from ``judging_order``, which decided who may judge
    them; only the round and the stage are checked again. ``team`` prefetches
    the team with its people (the card lists them). ``my_choice`` is not set:
    the caller has it from the order.
    """
    ideas = (
        Idea.objects.filter(
            pk__in=pks, racecourse_id=window.racecourse_id, stage=Stage.SCREENING
        )
        .select_related(
            "racecourse__department", "challenge", "author", "registration__season"
        )
        .defer("registration__content")
    )
    if team:
        ideas = ideas.prefetch_related(
            Prefetch(
                "memberships",
                queryset=TeamMembership.objects.select_related("user"),
            )
        )
    return {idea.pk: idea for idea in ideas}


def ballots_of(*, voter, window: StageWindow, idea_ids) -> dict[int, Ballot]:
    """The voter's ballots in ``window`` on ``idea_ids``, by idea id."""
    return {
        ballot.idea_id: ballot
        for ballot in Ballot.objects.filter(
            voter=voter, window=window, idea_id__in=idea_ids
        )
    }


def tallies_of(*, window: StageWindow, idea_ids) -> dict[int, Tally]:
    """The round's latest tally snapshots of ``idea_ids``, by idea id."""
    return {
        tally.idea_id: tally
        for tally in Tally.objects.filter(window=window, idea_id__in=idea_ids)
    }
