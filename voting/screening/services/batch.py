"""Casting many judgments at once, each succeeding or failing on its own."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from voting.models import Ballot, Choice
from voting.screening.selectors.ballots import Judging, ideas_for_judging, supports_used
from voting.screening.selectors.rounds import voter_in_audience
from voting.screening.services.ballots import (
    JudgmentResult,
    Outcome,
    ballot_rows_upsert,
    budgeted,
    judgment_clean,
    judgment_refusal,
    voter_lock,
)

BATCH_MAX = 100


def _message(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def _idea_id(item) -> int | None:
    """The item's idea id if it is a usable whole number, else None."""
    idea_id = item.get("idea") if isinstance(item, dict) else None
    if isinstance(idea_id, bool) or not isinstance(idea_id, int):
        return None
    return idea_id if 0 < idea_id < 2**63 else None


def _parse_judgment(item) -> tuple[int | None, tuple[str, str] | ValidationError]:
    """``(idea id or None, (choice, reason) or why the item is invalid)``."""
    idea_id = _idea_id(item)
    try:
        if not isinstance(item, dict):
            raise ValidationError(
                _("Each judgment is an object with “idea”, “choice” and “reason”.")
            )
        if idea_id is None:
            raise ValidationError({"idea": _("Give the idea's id as a whole number.")})
        return idea_id, judgment_clean(item.get("choice"), item.get("reason", ""))
    except ValidationError as exc:
        return idea_id, exc


def _batch_checked(judgments) -> list:
    """The batch itself is a list of at most ``BATCH_MAX`` items."""
    if not isinstance(judgments, list):
        raise ValidationError(_("Send a list of judgments."), code="invalid")
    if len(judgments) > BATCH_MAX:
        raise ValidationError(
            _("Send at most %(max)d judgments at once (this batch has %(count)d).")
            % {"max": BATCH_MAX, "count": len(judgments)},
            code="too_many",
        )
    return judgments


class _Standing:
    """The voter's judgments in the rounds a batch touches, item by item.

    ``choice`` of (idea, window) and supports used per budgeted window, read
    once before the first item and kept up to date as items pass, so each
    item is checked as if the earlier ones had been cast one by one.
    """

    def __init__(self, *, voter, judgings: dict[int, Judging]):
        self.voter = voter
        windows = {j.window.pk: j.window for j in judgings.values() if j.window}
        self.current: dict[tuple[int, int | None], str] = {
            (idea_id, window_id): choice
            for idea_id, window_id, choice in Ballot.objects.filter(
                voter=voter, idea__in=list(judgings), window__in=list(windows)
            ).values_list("idea_id", "window_id", "choice")
        }
        self.supports = {
            pk: supports_used(voter=voter, window=window)
            for pk, window in windows.items()
            if window.support_budget is not None
        }
        self.audience: dict[int, bool] = {}

    def in_audience(self, judging: Judging) -> bool:
        racecourse = judging.idea.racecourse
        if racecourse.pk not in self.audience:
            self.audience[racecourse.pk] = voter_in_audience(
                user=self.voter, racecourse=racecourse
            )
        return self.audience[racecourse.pk]

    def choice(self, judging: Judging) -> str | None:
        window = judging.window
        return self.current.get((judging.idea.pk, window.pk if window else None))

    def supports_elsewhere(self, judging: Judging) -> int:
        """Supports used in the idea's round on ideas other than this one."""
        used = self.supports.get(judging.round.pk, 0)
        return used - (self.choice(judging) == Choice.SUPPORT)

    def record(self, judging: Judging, choice: str) -> None:
        window = judging.round
        before = self.choice(judging)
        if window.pk in self.supports:
            self.supports[window.pk] += (choice == Choice.SUPPORT) - (
                before == Choice.SUPPORT
            )
        self.current[(judging.idea.pk, window.pk)] = choice


def _judge_one(standing: _Standing, idea_id, entry, judging, when) -> JudgmentResult:
    """What becomes of one parsed item (nothing is written here)."""
    before = standing.choice(judging) if judging is not None else None
    if isinstance(entry, ValidationError):
        return JudgmentResult(
            idea_id, Outcome.INVALID, error=_message(entry), choice=before
        )
    if judging is None:
        return JudgmentResult(
            idea_id, Outcome.NOT_FOUND, error=_("No such idea, or you may not see it.")
        )
    choice, _reason = entry
    refusal = judgment_refusal(
        voter=standing.voter,
        judging=judging,
        choice=choice,
        when=when,
        in_audience=standing.in_audience(judging),
        supports_elsewhere=lambda: standing.supports_elsewhere(judging),
    )
    if refusal:
        outcome = Outcome.FORBIDDEN if refusal.forbidden else Outcome.INVALID
        return JudgmentResult(idea_id, outcome, error=refusal.message, choice=before)
    standing.record(judging, choice)
    outcome = Outcome.CREATED if before is None else Outcome.CHANGED
    return JudgmentResult(idea_id, outcome, choice=choice)


@transaction.atomic
def ballot_cast_batch(
    *, voter, judgments: list[dict], when: datetime | None = None
) -> list[JudgmentResult]:
    """Cast up to ``BATCH_MAX`` judgments; each succeeds or fails on its own.

    ``judgments`` is a list of ``{"idea": id, "choice": ..., "reason": ...}``.
    Returns one ``JudgmentResult`` per item, in order: its idea, its outcome
    (created, changed, invalid, forbidden, not found), the error, and the
    voter's judgment of that idea after the item. Each item is parsed and
    refused exactly as a single cast would be (``judgment_clean``,
    ``judgment_refusal``).

    Items apply in order, as if cast one by one: a later item on the same idea
    wins, and the support budget counts the earlier items. Every item is
    checked before anything is written, and only the items that pass are
    written, in one statement (``ballot_rows_upsert``: the ballots' upsert
    with the impressions' insert), so a failing item leaves nothing behind
    and never undoes another.
    """
    parsed = [_parse_judgment(item) for item in _batch_checked(judgments)]
    when = when or timezone.now()
    wanted = {idea_id for idea_id, _entry in parsed if idea_id is not None}
    judgings = ideas_for_judging(user=voter, pks=wanted) if wanted else {}
    if any(
        isinstance(entry, tuple) and budgeted(judgings[idea_id], entry[0])
        for idea_id, entry in parsed
        if idea_id in judgings
    ):
        voter_lock(voter)  # before the supports are counted
    standing = _Standing(voter=voter, judgings=judgings)

    results: list[JudgmentResult] = []
    writes: dict[tuple[int, int], tuple] = {}
    for idea_id, entry in parsed:
        judging = judgings.get(idea_id) if idea_id is not None else None
        result = _judge_one(standing, idea_id, entry, judging, when)
        results.append(result)
        if result.ok:
            # An item is ok only with its idea, its round and a parsed judgment.
            assert judging is not None and idea_id is not None
            assert isinstance(entry, tuple)
            key = (idea_id, judging.round.pk)
            writes[key] = (*key, result.choice, entry[1])
    # Sorted, so concurrent batches lock index entries in the same order.
    ballot_rows_upsert(
        voter_id=voter.pk,
        rows=[writes[key] for key in sorted(writes)],
        now=timezone.now(),
    )
    return results
