"""Casting, changing and withdrawing one ballot, and recording impressions."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contests.models import StageWindow
from horserace.accounts.models import User
from ideas.models import Idea
from voting.selectors.ballots import round_of
from voting.selectors.rounds import (
    Refusal,
    judge_refusal_detail,
    screening_window,
    window_refusal,
)

from ..models import Ballot, Choice, Impression

REASON_MAX_LENGTH = 280


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
