"""Casting, changing and withdrawing one ballot, and recording impressions.

The single cast (``ballot_cast``) and the batch (``services.batch``) share
their parsing (``judgment_clean``), their refusals (``judgment_refusal``: who may
judge, then the support budget) and the supports-used count
(``selectors.supports_used``). Results are typed (``CastResult``,
``JudgmentResult``); the API maps them to HTTP statuses.
"""

import enum
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contests.models import StageWindow
from horserace.accounts.models import User
from horserace.common.rows import execute_prepared
from ideas.models import Idea
from voting.models import Ballot, Choice, Impression
from voting.screening.selectors.ballots import Judging, supports_used
from voting.screening.selectors.rounds import (
    Refusal,
    judge_refusal_detail,
    window_refusal,
)

REASON_MAX_LENGTH = 280


class Outcome(enum.Enum):
    """What became of one judgment."""

    CREATED = "created"  # a new ballot
    CHANGED = "changed"  # the voter's ballot, changed (or cast again)
    INVALID = "invalid"  # bad input, or refused about the idea or the round
    FORBIDDEN = "forbidden"  # refused about the person (own team, audience)
    NOT_FOUND = "not_found"  # no such idea, or the voter may not see it


@dataclass(frozen=True)
class CastResult:
    """A cast ballot as stored, and whether this cast created it."""

    ballot: Ballot
    created: bool

    @property
    def outcome(self) -> Outcome:
        return Outcome.CREATED if self.created else Outcome.CHANGED


@dataclass(frozen=True)
class JudgmentResult:
    """One judgment of a batch: its idea, what became of it, and the voter's
    judgment of that idea after it (None: none)."""

    idea: int | None
    outcome: Outcome
    error: str | None = None
    choice: str | None = None

    @property
    def ok(self) -> bool:
        return self.outcome in (Outcome.CREATED, Outcome.CHANGED)


def _raise(refusal: Refusal):
    if refusal.forbidden:
        raise PermissionDenied(refusal.message)
    raise ValidationError(refusal.message, code=refusal.code)


def judgment_clean(choice, reason) -> tuple[str, str]:
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


def budget_refusal(window: StageWindow) -> Refusal:
    budget = window.support_budget
    return Refusal(
        ngettext(
            "You have used your %(budget)d support in this round: withdraw it or "
            "change it to oppose before supporting another idea.",
            "You have used all %(budget)d supports in this round: withdraw one or "
            "change it to oppose before supporting another idea.",
            budget or 0,
        )
        % {"budget": budget},
        "over_budget",
    )


def budgeted(judging: Judging, choice: str) -> bool:
    """Whether this judgment spends from a support budget (so counts must be
    read, and the voter locked, before it is written)."""
    window = judging.window
    return (
        choice == Choice.SUPPORT
        and window is not None
        and window.support_budget is not None
    )


def judgment_refusal(
    *,
    voter,
    judging: Judging,
    choice: str,
    supports_elsewhere=None,
    when: datetime | None = None,
    in_audience: bool | None = None,
) -> Refusal | None:
    """Why this judgment is refused, or None: the one check of both casts.

    First who may judge the idea now (``judge_refusal_detail``, with what the
    caller read already), then the round's support budget: a support is
    refused when the voter's supports on *other* ideas of the round
    (``supports_elsewhere``, a number or a callable that counts them, asked
    only when a budget applies) have used it up.
    """
    refusal = judge_refusal_detail(
        user=voter,
        idea=judging.idea,
        window=judging.window,
        when=when,
        visible=judging.readable,
        in_audience=in_audience,
        on_team=judging.on_team,
    )
    if refusal:
        return refusal
    if budgeted(judging, choice):
        used = (
            supports_elsewhere() if callable(supports_elsewhere) else supports_elsewhere
        )
        if used >= (judging.round.support_budget or 0):
            return budget_refusal(judging.round)
    return None


