"""Races between simultaneous requests, on PostgreSQL's real row locks.

Each test starts its threads together behind a barrier; every thread has its
own database connection (closed when the thread ends). SQLite serialises
whole transactions, so these tests only mean something on PostgreSQL.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from contests.models import Racecourse
from ideas import funnel
from ideas.models import Registration, Stage, StageTransition, TeamMembership
from ideas.services.registration import idea_register
from ideas.services.teams import invitation_accept, team_invite
from tests.factories import (
    RacecourseFactory,
    SeasonFactory,
    StageWindowFactory,
    UserFactory,
    idea_draft,
    idea_in_stage,
    open_racecourse,
)
from tests.threads import errors_of, run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency tests need PostgreSQL (set DATABASE_URL)",
    ),
]


def test_simultaneous_registrations_get_distinct_consecutive_numbers():
    """N ideas of one season registered at the same moment get numbers 1..N."""
    n = 8
    season = SeasonFactory()
    main = open_racecourse(season=season)
    farm = RacecourseFactory(season=season, kind=Racecourse.Kind.FARM)
    ideas = [idea_draft(racecourse=main if i % 2 else farm) for i in range(n)]

    results = run_together(
        [
            lambda idea=idea: idea_register(idea=idea, actor=idea.author)
            for idea in ideas
        ]
    )

    assert errors_of(results) == []
    numbers = sorted(
        Registration.objects.filter(season=season).values_list("number", flat=True)
    )
    assert numbers == list(range(1, n + 1))
    assert {value.idea_id for _ok, value in results} == {i.pk for i in ideas}


def test_registrations_in_two_seasons_at_once_number_independently():
    """Two seasons registering at the same time each count from one."""
    first, second = SeasonFactory(year=2026), SeasonFactory(year=2027)
    racecourses = [open_racecourse(season=season) for season in (first, second)]
    ideas = [idea_draft(racecourse=rc) for rc in racecourses for _ in range(3)]
    results = run_together(
        [
            lambda idea=idea: idea_register(idea=idea, actor=idea.author)
            for idea in ideas
        ]
    )
    assert errors_of(results) == []
    for season in (first, second):
        assert sorted(
            Registration.objects.filter(season=season).values_list("number", flat=True)
        ) == [1, 2, 3]


def test_many_accepting_the_last_free_seat_only_one_gets_it():
    """M invitees accepting a team with one free seat: exactly one joins."""
    m = 6
    racecourse = RacecourseFactory(kind=Racecourse.Kind.MAIN, team_size_limit=2)
    StageWindowFactory(racecourse=racecourse)
    idea = idea_draft(racecourse=racecourse)
    invitees = [UserFactory() for _ in range(m)]
    invitations = [
        team_invite(idea=idea, actor=idea.author, invitee=user) for user in invitees
    ]

    results = run_together(
        [
            lambda inv=inv, user=user: invitation_accept(invitation=inv, actor=user)
            for inv, user in zip(invitations, invitees, strict=True)
        ]
    )

    winners = [value for outcome, value in results if outcome == "ok"]
    losers = errors_of(results)
    assert len(winners) == 1
    assert len(losers) == m - 1
    assert all(isinstance(e, ValidationError) for e in losers), losers
    assert {e.code for e in losers} == {"team_full"}
    assert TeamMembership.objects.filter(idea=idea).count() == 2


def test_two_identical_transitions_at_once_write_one_row():
    """Two workers opening screening for the same idea leave one transition."""
    idea = idea_in_stage(Stage.REGISTERED)

    results = run_together(
        [
            lambda: funnel.idea_transition(idea=idea, to=Stage.SCREENING)
            for _ in range(2)
        ]
    )

    assert errors_of(results) == []
    assert sorted(value[1] for _ok, value in results) == [False, True]
    assert (
        StageTransition.objects.filter(idea=idea, to_stage=Stage.SCREENING).count() == 1
    )
    idea.refresh_from_db()
    assert idea.stage == Stage.SCREENING


def test_double_registration_click_gives_one_registration():
    """The same idea registered twice at once: one number, one transition."""
    idea = idea_draft()

    results = run_together(
        [lambda: idea_register(idea=idea, actor=idea.author) for _ in range(2)]
    )

    assert errors_of(results) == []
    assert len({value.pk for _ok, value in results}) == 1
    assert Registration.objects.filter(idea=idea).count() == 1
    assert StageTransition.objects.filter(idea=idea).count() == 1


def test_conflicting_transitions_at_once_leave_a_consistent_history():
    """Withdraw and merge racing on one idea: one wins, the loser writes nothing."""
    idea = idea_in_stage(Stage.REGISTERED)
    into = idea_in_stage(Stage.REGISTERED)

    results = run_together(
        [
            lambda: funnel.idea_withdraw(idea=idea, actor=idea.author),
            lambda: funnel.idea_merge(idea=idea, into=into, actor=into.author),
        ]
    )

    idea.refresh_from_db()
    rows = list(StageTransition.objects.filter(idea=idea).order_by("pk"))
    # Withdrawn ideas may still be merged, so both can succeed in order; what
    # must hold is that the history replays to the final stage.
    stage = Stage.DRAFT
    for row in rows:
        assert row.from_stage == stage
        stage = row.to_stage
    assert stage == idea.stage
    # One row for the registration, plus one per successful move.
    assert len(rows) == 1 + sum(1 for outcome, _v in results if outcome == "ok")
    assert any(outcome == "ok" for outcome, _v in results)
