"""Ballots under any interleaving of cast, change and withdraw (hypothesis, stateful).

Several voters judge several ideas of one round, with a support budget in
some runs; a model keeps what each voter's ballot on each idea should be.
After every step the stored ballots are the model's, and ``tally_round``'s
snapshot equals both a count over the stored ballots and a count over the
model: supports, opposes, voters and impressions per idea.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from voting.models import Ballot, Choice, Tally
from voting.screening.services.ballots import (
    ballot_cast,
    ballot_withdraw,
    impression_record,
)
from voting.screening.services.tallies import tally_round

from .factories import screening_idea, screening_round, voters

VOTERS, IDEAS = 3, 3
CHOICES = [Choice.SUPPORT, Choice.OPPOSE]

pytestmark = pytest.mark.django_db


class BallotMachine(RuleBasedStateMachine):
    @initialize(budget=st.sampled_from([None, 1, 2]))
    def setup(self, budget):
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.window = screening_round(support_budget=budget)
        self.budget = budget
        self.ideas = [screening_idea(self.window) for _ in range(IDEAS)]
        self.voters = voters(VOTERS)
        self.model: dict[tuple[int, int], str] = {}  # (voter, idea) → choice
        self.shown: set[tuple[int, int]] = set()  # impressions

    def teardown(self):
        if hasattr(self, "atomic"):
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

    def _supports_elsewhere(self, voter, idea) -> int:
        return sum(
            1
            for (v, i), choice in self.model.items()
            if v == voter.pk and i != idea.pk and choice == Choice.SUPPORT
        )

    @rule(
        v=st.integers(0, VOTERS - 1),
        i=st.integers(0, IDEAS - 1),
        choice=st.sampled_from(CHOICES),
    )
    def cast_or_change(self, v, i, choice):
        voter, idea = self.voters[v], self.ideas[i]
        over = (
            choice == Choice.SUPPORT
            and self.budget is not None
            and self._supports_elsewhere(voter, idea) >= self.budget
        )
        if over:
            with pytest.raises(ValidationError):
                ballot_cast(voter=voter, idea=idea, choice=choice)
            return
        result = ballot_cast(voter=voter, idea=idea, choice=choice)
        assert result.created == ((voter.pk, idea.pk) not in self.model)
        self.model[(voter.pk, idea.pk)] = choice
        self.shown.add((voter.pk, idea.pk))

    @rule(v=st.integers(0, VOTERS - 1), i=st.integers(0, IDEAS - 1))
    def withdraw(self, v, i):
        voter, idea = self.voters[v], self.ideas[i]
        had = self.model.pop((voter.pk, idea.pk), None) is not None
        assert ballot_withdraw(voter=voter, idea=idea) == had

    @rule(v=st.integers(0, VOTERS - 1), i=st.integers(0, IDEAS - 1))
    def show(self, v, i):
        voter, idea = self.voters[v], self.ideas[i]
        impression_record(voter=voter, idea=idea, window=self.window)
        self.shown.add((voter.pk, idea.pk))

    @invariant()
    def tally_equals_the_ballots_and_the_model(self):
        if not hasattr(self, "window"):
            return
        stored = {
            (b.voter_id, b.idea_id): b.choice
            for b in Ballot.objects.filter(window=self.window)
        }
        assert stored == self.model
        assert tally_round(window=self.window) == IDEAS
        tallies = {t.idea_id: t for t in Tally.objects.filter(window=self.window)}
        for idea in self.ideas:
            t = tallies[idea.pk]
            for source in (stored, self.model):
                mine = [c for (_v, i), c in source.items() if i == idea.pk]
                assert t.supports == mine.count(Choice.SUPPORT)
                assert t.opposes == mine.count(Choice.OPPOSE)
                assert t.voters == len(mine)
            assert t.impressions == sum(1 for _v, i in self.shown if i == idea.pk)
            assert t.support_rate == (t.supports / t.voters if t.voters else 0.0)
        if self.budget is not None:
            for voter in self.voters:
                supports = [c for (v, _i), c in stored.items() if v == voter.pk].count(
                    Choice.SUPPORT
                )
                assert supports <= self.budget


def test_tallies_equal_the_ballots_after_any_interleaving():
    """Cast, change, withdraw and show by three voters on three ideas, with
    and without a support budget: the tally always counts what is stored,
    and what is stored is what the sequence did."""
    run_state_machine_as_test(
        BallotMachine,
        settings=settings(
            max_examples=30,
            stateful_step_count=20,
            deadline=None,
            derandomize=True,
        ),
    )