def voter_lock(voter) -> None:
    """Serialise one voter's budgeted supports (``SELECT … FOR UPDATE``).

    Only taken when a support budget applies, so unbudgeted voting never waits
    on a lock; two supports by the same voter then count one after the other.
    """
    User.objects.select_for_update().only("pk").get(pk=voter.pk)


def ballot_row_upsert(
    *, voter_id: int, idea_id: int, window_id: int, choice, reason, now: datetime
) -> tuple[int, datetime, bool]:
    """Write one ballot and its impression in one round trip, from ids.

    ``INSERT … ON CONFLICT (voter, idea, window) DO UPDATE … RETURNING``: the
    unique constraint, not a read-then-write, keeps one ballot per voter, idea
    and round, and RETURNING saves reading the row back. On PostgreSQL the
    impression rides along in a data-modifying CTE, prepared once per
    connection; SQLite has no such CTE and takes a second statement. Returns
    the ballot's id, its ``created_at`` and whether this write created it.
    No check of any kind: callers have made them (``ballot_cast``; the
    benchmark's bare endpoint measures this write alone).
    """
    stamp = connection.ops.adapt_datetimefield_value(now)
    ballot, impression = Ballot._meta.db_table, Impression._meta.db_table
    upsert = (
        f"INSERT INTO {ballot} (voter_id, idea_id, window_id, choice, reason, "
        "created_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s) "
        "ON CONFLICT (voter_id, idea_id, window_id) DO UPDATE SET "
        "choice = EXCLUDED.choice, reason = EXCLUDED.reason, "
        "updated_at = EXCLUDED.updated_at "
        "RETURNING id, created_at"
    )
    row = [voter_id, idea_id, window_id, choice, reason, stamp, stamp]
    shown = (
        f"INSERT INTO {impression} (voter_id, idea_id, window_id, created_at) "
        "VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING"
    )
    seen = [voter_id, idea_id, window_id, stamp]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"WITH shown AS ({shown}) {upsert}"
            execute_prepared(cursor, "horserace_ballot_upsert", sql, seen + row)
        else:
            cursor.execute(shown, seen)
            cursor.execute(upsert, row)
        pk, created_at = cursor.fetchone()
    if isinstance(created_at, str):  # SQLite may hand back the text it stored
        created_at = parse_datetime(created_at)
    if timezone.is_naive(created_at):  # SQLite stores UTC without its offset
        created_at = timezone.make_aware(created_at, UTC)
    # The upsert never touches created_at: only a new row has it now.
    return pk, created_at, created_at == now


def ballot_rows_upsert(*, voter_id: int, rows: list[tuple], now: datetime) -> None:
    """``ballot_row_upsert`` for many ``(idea_id, window_id, choice, reason)``
    of one voter: every ballot and its impression in one statement.

    On PostgreSQL one prepared statement over arrays (``unnest``): the ballots'
    upsert with the impressions' insert in a CTE, as for one ballot. Elsewhere
    two bulk inserts. ``rows`` name distinct (idea, window) pairs; in the
    order given, so callers sort them to lock index entries in one order.
    """
    if not rows:
        return
    ideas, windows, choices, reasons = (list(c) for c in zip(*rows, strict=True))
    if connection.vendor != "postgresql":
        Ballot.objects.bulk_create(
            [
                Ballot(voter_id=voter_id, idea_id=i, window_id=w, choice=c, reason=r)
                for i, w, c, r in rows
            ],
            update_conflicts=True,
            unique_fields=["voter", "idea", "window"],
            update_fields=["choice", "reason", "updated_at"],
        )
        Impression.objects.bulk_create(
            [
                Impression(voter_id=voter_id, idea_id=i, window_id=w)
                for i, w in zip(ideas, windows, strict=True)
            ],
            ignore_conflicts=True,
        )
        return
    ballot, impression = Ballot._meta.db_table, Impression._meta.db_table
    sql = (
        f"WITH shown AS (INSERT INTO {impression} "  # noqa: S608 - our tables
        "(voter_id, idea_id, window_id, created_at) "
        "SELECT %s, i, w, %s FROM unnest(%s::bigint[], %s::bigint[]) AS t (i, w) "
        "ON CONFLICT DO NOTHING) "
        f"INSERT INTO {ballot} (voter_id, idea_id, window_id, choice, reason, "
        "created_at, updated_at) "
        "SELECT %s, i, w, c, r, %s, %s FROM unnest(%s::bigint[], %s::bigint[], "
        "%s::text[], %s::text[]) AS t (i, w, c, r) "
        "ON CONFLICT (voter_id, idea_id, window_id) DO UPDATE SET "
        "choice = EXCLUDED.choice, reason = EXCLUDED.reason, "
        "updated_at = EXCLUDED.updated_at"
    )
    params = [voter_id, now, ideas, windows]
    params += [voter_id, now, now, ideas, windows, choices, reasons]
    with connection.cursor() as cursor:
        execute_prepared(cursor, "horserace_ballots_upsert", sql, params)


