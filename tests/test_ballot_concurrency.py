"""Ballots under load, on PostgreSQL's real row locks and unique index.

Dozens of threads cast and change ballots on the same few ideas at the same
moment; the upsert must leave exactly one ballot per voter, idea and round
with the last judgment each voter made, and raise nothing. A support budget
must hold when one voter's supports race each other. Every thread has its
own database connection (closed when the thread ends).
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count

from tests.factories import UserFactory
from tests.threads import errors_of, run_together
from tests.voting.factories import screening_idea, screening_round
from voting.models import Ballot, Choice, Impression, Tally
from voting.screening.services.ballots import Outcome, ballot_cast, ballot_withdraw
from voting.screening.services.batch import ballot_cast_batch
from voting.screening.services.tallies import tally_round

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency tests need PostgreSQL (set DATABASE_URL)",
    ),
]

THREADS = 52  # 50+ simultaneous voters, within PostgreSQL's 100 connections
SUP, OPP = Choice.SUPPORT, Choice.OPPOSE


def _no_duplicates():
    assert not (
        Ballot.objects.values("voter", "idea", "window")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .exists()
    )


def test_many_voters_casting_and_changing_on_the_same_ideas_end_exact():
    """52 voters at once: support three ideas, then turn one to oppose."""
    window = screening_round()
    ideas = [screening_idea(window) for _ in range(3)]
    people = [UserFactory() for _ in range(THREADS)]

    def judge(index, voter):
        for idea in ideas:
            ballot_cast(voter=voter, idea=idea, choice=SUP, reason="yes")
        changed = ideas[index % 3]
        ballot_cast(voter=voter, idea=changed, choice=OPP, reason="no")
        # And once more through the batch, as an offline page would resend.
        return ballot_cast_batch(
            voter=voter,
            judgments=[{"idea": i.pk, "choice": SUP} for i in ideas[:1]]
            + [{"idea": changed.pk, "choice": OPP}],
        )

    results = run_together([lambda i=i, v=v: judge(i, v) for i, v in enumerate(people)])

    assert errors_of(results) == []
    assert all(r.ok for _ok, batch in results for r in batch)
    _no_duplicates()
    assert Ballot.objects.count() == 3 * THREADS
    assert Impression.objects.count() == 3 * THREADS
    tally_round(window=window)
    for n, idea in enumerate(ideas):
        # The batch re-sends idea 0 as support, then the changed idea as
        # oppose: idea 0 ends opposed only by those who turned it.
        opposed = len([i for i in range(THREADS) if i % 3 == n])
        tally = Tally.objects.get(idea=idea, window=window)
        assert tally.voters == THREADS
        assert (tally.supports, tally.opposes) == (THREADS - opposed, opposed)


def test_one_voter_racing_on_one_idea_keeps_one_ballot():
    """52 threads, four voters, one idea, each voter alternating: 4 ballots."""
    window = screening_round()
    idea = screening_idea(window)
    people = [UserFactory() for _ in range(4)]
    calls = [
        lambda n=n: ballot_cast(
            voter=people[n % 4], idea=idea, choice=SUP if (n // 4) % 2 else OPP
        )
        for n in range(THREADS)
    ]
    results = run_together(calls)
    assert errors_of(results) == []
    _no_duplicates()
    assert Ballot.objects.filter(idea=idea).count() == 4
    assert Impression.objects.filter(idea=idea).count() == 4
    # Exactly one call per voter created the ballot; the others changed it.
    created = [cast.created for _ok, cast in results]
    assert created.count(True) == 4
    # Each voter's stored ballot is exactly what one of its calls wrote (the
    # last to commit): its choice and its time together, never a mix.
    for voter in people:
        written = {
            (c.ballot.choice, c.ballot.updated_at)
            for _ok, c in results
            if c.ballot.voter_id == voter.pk
        }
        stored = Ballot.objects.get(voter=voter, idea=idea)
        assert (stored.choice, stored.updated_at) in written
        assert {choice for choice, _at in written} == {SUP, OPP}


def test_withdrawing_while_others_cast_is_safe():
    window = screening_round()
    idea = screening_idea(window)
    people = [UserFactory() for _ in range(THREADS // 2)]
    for voter in people:
        ballot_cast(voter=voter, idea=idea, choice=SUP)
    calls = [lambda v=v: ballot_withdraw(voter=v, idea=idea) for v in people] + [
        lambda: ballot_cast(voter=UserFactory(), idea=idea, choice=OPP)
        for _ in range(THREADS // 2)
    ]
    results = run_together(calls)
    assert errors_of(results) == []
    assert Ballot.objects.filter(choice=SUP).count() == 0
    assert Ballot.objects.filter(choice=OPP).count() == THREADS // 2


def test_concurrent_supports_never_exceed_the_budget():
    """One voter supporting 26 ideas at once, each singly and in a batch: 3 win."""
    budget = 3
    window = screening_round(support_budget=budget)
    ideas = [screening_idea(window) for _ in range(THREADS // 2)]
    voter = UserFactory()
    single = [
        lambda idea=idea: ballot_cast(voter=voter, idea=idea, choice=SUP)
        for idea in ideas
    ]
    batched = [
        lambda idea=idea: ballot_cast_batch(
            voter=voter, judgments=[{"idea": idea.pk, "choice": SUP}]
        )
        for idea in ideas
    ]
    results = run_together(single + batched)

    errors = errors_of(results)
    assert all(
        isinstance(e, ValidationError) and e.code == "over_budget" for e in errors
    ), errors
    refused = [r for _ok, value in results if isinstance(value, list) for r in value]
    assert {r.outcome for r in refused if not r.ok} <= {Outcome.INVALID}
    supported = set(
        Ballot.objects.filter(voter=voter, choice=SUP).values_list("idea_id", flat=True)
    )
    assert len(supported) == budget
    # Whoever won, every refusal was for an idea outside the three supported.
    winners = {
        value.ballot.idea_id for ok, value in results[: len(ideas)] if ok == "ok"
    } | {r.idea for r in refused if r.ok}
    assert winners == supported


def test_concurrent_tallies_agree():
    """Tallies running at the same moment as each other write one row per idea."""
    window = screening_round()
    ideas = [screening_idea(window) for _ in range(5)]
    for n, voter in enumerate(UserFactory() for _ in range(10)):
        for idea in ideas[: n % 5 + 1]:
            ballot_cast(voter=voter, idea=idea, choice=SUP)
    results = run_together([lambda: tally_round(window=window)] * 8)
    assert errors_of(results) == []
    assert Tally.objects.filter(window=window).count() == 5
    assert sorted(Tally.objects.values_list("rank", flat=True)) == [1, 2, 3, 4, 5]
