"""The voter's judging queue: its ideas, their order and the voter's progress.

The order balances exposure: ideas other voters have seen less in this
round come first, in bands of about one binomial standard deviation
(``exposure_band``: ideas whose impression counts differ by less than the
noise of random order are tied), and within a band in the voter's own random
order (``shuffle``, the MD5 of voter, round and idea). Pure hash order gives
every idea the same chance of a first look, but by the binomial spread some
ideas get ~1.7 times the looks of others over 2,000 voters; the bands bring
that to ~1.2 (``tests/voting/test_fairness_exposure.py``).

A late entrant (an idea that joined the round after it opened: rolling entry,
``ideas.services.rounds``) comes before every band while it has been seen
less than the average idea of the voter's queue (``catching_up``), so it
reaches the others' count before the close; the bands alone would leave it
up to a band's width (2√n) behind
(``tests/voting/screening/test_rolling_entry_simulation.py``). The impression count is the round's
tally snapshot plus the impressions recorded since it, read in the same
query through the (window, idea, created_at) index: a few index probes per
idea, and no query more."""

import datetime
import hashlib
import math

from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import (
    MD5,
    Cast,
    Coalesce,
    Concat,
    Floor,
    Greatest,
    Sqrt,
)

from contests.models import StageWindow, WindowStage
from ideas.models import Idea, Stage, StageTransition, TeamMembership
from ideas.visibility import visible_q
from voting.models import Ballot, Impression, Tally
from voting.screening.selectors.rounds import voter_in_audience


def _shuffle_seed(*, voter_id: int, window_id: int) -> str:
    return f"horserace-queue:{voter_id}:{window_id}:"


def shuffle_position(*, voter_id: int, window_id: int, idea_id: int) -> str:
    """The idea's sort key in the voter's order (the value SQL computes)."""
    seed = _shuffle_seed(voter_id=voter_id, window_id=window_id)
    return hashlib.md5(f"{seed}{idea_id}".encode(), usedforsecurity=False).hexdigest()


def exposure_band(impressions: int) -> int:
    """The band of an idea seen ``impressions`` times by others (as SQL computes).

    ⌊√n⌋: a band spans about 2√n impressions, the binomial noise of n looks,
    so the order moves an idea back only once it is clearly ahead.
    """
    return math.isqrt(impressions)


#: An idea that joins the round this long after it opened entered late (the
#: registration close and the farm's sweep move ideas in a minute or so late).
LATE_AFTER = datetime.timedelta(hours=1)


def queue_key(
    *,
    voter_id: int,
    window_id: int,
    idea_id: int,
    impressions: int,
    catching_up: bool = False,
) -> tuple[int, int, str, int]:
    """The idea's place in the voter's queue, as the SQL ``order_by`` sorts.

    ``catching_up``: the idea entered late and has been seen less than the
    average idea of the queue.
    """
    return (
        0 if catching_up else 1,
        exposure_band(impressions),
        shuffle_position(voter_id=voter_id, window_id=window_id, idea_id=idea_id),
        idea_id,
    )


def _exposure(*, user, window: StageWindow):
    """The idea's impressions in ``window`` by voters other than ``user``, now.

    The tally snapshot's count (refreshed every few minutes) plus the
    impressions recorded since that snapshot was taken (with no snapshot yet,
    all of them), less the voter's own: seeing a card does not move it in the
    voter's own queue, so a reload shows the same card. Impressions written
    while the snapshot was counted may count twice: harmless for an order.
    """
    # order_by(): a tally's default order joins its window, racecourse and
    # season, for every idea; there is one snapshot per idea and round.
    tally = Tally.objects.filter(window=window, idea=OuterRef("pk")).order_by()
    # Used inside the impressions' subquery: the idea is two levels out.
    snapshot = Tally.objects.filter(
        window=window, idea=OuterRef(OuterRef("pk"))
    ).order_by()
    since = Coalesce(
        Subquery(snapshot.values("computed_at")[:1]),
        Value(datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)),
    )
    recent = (
        Impression.objects.filter(
            window=window, idea=OuterRef("pk"), created_at__gte=since
        )
        .order_by()
        .values("idea")
        .annotate(n=Count("*"))
        .values("n")
    )
    mine = Impression.objects.filter(
        window=window, idea=OuterRef("pk"), voter_id=user.pk
    )
    total = (
        Coalesce(Subquery(tally.values("impressions")[:1]), 0)
        + Coalesce(Subquery(recent), 0)
        - Cast(Exists(mine), IntegerField())
    )
    return Greatest(total, 0)


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