def _ballot_upsert(*, voter, idea: Idea, window: StageWindow, choice, reason):
    """``ballot_row_upsert`` for these objects, as a ``CastResult``."""
    now = timezone.now()
    pk, created_at, created = ballot_row_upsert(
        voter_id=voter.pk,
        idea_id=idea.pk,
        window_id=window.pk,
        choice=choice,
        reason=reason,
        now=now,
    )
    stored = Ballot(
        pk=pk,
        voter=voter,
        idea=idea,
        window=window,
        choice=choice,
        reason=reason,
        created_at=created_at,
        updated_at=now,
    )
    stored._state.adding, stored._state.db = False, connection.alias
    return CastResult(ballot=stored, created=created)


def ballot_cast(
    *,
    voter,
    idea: Idea | Judging,
    choice: str,
    reason: str = "",
    when: datetime | None = None,
) -> CastResult:
    """Cast or change ``voter``'s ballot on ``idea`` in its racecourse's round.

    ``idea`` is an idea, or the ``Judging`` that ``selectors.idea_for_judging``
    read (its round and the voter's team role with it: nothing is asked
    again). Refused (``judgment_refusal``) outside the open screening window,
    for an idea not in screening or not visible, of the voter's own team, or
    outside the racecourse's audience, and when a support would exceed the
    window's ``support_budget``. Also records that the idea was shown.

    Without a budget the write is one atomic statement and needs no
    transaction; with one, the voter's row is locked while supports are
    counted, so concurrent supports cannot overdraw it.

    Returns the stored ballot and whether it is new (``CastResult``).
    """
    choice, reason = judgment_clean(choice, reason)
    judging = idea if isinstance(idea, Judging) else Judging.of(idea)
    write = dict(
        voter=voter,
        idea=judging.idea,
        window=judging.window,
        choice=choice,
        reason=reason,
    )
    if not budgeted(judging, choice):
        refusal = judgment_refusal(
            voter=voter, judging=judging, choice=choice, when=when
        )
        if refusal:
            _raise(refusal)
        return _ballot_upsert(**write)
    with transaction.atomic():
        voter_lock(voter)
        refusal = judgment_refusal(
            voter=voter,
            judging=judging,
            choice=choice,
            when=when,
            supports_elsewhere=lambda: supports_used(
                voter=voter, window=judging.round, excluding_idea=judging.idea
            ),
        )
        if refusal:
            _raise(refusal)
        return _ballot_upsert(**write)


@transaction.atomic
def ballot_withdraw(
    *, voter, idea: Idea | Judging, when: datetime | None = None
) -> bool:
    """Take back ``voter``'s ballot on ``idea``; False if there was none.

    Only while the round is open: after the close the result stands.
    ``idea`` may be the ``Judging`` the API read (its round comes with it).
    """
    judging = idea if isinstance(idea, Judging) else Judging.of(idea)
    window = judging.window
    refusal = window_refusal(window=window, when=when)
    if refusal:
        _raise(refusal)
    deleted, _counts = Ballot.objects.filter(
        voter=voter, idea=judging.idea, window=window
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
