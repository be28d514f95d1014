"""Casting many judgments at once, each succeeding or failing on its own."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contests.models import StageWindow, WindowStage
from voting.selectors.ballots import ideas_for_judging
from voting.selectors.rounds import judge_refusal_detail, voter_in_audience

from ..models import Ballot, Choice, Impression
from .ballots import _clean, _lock_voter, _over_budget

BATCH_MAX = 100

_BALLOT_UPSERT = dict(
    update_conflicts=True,
    unique_fields=["voter", "idea", "window"],
    update_fields=["choice", "reason", "updated_at"],
)


def _result(idea_id, status: int, *, error=None, choice=None) -> dict:
    return {
        "idea": idea_id,
        "ok": error is None,
        "status": status,
        "error": None if error is None else str(error),
        "choice": choice,
    }


def _message(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def _idea_id(item) -> int | None:
    """The item's idea id if it is a usable whole number, else None."""
    idea_id = item.get("idea") if isinstance(item, dict) else None
    if isinstance(idea_id, bool) or not isinstance(idea_id, int):
        return None
    return idea_id if 0 < idea_id < 2**63 else None


def _parse_judgment(item, idea_id: int | None) -> tuple[str, str]:
    """``(choice, reason)`` of one batch item, or a ValidationError."""
    if not isinstance(item, dict):
        raise ValidationError(
            _("Each judgment is an object with “idea”, “choice” and “reason”.")
        )
    if idea_id is None:
        raise ValidationError({"idea": _("Give the idea's id as a whole number.")})
    return _clean(item.get("choice"), item.get("reason", ""))


@transaction.atomic
def ballot_cast_batch(
    *, voter, judgments: list[dict], when: datetime | None = None
) -> list[dict]:
    """Cast up to ``BATCH_MAX`` judgments; each succeeds or fails on its own.

    ``judgments`` is a list of ``{"idea": id, "choice": ..., "reason": ...}``.
    Returns one result per item, in order: ``{"idea", "ok", "status", "error",
    "choice"}`` with status 201 (new ballot), 200 (changed), 400 (bad input,
    closed round, idea not in screening, over budget), 403 (own team, outside
    the audience) or 404 (no such idea, or not visible); ``choice`` is the
    voter's judgment of that idea after the item.

    Items apply in order, as if cast one by one: a later item on the same idea
    wins, and the support budget counts the earlier items. Every item is
    checked before anything is written, and only the items that pass are
    written, in one upsert of ballots and one insert of impressions, so a
    failing item leaves nothing behind and never undoes another.
    """
    if not isinstance(judgments, list):
        raise ValidationError(_("Send a list of judgments."), code="invalid")
    if len(judgments) > BATCH_MAX:
        raise ValidationError(
            _("Send at most %(max)d judgments at once (this batch has %(count)d).")
            % {"max": BATCH_MAX, "count": len(judgments)},
            code="too_many",
        )
    when = when or timezone.now()

    # Each item: (idea id or None, (choice, reason) or the reason it is invalid).
    parsed: list[tuple[int | None, tuple[str, str] | ValidationError]] = []
    for item in judgments:
        idea_id = _idea_id(item)
        try:
            parsed.append((idea_id, _parse_judgment(item, idea_id)))
        except ValidationError as exc:
            parsed.append((idea_id, exc))
    wanted = {idea_id for idea_id, _entry in parsed if idea_id is not None}
    ideas = ideas_for_judging(user=voter, pks=wanted) if wanted else {}
    racecourse_ids = {idea.racecourse_id for idea in ideas.values()}
    windows = {
        w.racecourse_id: w
        for w in StageWindow.objects.filter(
            racecourse_id__in=racecourse_ids, stage=WindowStage.SCREENING
        )
    }
    audience: dict[int, bool] = {}
    # The voter's standing in every round the batch touches, updated item by
    # item: (idea, window) → choice, and supports used per window.
    current: dict[tuple[int, int], str] = {}
    supports: dict[int, int] = {}
    budgeted = any(w.support_budget is not None for w in windows.values())
    if budgeted and any(
        isinstance(entry, tuple) and entry[0] == Choice.SUPPORT for _id, entry in parsed
    ):
        _lock_voter(voter)
    for idea_id, window_id, choice in Ballot.objects.filter(
        voter=voter, window__in=list(windows.values())
    ).values_list("idea_id", "window_id", "choice"):
        current[(idea_id, window_id)] = choice
        if choice == Choice.SUPPORT:
            supports[window_id] = supports.get(window_id, 0) + 1

    results: list[dict] = []
    writes: dict[tuple[int, int], Ballot] = {}
    for idea_id, entry in parsed:
        idea = ideas.get(idea_id)
        window = windows.get(idea.racecourse_id) if idea is not None else None
        key = (idea_id, window.pk if window else None)
        before = current.get(key)
        if isinstance(entry, ValidationError):
            results.append(_result(idea_id, 400, error=_message(entry), choice=before))
            continue
        if idea is None:
            results.append(
                _result(idea_id, 404, error=_("No such idea, or you may not see it."))
            )
            continue
        choice, reason = entry
        if idea.racecourse_id not in audience:
            audience[idea.racecourse_id] = voter_in_audience(
                user=voter, racecourse=idea.racecourse
            )
        refusal = judge_refusal_detail(
            user=voter,
            idea=idea,
            window=window,
            when=when,
            visible=True,
            in_audience=audience[idea.racecourse_id],
        )
        if refusal:
            status = 403 if refusal.forbidden else 400
            results.append(
                _result(idea_id, status, error=refusal.message, choice=before)
            )
            continue
        used = supports.get(window.pk, 0)
        if (
            choice == Choice.SUPPORT
            and before != Choice.SUPPORT
            and window.support_budget is not None
            and used >= window.support_budget
        ):
            results.append(
                _result(
                    idea_id, 400, error=_message(_over_budget(window)), choice=before
                )
            )
            continue
        supports[window.pk] = (
            used + (choice == Choice.SUPPORT) - (before == Choice.SUPPORT)
        )
        current[key] = choice
        writes[key] = Ballot(
            voter=voter, idea=idea, window=window, choice=choice, reason=reason
        )
        results.append(_result(idea_id, 201 if before is None else 200, choice=choice))

    if writes:
        # Sorted, so concurrent batches lock index entries in the same order.
        rows = [writes[key] for key in sorted(writes)]
        Ballot.objects.bulk_create(rows, **_BALLOT_UPSERT)
        Impression.objects.bulk_create(
            [Impression(voter=voter, idea=b.idea, window=b.window) for b in rows],
            ignore_conflicts=True,
        )
    return results