def _joined_late(window: StageWindow):
    """Did the idea enter screening after the round had been open a while?"""
    return Exists(
        StageTransition.objects.filter(
            idea=OuterRef("pk"),
            to_stage=Stage.SCREENING,
            created_at__gt=window.opens_at + LATE_AFTER,
        )
    )


def _queue_annotations(*, user, window: StageWindow) -> dict:
    """``my_choice`` (the voter's ballot), ``exposure`` (the idea's impressions
    in the round) and ``late`` (it joined the round late)."""
    my_ballots = Ballot.objects.filter(voter=user, window=window, idea=OuterRef("pk"))
    return {
        "my_choice": Subquery(my_ballots.values("choice")[:1]),
        "exposure": _exposure(user=user, window=window),
        "late": _joined_late(window),
    }


def _order_annotations(*, user, window: StageWindow) -> dict:
    """``catching_up``, ``band`` and ``shuffle``: the voter's order
    (``queue_key``) in SQL."""
    seed = _shuffle_seed(voter_id=user.pk or 0, window_id=window.pk)
    return {
        "mean_exposure": Window(Avg("exposure")),
        "catching_up": Case(
            When(Q(late=True) & Q(exposure__lt=F("mean_exposure")), then=Value(0)),
            default=Value(1),
        ),
        "band": Floor(Sqrt("exposure")),
        "shuffle": MD5(Concat(Value(seed), Cast("pk", CharField()))),
    }


#: The queue's order: ``queue_key``.
QUEUE_ORDER = ("catching_up", "band", "shuffle", "pk")


def judging_queue(*, user, window: StageWindow) -> QuerySet[Idea]:
    """Every idea ``user`` may judge in ``window``, in the voter's own order.

    Ideas seen less in the round come first, by exposure band, and within a
    band in the voter's own random order, the MD5 of (voter, window, idea),
    computed in SQL (``queue_key``; see the module's docstring). A reload
    shows the same order until an idea moves to the next band.
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
        .annotate(**_order_annotations(user=user, window=window))
        .order_by(*QUEUE_ORDER)
    )


def judging_order(*, user, window: StageWindow) -> list[tuple[int, str | None]]:
    """``judging_queue`` as ``(idea id, my_choice)`` pairs, in one query.

    The same ideas in the same order, without loading them: pages pick the
    ideas they show from it and read only those (``queue_ideas``), and count
    the voter's progress from it (``order_progress``). The query reads each
    idea's exposure once and the order is ``queue_key`` here: sorting in SQL
    would repeat the exposure's subqueries in every expression that uses it
    (the band, the catch-up, the mean), three times the page's query
    (``tests/voting/screening/test_queue.py`` holds the two orders equal).
    """
    rows = list(
        _judgeable(user=user, window=window)
        .annotate(**_queue_annotations(user=user, window=window))
        .order_by()
        # The plugin cannot see names annotated through **kwargs (my_choice).
        .values_list("pk", "my_choice", "exposure", "late")  # type: ignore[misc]
    )
    if not rows:
        return []
    mean = sum(exposure for _pk, _choice, exposure, _late in rows) / len(rows)

    def key(row):
        pk, _choice, exposure, late = row
        return queue_key(
            voter_id=user.pk,
            window_id=window.pk,
            idea_id=pk,
            impressions=exposure,
            catching_up=late and exposure < mean,
        )

    return [(pk, choice) for pk, choice, _exposure, _late in sorted(rows, key=key)]


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
