"""Writes for online screening: ballots, impressions and tally snapshots.

A ballot is written with one upsert (``INSERT … ON CONFLICT (voter, idea,
window) DO UPDATE``), so casting and changing are the same statement and the
unique constraint, not a read-then-write, keeps one ballot per voter, idea and
round. Who may judge is asked of ``selectors.judge_refusal_detail``; refusals
about the person raise ``PermissionDenied`` (403), the rest ``ValidationError``
(400).
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contests.models import StageWindow, WindowStage
from horserace.accounts.models import User
from ideas.models import Idea, Stage

from .models import Ballot, Choice, Impression, Tally
from .ranking import ranked, wilson_interval
from .selectors import (
    Refusal,
    ideas_for_judging,
    judge_refusal_detail,
    round_of,
    screening_window,
    voter_in_audience,
    window_refusal,
)

REASON_MAX_LENGTH = 280
BATCH_MAX = 100

_BALLOT_UPSERT = dict(
    update_conflicts=True,
    unique_fields=["voter", "idea", "window"],
    update_fields=["choice", "reason", "updated_at"],
)


def _raise(refusal: Refusal):
    if refusal.forbidden:
        raise PermissionDenied(refusal.message)
    raise ValidationError(refusal.message, code=refusal.code)


def _clean(choice, reason) -> tuple[str, str]:
    """The judgment's choice and reason, or a ValidationError naming the field."""
    errors = {}
    if choice not in Choice.values:
        errors["choice"] = _("Choose “support” or “oppose”.")
    if reason is None:
        reason = ""
    if not isinstance(reason, str):
        errors["reason"] = _("The reason must be text.")
    else:
        reason = reason.strip()
        if len(reason) > REASON_MAX_LENGTH:
            errors["reason"] = _(
                "Keep the reason to %(max)d characters (it has %(length)d)."
            ) % {"max": REASON_MAX_LENGTH, "length": len(reason)}
    if errors:
        raise ValidationError(errors)
    return choice, reason


def _over_budget(window: StageWindow) -> ValidationError:
    budget = window.support_budget
    return ValidationError(
        ngettext(
            "You have used your %(budget)d support in this round: withdraw it or "
            "change it to oppose before supporting another idea.",
            "You have used all %(budget)d supports in this round: withdraw one or "
            "change it to oppose before supporting another idea.",
            budget,
        )
        % {"budget": budget},
        code="over_budget",
    )


def _lock_voter(voter) -> None:
    """Serialise one voter's budgeted supports (``SELECT … FOR UPDATE``).

    Only taken when a support budget applies, so unbudgeted voting never waits
    on a lock; two supports by the same voter then count one after the other.
    """
    User.objects.select_for_update().only("pk").get(pk=voter.pk)


def _ballot_upsert(*, voter, idea: Idea, window: StageWindow, choice, reason) -> Ballot:
    """Write the ballot and its impression in one round trip; return the row.

    ``INSERT … ON CONFLICT (voter, idea, window) DO UPDATE … RETURNING``: the
    unique constraint, not a read-then-write, keeps one ballot per voter, idea
    and round, and RETURNING saves reading the row back. On PostgreSQL the
    impression rides along in a data-modifying CTE; SQLite has no such CTE and
    takes a second statement.
    """
    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    ballot, impression = Ballot._meta.db_table, Impression._meta.db_table
    upsert = (
        f"INSERT INTO {ballot} (voter_id, idea_id, window_id, choice, reason, "
        "created_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s) "
        "ON CONFLICT (voter_id, idea_id, window_id) DO UPDATE SET "
        "choice = EXCLUDED.choice, reason = EXCLUDED.reason, "
        "updated_at = EXCLUDED.updated_at "
        "RETURNING id, voter_id, idea_id, window_id, choice, reason, "
        "created_at, updated_at"
    )
    row = [voter.pk, idea.pk, window.pk, choice, reason, stamp, stamp]
    shown = (
        f"INSERT INTO {impression} (voter_id, idea_id, window_id, created_at) "
        "VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING"
    )
    seen = [voter.pk, idea.pk, window.pk, stamp]
    if connection.vendor == "postgresql":
        rows = Ballot.objects.raw(f"WITH shown AS ({shown}) {upsert}", seen + row)
    else:
        with connection.cursor() as cursor:
            cursor.execute(shown, seen)
        rows = Ballot.objects.raw(upsert, row)
    stored = list(rows)[0]
    stored.voter, stored.idea, stored.window = voter, idea, window
    # The upsert never touches created_at: only a new row has created == updated.
    stored.created = stored.created_at == stored.updated_at
    return stored


def ballot_cast(
    *,
    voter,
    idea: Idea,
    choice: str,
    reason: str = "",
    when: datetime | None = None,
) -> Ballot:
    """Cast or change ``voter``'s ballot on ``idea`` in its racecourse's round.

    Refused (see ``judge_refusal``) outside the open screening window, for an
    idea not in screening or not visible, of the voter's own team, or outside
    the racecourse's audience; refused too when a support would exceed the
    window's ``support_budget``. Also records that the idea was shown.

    Without a budget the write is one atomic statement and needs no
    transaction; with one, the voter's row is locked while supports are
    counted, so concurrent supports cannot overdraw it.

    Returns the stored ballot; ``ballot.created`` says whether it is new.
    """
    choice, reason = _clean(choice, reason)
    window = round_of(idea)
    refusal = judge_refusal_detail(user=voter, idea=idea, window=window, when=when)
    if refusal:
        _raise(refusal)
    write = dict(voter=voter, idea=idea, window=window, choice=choice, reason=reason)
    if choice != Choice.SUPPORT or window.support_budget is None:
        return _ballot_upsert(**write)
    with transaction.atomic():
        _lock_voter(voter)
        used = (
            Ballot.objects.filter(voter=voter, window=window, choice=Choice.SUPPORT)
            .exclude(idea=idea)
            .count()
        )
        if used >= window.support_budget:
            raise _over_budget(window)
        return _ballot_upsert(**write)


@transaction.atomic
def ballot_withdraw(*, voter, idea: Idea, when: datetime | None = None) -> bool:
    """Take back ``voter``'s ballot on ``idea``; False if there was none.

    Only while the round is open: after the close the result stands.
    """
    window = screening_window(racecourse=idea.racecourse)
    refusal = window_refusal(window=window, when=when)
    if refusal:
        _raise(refusal)
    deleted, _counts = Ballot.objects.filter(
        voter=voter, idea=idea, window=window
    ).delete()
    return deleted > 0


def impression_record(*, voter, idea: Idea, window: StageWindow) -> None:
    """Record that ``idea`` was shown to ``voter`` in ``window`` (once).

    Only for an idea the voter may judge now; showing it again changes nothing.
    """
    refusal = judge_refusal_detail(user=voter, idea=idea, window=window)
    if refusal:
        _raise(refusal)
    Impression.objects.bulk_create(
        [Impression(voter=voter, idea=idea, window=window)], ignore_conflicts=True
    )


# --- Batch --------------------------------------------------------------------------


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


# --- Tallies ------------------------------------------------------------------------

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
    support rate, 95% Wilson interval and rank (``voting.ranking``), written
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
    registered_at = dict(
        Idea.objects.filter(
            Q(racecourse_id=window.racecourse_id, stage=Stage.SCREENING)
            | Q(pk__in=sorted(counts.keys() | impressions.keys()))
            | Q(pk__in=Tally.objects.filter(window=window).values("idea_id"))
        )
        .order_by()
        .values_list("pk", "registration__registered_at")
    )

    tallies = []
    for idea_id in registered_at:
        row = counts.get(idea_id, {})
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
