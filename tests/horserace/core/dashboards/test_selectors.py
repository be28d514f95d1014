"""Each dashboard series, to the number, on a small season (``world``)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from horserace.core.dashboards import selectors

from .world import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build()


def _board(world, user=None, racecourse=None):
    return selectors.dashboard_get(
        season=world.season, user=user or world.hr, racecourse=racecourse
    )


def test_the_funnel_counts_every_stage_an_idea_reached(world):
    board = _board(world)
    assert [(s.stage, s.count) for s in board.funnel] == [
        ("idea", 4),  # the draft too
        ("registered", 3),
        ("screening", 3),  # the eliminated idea got this far
        ("gestation", 2),
        ("evaluation", 1),
        ("realization", 1),
    ]


def test_participation_counts_distinct_people_per_department(world):
    rows = {
        r.department: (r.submitted, r.joined, r.voted)
        for r in _board(world).participation
    }
    # Alpha: u1 submitted two ideas (one person), u5 voted twice (one person).
    # Beta: u2 submitted and voted, u3's draft is not submitted, u4 joined.
    assert rows == {"Alpha": (1, 0, 1), "Beta": (1, 1, 1)}


def test_ballots_are_counted_per_day_and_window(world):
    ballots = _board(world).ballots
    today = timezone.localdate()
    assert ballots.days == [today - dt.timedelta(days=1), today]
    [window] = ballots.windows
    assert window.window_id == world.window.pk
    assert window.days == {today - dt.timedelta(days=1): 2, today: 1}
    assert [total for _day, _counts, total in ballots.rows()] == [2, 1]


def test_evaluation_progress_counts_scorecards_due_started_and_submitted(world):
    [row] = _board(world).evaluation
    assert (row.racecourse, row.due, row.started, row.submitted, row.percent) == (
        "Main",
        3,
        1,
        1,
        33,
    )


def test_resources_sum_budgets_and_grants(world):
    [use] = _board(world).resources
    assert (use.resource, use.budget, use.granted, use.percent) == (
        "Cloud credits",
        Decimal("1500"),
        Decimal("300"),
        20.0,
    )


def test_tranches_released_against_planned(world):
    tranches = _board(world).tranches
    [project] = tranches.projects
    assert (project.idea_id, project.planned, project.released, project.percent) == (
        world.project.pk,
        Decimal("6000"),
        Decimal("1000"),
        17,
    )
    [release] = tranches.releases
    assert (release.day, release.amount, release.cumulative) == (
        timezone.localdate(),
        Decimal("1000"),
        Decimal("1000"),
    )


def test_a_racecourse_admin_sees_only_their_racecourse(world):
    board = _board(world, user=world.admin)
    assert [r.name for r in board.racecourses] == ["Taobao"]
    assert [s.count for s in board.funnel] == [1, 1, 1, 1, 0, 0]
    assert [(r.department, r.submitted) for r in board.participation] == [("Alpha", 1)]
    assert board.ballots.windows == []
    assert board.evaluation == []
    assert [(u.budget, u.granted) for u in board.resources] == [
        (Decimal("1000"), Decimal("300"))
    ]
    assert board.tranches.projects == []


def test_the_racecourse_filter_narrows_every_series(world):
    board = _board(world, racecourse=world.main)
    assert board.funnel[0].count == 3
    assert [(u.budget, u.granted) for u in board.resources] == [
        (Decimal("500"), Decimal("0"))
    ]


def test_the_whole_dashboard_costs_a_bounded_number_of_queries(
    world, django_assert_max_num_queries
):
    # 1 racecourses + funnel 2 + participation 3 + ballots 1 + evaluation 1
    # + resources 2 + tranches 2 (plus the permission check).
    with django_assert_max_num_queries(13):
        _board(world)
