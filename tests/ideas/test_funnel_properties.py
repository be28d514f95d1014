"""The funnel under any sequence of calls (hypothesis, stateful).

A state machine drives three ideas with random calls of the named wrappers,
``idea_merge`` and bare ``idea_transition`` to any stage, while the
registration window opens and closes. A model of the table
(``ideas.funnel.TRANSITIONS`` and its guard) predicts each outcome. After
every step: each idea's stage is the model's, no idea ever reached a stage
the table forbids from where it was, every change wrote exactly one
``StageTransition`` row, and each idea's history is a path through the
table from draft to its current stage.
"""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from contests.models import WindowStage
from ideas import funnel
from ideas.models import Idea, Stage, StageTransition
from tests.factories import UserFactory, idea_draft, open_racecourse

pytestmark = pytest.mark.django_db

IDEAS = 3
WRAPPERS = {
    "idea_register": Stage.REGISTERED,
    "idea_open_screening": Stage.SCREENING,
    "idea_pass_screening": Stage.GESTATION,
    "idea_eliminate": Stage.ELIMINATED,
    "idea_submit_proposal": Stage.EVALUATION,
    "idea_select": Stage.REALIZATION,
    "idea_complete": Stage.REALIZED,
    "idea_withdraw": Stage.WITHDRAWN,
}


class FunnelMachine(RuleBasedStateMachine):
    """Random calls into the funnel against a model of its table."""

    @initialize()
    def setup(self):
        # Each run gets its own savepoint, rolled back in ``teardown``.
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.actor = UserFactory()
        self.racecourse = open_racecourse()
        self.window = self.racecourse.windows.get(stage=WindowStage.REGISTRATION)
        self.registration_open = True
        self.ideas = [
            idea_draft(author=self.actor, racecourse=self.racecourse)
            for _ in range(IDEAS)
        ]
        self.stage = {idea.pk: Stage.DRAFT for idea in self.ideas}
        self.merged_into = {idea.pk: None for idea in self.ideas}
        self.moves = {idea.pk: 0 for idea in self.ideas}

    def teardown(self):
        if hasattr(self, "atomic"):
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

    # --- The model ---------------------------------------------------------------

    def _allowed(self, idea: Idea, target: str) -> bool:
        move = funnel.TRANSITIONS.get((self.stage[idea.pk], target))
        if move is None:
            return False
        return move.name != "register" or self.registration_open

    def _expect(self, idea: Idea, target: str, call) -> None:
        """Call, and check it moved exactly when the model says it may."""
        before = self.stage[idea.pk]
        if before == target:
            call()  # already there: nothing happens, no error
            return
        if self._allowed(idea, target):
            call()
            self.stage[idea.pk] = target
            self.moves[idea.pk] += 1
            return
        with pytest.raises(funnel.TransitionNotAllowed):
            call()

    # --- Rules -----------------------------------------------------------------------

    @rule(i=st.integers(0, IDEAS - 1), name=st.sampled_from(sorted(WRAPPERS)))
    def wrapper(self, i, name):
        idea = self.ideas[i]
        wrapper = getattr(funnel, name)
        kwargs = {"idea": idea, "actor": self.actor, "reason": f"test {name}"}
        self._expect(idea, WRAPPERS[name], lambda: wrapper(**kwargs))

    @rule(i=st.integers(0, IDEAS - 1), to=st.sampled_from(list(Stage)))
    def transition(self, i, to):
        idea = self.ideas[i]
        self._expect(
            idea,
            to,
            lambda: funnel.idea_transition(idea=idea, to=to, actor=self.actor),
        )

    @rule(i=st.integers(0, IDEAS - 1), j=st.integers(0, IDEAS - 1))
    def merge(self, i, j):
        idea, into = self.ideas[i], self.ideas[j]

        def call():
            funnel.idea_merge(idea=idea, into=into, actor=self.actor)

        refused = (
            i == j
            or self.stage[into.pk] in funnel.FINAL
            or self.merged_into[idea.pk] not in (None, into.pk)
        )
        if refused:
            with pytest.raises(funnel.TransitionNotAllowed):
                call()
            return
        self._expect(idea, Stage.MERGED, call)
        if self.stage[idea.pk] == Stage.MERGED:
            self.merged_into[idea.pk] = into.pk

    @rule(open_=st.booleans())
    def registration(self, open_):
        now = timezone.now()
        self.window.closes_at = now + (
            dt.timedelta(days=7) if open_ else -dt.timedelta(minutes=1)
        )
        self.window.save()
        self.registration_open = open_

    # --- Invariants ------------------------------------------------------------------

    @invariant()
    def stages_follow_the_table_and_leave_a_path(self):
        if not hasattr(self, "ideas"):
            return
        stored = dict(Idea.objects.filter(pk__in=self.stage).values_list("pk", "stage"))
        assert stored == self.stage
        for idea in self.ideas:
            history = list(
                StageTransition.objects.filter(idea=idea)
                .order_by("pk")
                .values_list("from_stage", "to_stage")
            )
            assert len(history) == self.moves[idea.pk]
            at = Stage.DRAFT
            for source, target in history:
                assert source == at
                assert (source, target) in funnel.TRANSITIONS
                at = target
            assert at == self.stage[idea.pk]


def test_no_sequence_of_calls_breaks_the_funnel():
    """Any interleaving of wrappers, transitions, merges and window changes
    keeps every idea on a path of the transition table, with one history row
    per change."""
    run_state_machine_as_test(
        FunnelMachine,
        settings=settings(
            max_examples=40,
            stateful_step_count=25,
            deadline=None,
            derandomize=True,
        ),
    )
