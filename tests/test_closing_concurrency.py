"""Closing windows from several workers at the same moment, on PostgreSQL.

Beat may fire ``close_due_windows`` while a late run is still working, or two
beats may run by mistake: every idea must still change stage exactly once and
every window be applied once, with no errors and no deadlock.
"""

import pytest
from django.db import connection

from contests.models import Racecourse, StageWindow, WindowStage
from contests.tasks import close_due_windows
from ideas.models import Stage, StageTransition
from tests.contests.test_closing import end, in_screening, judge, screening_window
from tests.factories import (
    RacecourseFactory,
    StageWindowFactory,
    idea_in_stage,
    open_racecourse,
)
from tests.threads import run_together
from voting.models import ClosingProposal

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency tests need PostgreSQL (set DATABASE_URL)",
    ),
]

THREADS = 8


def _season_at_its_close():
    """Every kind of due window: registration, each rule, and a department."""
    main = open_racecourse()
    department = RacecourseFactory(
        season=main.season,
        kind=Racecourse.Kind.DEPARTMENT,
        parent=main,
        promotion_quota=2,
    )
    StageWindowFactory(racecourse=department, stage=WindowStage.REGISTRATION)
    registration = open_racecourse()
    registered = [
        idea_in_stage(Stage.REGISTERED, racecourse=registration) for _ in "abc"
    ]

    windows = {
        "main": screening_window(main, top_k=2),
        "department": screening_window(department, top_k=1),
        "threshold": screening_window(
            rule=StageWindow.Rule.THRESHOLD, threshold_rate="0.5"
        ),
        "voted_down": screening_window(rule=StageWindow.Rule.VOTED_DOWN),
        "manual": screening_window(rule=StageWindow.Rule.MANUAL),
        "registration": registration.windows.get(stage=WindowStage.REGISTRATION),
    }
    judged = {}
    for name in ("main", "department", "threshold", "voted_down", "manual"):
        ideas = in_screening(windows[name].racecourse, 4)
        for idea, votes in zip(ideas, ["+++", "++-", "+--", ""], strict=True):
            judge(idea, votes)
        judged[name] = ideas
    for window in windows.values():
        end(window)
    return windows, judged, registered


def test_simultaneous_closes_apply_each_window_once_and_move_each_idea_once():
    windows, judged, registered = _season_at_its_close()
    screened = [i for name, ideas in judged.items() if name != "manual" for i in ideas]

    results = run_together([close_due_windows for _ in range(THREADS)])

    errors = [value for outcome, value in results if outcome == "error"]
    assert errors == []
    # Five windows apply (the manual one only proposes), each by one thread.
    assert sum(value for _ok, value in results) == 5
    for name, window in windows.items():
        window.refresh_from_db()
        assert (window.applied_at is None) == (name == "manual"), name
    assert ClosingProposal.objects.filter(window=windows["manual"]).count() == 1

    for idea in screened:
        moves = StageTransition.objects.filter(idea=idea, from_stage=Stage.SCREENING)
        assert moves.count() == 1, idea
        idea.refresh_from_db()
        assert idea.stage in (Stage.GESTATION, Stage.ELIMINATED)
    for idea in registered:
        moves = StageTransition.objects.filter(idea=idea, from_stage=Stage.REGISTERED)
        assert moves.count() == 1
        idea.refresh_from_db()
        assert idea.stage == Stage.SCREENING
    assert not StageTransition.objects.filter(
        idea__in=judged["manual"], from_stage=Stage.SCREENING
    ).exists()

    # The department's best two went up; the main screening had closed too,
    # so they passed on to gestation whichever window was applied first.
    main = windows["main"].racecourse
    department = windows["department"].racecourse
    assert [(i.racecourse, i.stage) for i in judged["department"]] == [
        (main, Stage.GESTATION),
        (main, Stage.GESTATION),
        (department, Stage.ELIMINATED),
        (department, Stage.ELIMINATED),
    ]


def test_simultaneous_closes_of_one_window_write_one_transition_per_idea():
    """The narrowest race: many threads, one window, many ideas."""
    window = screening_window(top_k=3)
    ideas = in_screening(window.racecourse, 6)
    for idea, votes in zip(ideas, ["+", "++", "+-", "-", "+++", ""], strict=True):
        judge(idea, votes)
    end(window)

    results = run_together([close_due_windows for _ in range(THREADS)])

    assert [outcome for outcome, _v in results] == ["ok"] * THREADS
    assert sorted(value for _ok, value in results) == [0] * (THREADS - 1) + [1]
    assert StageTransition.objects.filter(
        idea__in=ideas, from_stage=Stage.SCREENING
    ).count() == len(ideas)
    assert (
        StageTransition.objects.filter(idea__in=ideas, to_stage=Stage.GESTATION).count()
        == 3
    )


def test_simultaneous_closes_of_a_farm_round_open_one_next_round():
    """The farm: round 1 decided once, round 2 opened once, the idea that
    waited moved into it once, whatever the number of workers."""
    import datetime as dt

    from django.utils import timezone

    from tests.contests.test_farm_rounds import farm_with_round, plant

    farm, round_1 = farm_with_round(closes=5, round_entry_cutoff_days=3)
    judged = plant(farm)
    judge(judged, "++")
    StageWindow.objects.filter(pk=round_1.pk).update(
        closes_at=timezone.now() + dt.timedelta(days=2)
    )
    waiting = plant(farm)
    end(round_1)

    results = run_together([close_due_windows for _ in range(THREADS)])

    assert [value for outcome, value in results if outcome == "error"] == []
    assert StageWindow.objects.filter(racecourse=farm).count() == 2
    assert StageWindow.objects.get(racecourse=farm, round=2).is_open()
    for idea, target in ((judged, Stage.GESTATION), (waiting, Stage.SCREENING)):
        idea.refresh_from_db()
        assert idea.stage == target
        assert StageTransition.objects.filter(idea=idea, to_stage=target).count() == 1
