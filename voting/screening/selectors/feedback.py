"""Voters' reasons for the team, once a screening round's result is applied.

A voter may give a reason with a ballot. The team reads the reasons after the
round's closing rule has run (``StageWindow.applied_at``), never before, and
never who gave them: no voter id, name or department, and no time. The
reasons come in a stable order that says nothing about who voted when: by
judgment, then by the text itself (ballot ids and times follow the order in
which people voted, so they are never used).

Who may read them is ``voting.see_feedback`` (the team, HR and the idea's
racecourse admins); this module only reads.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from contests.models import StageWindow
from ideas.models import Idea
from voting.models import Ballot, Choice


@dataclass
class RoundFeedback:
    """One applied round: its counts and its reasons, without voters."""

    window: StageWindow
    supports: int
    opposes: int
    # (choice, reason) pairs: supports first, then by text.
    reasons: list[tuple[str, str]] = field(default_factory=list)

    @property
    def with_reason(self) -> int:
        return len(self.reasons)

    @property
    def support_reasons(self) -> list[str]:
        return [text for choice, text in self.reasons if choice == Choice.SUPPORT]

    @property
    def oppose_reasons(self) -> list[str]:
        return [text for choice, text in self.reasons if choice == Choice.OPPOSE]

    @property
    def support_groups(self) -> list[tuple[str, int]]:
        """The same reason given by several voters once, with how many."""
        return _grouped(self.support_reasons)

    @property
    def oppose_groups(self) -> list[tuple[str, int]]:
        return _grouped(self.oppose_reasons)


def _grouped(texts: list[str]) -> list[tuple[str, int]]:
    groups: dict[str, int] = {}
    for text in texts:  # already in text order
        groups[text] = groups.get(text, 0) + 1
    return list(groups.items())


def applied_windows(*, idea: Idea):
    """The screening rounds the idea was judged in whose result is applied."""
    return (
        StageWindow.objects.filter(
            applied_at__isnull=False,
            pk__in=Ballot.objects.filter(idea=idea).values("window_id"),
        )
        .select_related("racecourse")
        .order_by("closes_at", "pk")
    )


def idea_feedback(*, idea: Idea) -> list[RoundFeedback]:
    """Every applied round's counts and reasons for ``idea`` (oldest first).

    Empty before any round of the idea is applied. Callers check
    ``voting.see_feedback`` first.
    """
    rounds = []
    for window in applied_windows(idea=idea):
        ballots = Ballot.objects.filter(idea=idea, window=window)
        counts = ballots.aggregate(
            supports=Count("pk", filter=Q(choice=Choice.SUPPORT)),
            opposes=Count("pk", filter=Q(choice=Choice.OPPOSE)),
        )
        reasons = list(
            ballots.exclude(reason="")
            .order_by("-choice", "reason")
            .values_list("choice", "reason")
        )
        rounds.append(
            RoundFeedback(
                window=window,
                supports=counts["supports"],
                opposes=counts["opposes"],
                reasons=[(choice, reason.strip()) for choice, reason in reasons],
            )
        )
    return rounds


def feedback_rows(*, idea: Idea):
    """The reasons as rows for an export: racecourse, round, judgment, reason."""
    for round_ in idea_feedback(idea=idea):
        for choice, reason in round_.reasons:
            yield [
                round_.window.racecourse.name,
                round_.window.round,
                choice,
                reason,
            ]


def has_feedback(*, idea: Idea) -> bool:
    """Whether any round of ``idea`` is applied (the feedback page has content)."""
    return applied_windows(idea=idea).exists()
