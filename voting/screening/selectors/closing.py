"""Reads for closing a screening window."""

from contests.models import StageWindow
from ideas.models import Idea, Stage
from ideas.selectors import idea_list_visible
from voting.models import ClosingProposal, Tally


def window_candidates(*, window: StageWindow, user) -> list[dict]:
    """The ideas a screening window's close decides, with their tallies, best first.

    Each row is ``{"idea", "tally", "percent", "proposed", "visible"}``;
    ``tally`` (and ``percent``, the support rate in whole percent) is
    ``None`` for an idea with no snapshot; ``proposed`` says whether the
    window's proposal passes it; ``visible`` whether ``user`` may see the
    idea itself (a confidential idea is decided on its numbers alone). After the window is applied, the proposal's ideas
    (whatever their stage now) are what is listed.
    """
    proposal = ClosingProposal.objects.filter(window=window).first()
    passing = set(proposal.passing) if proposal else set()
    if window.applied_at is None:
        candidates = Idea.objects.filter(
            racecourse=window.racecourse, stage=Stage.SCREENING
        )
    else:
        candidates = Idea.objects.filter(tallies__window=window)
    tallies = {t.idea_id: t for t in Tally.objects.filter(window=window)}
    ideas = list(candidates.select_related("registration").order_by("pk"))
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
