"""Tally snapshots: the round's counts, rates and ranks, written in one upsert."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from contests.models import StageWindow
from ideas.models import Idea, Stage
from voting.models import Ballot, Choice, Impression, Tally
from voting.screening.ranking import ranked, wilson_interval

_TALLY_FIELDS = [
    "supports",
    "opposes",
    "voters",
    "impressions",
    "support_rate",
    "wilson_lower",
    "wilson_upper",
    "rank",
    "computed_at",
]


@transaction.atomic
def tally_round(*, window: StageWindow, when: datetime | None = None) -> int:
    """Write the round's ``Tally`` snapshot for every idea in it; return how many.

    One grouped query counts supports, opposes and voters per idea, one more
    counts impressions. Ideas in the round: those in screening on the
    racecourse, those with ballots or impressions in the window, and those
    already tallied in it (so a snapshot never goes stale). Each gets its
    support rate, 95% Wilson interval and rank (``voting.screening.ranking``), written
    with one upsert. Running it again with no new ballots writes the same
    numbers, so it is safe to retry and to run twice at once.
    """
    computed_at = when or timezone.now()
    counts = {
        row["idea_id"]: row
        for row in Ballot.objects.filter(window=window)
        .order_by()
        .values("idea_id")
        .annotate(
            # Only columns of the covering index: an index-only scan.
            supports=Count("choice", filter=Q(choice=Choice.SUPPORT)),
            opposes=Count("choice", filter=Q(choice=Choice.OPPOSE)),
            voters=Count("*"),
        )
    }
    impressions = dict(
        Impression.objects.filter(window=window)
        .order_by()
        .values("idea_id")
        .annotate(n=Count("*"))
        .values_list("idea_id", "n")
    )
    # Once a round is applied its ideas have left screening; the ideas in
    # screening on the racecourse then belong to a later round (the farm's).
    in_round = (
        Q(racecourse_id=window.racecourse_id, stage=Stage.SCREENING)
        if window.applied_at is None
        else Q(pk__in=[])
    )
    registered_at = dict(
        Idea.objects.filter(
            in_round
            | Q(pk__in=sorted(counts.keys() | impressions.keys()))
            | Q(pk__in=Tally.objects.filter(window=window).values("idea_id"))
        )
        .order_by()
        .values_list("pk", "registration__registered_at")
    )

    tallies = []
    for idea_id in registered_at:
        row: Mapping[str, Any] = counts.get(idea_id, {})
        supports, voters = row.get("supports", 0), row.get("voters", 0)
        lower, upper = wilson_interval(supports, voters)
        tallies.append(
            Tally(
                idea_id=idea_id,
                window=window,
                supports=supports,
                opposes=row.get("opposes", 0),
                voters=voters,
                impressions=impressions.get(idea_id, 0),
                support_rate=supports / voters if voters else 0.0,
                wilson_lower=lower,
                wilson_upper=upper,
                computed_at=computed_at,
            )
        )
    for rank, tally in enumerate(ranked(tallies, registered_at), start=1):
        tally.rank = rank
    # In idea order, so two runs at once take row locks in the same order.
    tallies.sort(key=lambda t: t.idea_id)
    Tally.objects.bulk_create(
        tallies,
        update_conflicts=True,
        unique_fields=["idea", "window"],
        update_fields=_TALLY_FIELDS,
        batch_size=500,
    )
    return len(tallies)
