"""Reads for the race: the current season, open registration, deadlines."""

import datetime as dt

import pytest
from django.utils import timezone

from contests.models import Racecourse, Season, WindowStage
from contests.selectors import (
    challenge_list,
    deadlines_upcoming,
    racecourse_get,
    racecourse_list,
    racecourse_list_with_counts,
    registration_is_open,
    season_current,
    season_list,
    window_get,
)
from ideas.models import Stage
from tests.factories import (
    ChallengeFactory,
    RacecourseFactory,
    SeasonFactory,
    StageWindowFactory,
    idea_draft,
    idea_in_stage,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


# --- season_current -------------------------------------------------------------------


def test_no_season_means_none():
    """Before HR sets anything up there is no current season."""
    assert season_current() is None


def test_the_open_season_is_current():
    """An open season wins over newer planned and older closed ones."""
    SeasonFactory(year=2025, status=Season.Status.CLOSED)
    open_season = SeasonFactory(year=2026, status=Season.Status.OPEN)
    SeasonFactory(year=2027, status=Season.Status.PLANNED)
    assert season_current() == open_season


def test_without_an_open_season_the_latest_closed_one_is_current():
    """Between seasons, the most recent finished season is shown."""
    SeasonFactory(year=2024, status=Season.Status.CLOSED)
    latest = SeasonFactory(year=2025, status=Season.Status.CLOSED)
    SeasonFactory(year=2027, status=Season.Status.PLANNED)
    assert season_current() == latest


def test_a_planned_season_is_current_when_it_is_all_there_is():
    """A company that has only planned its first season sees that season."""
    planned = SeasonFactory(year=2027, status=Season.Status.PLANNED)
    assert season_current() == planned


def test_of_two_open_seasons_the_newest_is_current():
    """If two seasons are open, the later year is current."""
    SeasonFactory(year=2025, status=Season.Status.OPEN)
    newest = SeasonFactory(year=2026, status=Season.Status.OPEN)
    assert season_current() == newest
    assert list(season_list())[0] == newest


# --- registration_is_open -------------------------------------------------------------


def _racecourse_with_registration(opens_at, closes_at, **kwargs):
    racecourse = RacecourseFactory(**kwargs)
    StageWindowFactory(
        racecourse=racecourse,
        stage=WindowStage.REGISTRATION,
        opens_at=opens_at,
        closes_at=closes_at,
    )
    return racecourse


@pytest.mark.parametrize(
    ("when", "is_open"),
    [
        pytest.param(NOW - dt.timedelta(microseconds=1), False, id="just-before-open"),
        pytest.param(NOW, True, id="at-opening-inclusive"),
        pytest.param(NOW + HOUR, True, id="inside"),
        pytest.param(NOW + 2 * HOUR - dt.timedelta(microseconds=1), True, id="last-us"),
        pytest.param(NOW + 2 * HOUR, False, id="at-close-exclusive"),
        pytest.param(NOW + 3 * HOUR, False, id="after-close"),
    ],
)
def test_registration_window_bounds(when, is_open):
    """The window opens at ``opens_at`` (inclusive) and shuts at ``closes_at``."""
    racecourse = _racecourse_with_registration(NOW, NOW + 2 * HOUR)
    assert registration_is_open(racecourse=racecourse, when=when) is is_open


def test_registration_defaults_to_now():
    """Without a time, the question is about this moment."""
    now = timezone.now()
    assert registration_is_open(
        racecourse=_racecourse_with_registration(now - HOUR, now + HOUR)
    )
    assert not registration_is_open(
        racecourse=_racecourse_with_registration(now - 2 * HOUR, now - HOUR)
    )


def test_no_registration_window_means_closed():
    """A racecourse without a registration window takes no registrations."""
    racecourse = RacecourseFactory(kind=Racecourse.Kind.MAIN)
    StageWindowFactory(
        racecourse=racecourse,
        stage=WindowStage.SCREENING,
        opens_at=NOW - HOUR,
        closes_at=NOW + HOUR,
    )
    assert registration_is_open(racecourse=racecourse, when=NOW) is False


@pytest.mark.parametrize("with_closed_window", [False, True])
def test_the_farm_is_always_open(with_closed_window):
    """The Innovation Farm registers at any time, whatever windows it has."""
    if with_closed_window:
        farm = _racecourse_with_registration(
            NOW - 2 * HOUR, NOW - HOUR, kind=Racecourse.Kind.FARM
        )
    else:
        farm = RacecourseFactory(kind=Racecourse.Kind.FARM)
    for when in (NOW, NOW + dt.timedelta(days=3650), None):
        assert registration_is_open(racecourse=farm, when=when) is True


def test_window_get_finds_a_stage_window_with_or_without_prefetch():
    """``window_get`` returns the racecourse's window for a stage, or None."""
    racecourse = _racecourse_with_registration(NOW, NOW + HOUR)
    window = racecourse.windows.get()
    assert window_get(racecourse=racecourse, stage=WindowStage.REGISTRATION) == window
    assert window_get(racecourse=racecourse, stage=WindowStage.SCREENING) is None
    prefetched = racecourse_get(pk=racecourse.pk)
    assert window_get(racecourse=prefetched, stage=WindowStage.REGISTRATION) == window


# --- deadlines_upcoming ---------------------------------------------------------------


def test_deadlines_are_the_open_windows_soonest_close_first():
    """Open windows of the season, ordered by closing time; others left out."""
    season = SeasonFactory()
    main = RacecourseFactory(season=season, kind=Racecourse.Kind.MAIN)
    department = RacecourseFactory(season=season)
    late = StageWindowFactory(
        racecourse=main,
        stage=WindowStage.REGISTRATION,
        opens_at=NOW - HOUR,
        closes_at=NOW + 10 * HOUR,
    )
    soon = StageWindowFactory(
        racecourse=department,
        stage=WindowStage.REGISTRATION,
        opens_at=NOW - HOUR,
        closes_at=NOW + HOUR,
    )
    middle = StageWindowFactory(
        racecourse=main,
        stage=WindowStage.SCREENING,
        opens_at=NOW,
        closes_at=NOW + 5 * HOUR,
    )
    StageWindowFactory(  # closed already
        racecourse=department,
        stage=WindowStage.SCREENING,
        opens_at=NOW - 3 * HOUR,
        closes_at=NOW,
    )
    StageWindowFactory(  # not open yet
        racecourse=main,
        stage=WindowStage.GESTATION,
        opens_at=NOW + HOUR,
        closes_at=NOW + 2 * HOUR,
    )
    StageWindowFactory(  # another season
        stage=WindowStage.REGISTRATION,
        opens_at=NOW - HOUR,
        closes_at=NOW + 30 * dt.timedelta(minutes=1),
    )

    assert deadlines_upcoming(season=season, when=NOW) == [soon, middle, late]
    assert deadlines_upcoming(season=season, when=NOW, limit=2) == [soon, middle]


def test_no_open_windows_means_no_deadlines():
    """A season with nothing open has no upcoming deadline."""
    assert deadlines_upcoming(season=SeasonFactory(), when=NOW) == []


# --- racecourses and challenges -------------------------------------------------------


def test_racecourse_list_filters_by_season():
    """Racecourses of one season only, when a season is given."""
    first, second = RacecourseFactory(), RacecourseFactory()
    assert set(racecourse_list()) == {first, second}
    assert list(racecourse_list(season=first.season)) == [first]


def test_racecourse_counts_leave_drafts_out():
    """Idea counts show the race (registered and later), not private drafts."""
    racecourse = RacecourseFactory(kind=Racecourse.Kind.FARM)
    ChallengeFactory(racecourse=racecourse)
    ChallengeFactory(racecourse=racecourse)
    idea_in_stage(Stage.REGISTERED, racecourse=racecourse)
    idea_in_stage(Stage.SCREENING, racecourse=racecourse)
    idea_draft(racecourse=racecourse)
    [row] = racecourse_list_with_counts(season=racecourse.season)
    assert (row.idea_count, row.challenge_count) == (2, 2)


def test_challenge_list_filters_by_season_and_racecourse():
    """Challenges narrow to a season or a racecourse."""
    here = ChallengeFactory()
    there = ChallengeFactory()
    assert set(challenge_list()) == {here, there}
    assert list(challenge_list(season=here.racecourse.season)) == [here]
    assert list(challenge_list(racecourse=there.racecourse)) == [there]
