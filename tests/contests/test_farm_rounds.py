"""The Innovation Farm's recurring screening rounds (``contests.farm``)."""

import datetime as dt

import pytest
from django.utils import timezone

from contests import tasks
from contests.closing import window_apply
from contests.farm import farm_round_open, farm_rounds_open
from contests.models import Racecourse, Season, StageWindow, WindowStage
from contests.selectors import racecourse_list, window_get
from ideas.models import Stage
from ideas.screening_entry import idea_screening_entry
from ideas.services.registration import idea_register
from tests.factories import (
    RacecourseFactory,
    SeasonFactory,
    StageWindowFactory,
    UserFactory,
    idea_draft,
    open_racecourse,
)
from voting.models import Ballot
from voting.screening.selectors.queue import judging_order

from .test_closing import end, judge, stage_of

pytestmark = pytest.mark.django_db


def farm_with_round(*, opens=-10, closes=20, **fields):
    """A farm whose round 1 (voted-down rule, the template) runs from
    ``opens`` to ``closes`` days from now."""
    season = fields.pop("season", None) or SeasonFactory()
    farm = RacecourseFactory(
        season=season, kind=Racecourse.Kind.FARM, slug=f"farm-{season.pk}", **fields
    )
    now = timezone.now()
    window = StageWindowFactory(
        racecourse=farm,
        stage=WindowStage.SCREENING,
        opens_at=now + dt.timedelta(days=opens),
        closes_at=now + dt.timedelta(days=closes),
        rule=StageWindow.Rule.VOTED_DOWN,
        support_budget=4,
        hide_counts=False,
    )
    return farm, window


def plant(farm, author=None):
    idea = idea_draft(racecourse=farm, **({"author": author} if author else {}))
    idea_register(idea=idea, actor=idea.author)
    return idea


def test_a_planted_idea_joins_the_open_round_at_once():
    farm, round_1 = farm_with_round()
    idea = plant(farm)
    assert idea.stage == Stage.SCREENING
    entry = idea_screening_entry(idea=idea)
    assert (entry.state, entry.window, entry.round) == ("joined", round_1.pk, 1)


def test_an_idea_planted_in_the_last_days_waits_for_the_next_round(client):
    farm, round_1 = farm_with_round(closes=2, round_entry_cutoff_days=3)
    idea = plant(farm)
    assert idea.stage == Stage.REGISTERED
    entry = idea_screening_entry(idea=idea)
    assert entry.state == "waiting" and entry.window is None
    assert entry.round == 2 and entry.waits_until == round_1.closes_at
    client.force_login(idea.author)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "waits for the farm’s screening round 2" in page


def test_the_cutoff_is_configurable_per_farm():
    farm, _round = farm_with_round(closes=2, round_entry_cutoff_days=1)
    assert plant(farm).stage == Stage.SCREENING


def test_the_next_round_opens_only_once_the_last_is_applied_and_only_once():
    farm, round_1 = farm_with_round(round_days=14)
    end(round_1)
    assert farm_round_open(racecourse=farm) is None  # closed, not yet applied
    window_apply(window=round_1)
    round_2 = farm_round_open(racecourse=farm)
    assert round_2 is not None and round_2.round == 2
    assert round_2.opens_at == round_1.closes_at
    assert round_2.closes_at - round_2.opens_at == dt.timedelta(days=14)
    # The template's rule and settings carry over.
    assert (round_2.rule, round_2.support_budget, round_2.hide_counts) == (
        StageWindow.Rule.VOTED_DOWN,
        4,
        False,
    )
    assert farm_round_open(racecourse=farm) is None
    assert farm_rounds_open() == []
    assert StageWindow.objects.filter(racecourse=farm).count() == 2


def test_a_long_idle_farm_opens_its_next_round_now():
    farm, round_1 = farm_with_round(opens=-90, closes=-60)
    window_apply(window=round_1)
    when = timezone.now()
    round_2 = farm_round_open(racecourse=farm, when=when)
    assert round_2.is_open(when)
    assert round_2.closes_at > when + dt.timedelta(days=29)


def test_a_season_racecourse_never_gets_rounds():
    main = open_racecourse()
    window = StageWindowFactory(
        racecourse=main,
        stage=WindowStage.SCREENING,
        opens_at=timezone.now() - dt.timedelta(days=9),
        closes_at=timezone.now() - dt.timedelta(days=1),
        applied_at=timezone.now(),
    )
    assert farm_round_open(racecourse=main) is None
    assert StageWindow.objects.filter(racecourse=window.racecourse).count() == 2


def test_the_close_decides_the_round_and_the_waiting_ideas_join_the_next():
    """The minute task: round 1's ideas are decided by its rule, round 2
    opens, and the idea that waited joins it; judging then goes to round 2."""
    farm, round_1 = farm_with_round(closes=5, round_entry_cutoff_days=3)
    liked, disliked = plant(farm), plant(farm)
    judge(liked, "++-")
    judge(disliked, "+--")
    StageWindow.objects.filter(pk=round_1.pk).update(
        closes_at=timezone.now() + dt.timedelta(days=2)
    )
    waiting = plant(farm)
    assert waiting.stage == Stage.REGISTERED

    end(round_1)
    assert tasks.close_due_windows() == 1

    assert stage_of(liked) == Stage.GESTATION
    assert stage_of(disliked) == Stage.ELIMINATED
    assert stage_of(waiting) == Stage.SCREENING
    round_2 = StageWindow.objects.get(racecourse=farm, round=2)
    farm = Racecourse.objects.get(pk=farm.pk)
    assert window_get(racecourse=farm, stage=WindowStage.SCREENING) == round_2
    assert idea_screening_entry(idea=waiting).window == round_2.pk
    voter = UserFactory()
    assert [pk for pk, _c in judging_order(user=voter, window=round_2)] == [waiting.pk]
    judge(waiting, "+")
    assert Ballot.objects.get(idea=waiting).window == round_2
    # Round 1's ballots stay where they were cast.
    assert Ballot.objects.filter(window=round_1).count() == 6
    # A second run does nothing more.
    assert tasks.close_due_windows() == 0
    assert StageWindow.objects.filter(racecourse=farm).count() == 2


def test_a_round_decided_by_a_person_holds_the_next_one_back():
    farm, round_1 = farm_with_round()
    StageWindow.objects.filter(pk=round_1.pk).update(rule=StageWindow.Rule.MANUAL)
    plant(farm)
    end(round_1)
    tasks.close_due_windows()  # writes the proposal, leaves it unapplied
    assert not StageWindow.objects.filter(racecourse=farm, round=2).exists()


def test_the_farm_lives_on_across_seasons():
    """A closed season's farm takes ideas and is on the current season's list."""
    old = SeasonFactory(
        status=Season.Status.CLOSED,
        starts_on=timezone.now().date() - dt.timedelta(days=400),
        ends_on=timezone.now().date() - dt.timedelta(days=200),
    )
    farm, _round = farm_with_round(season=old)
    current = SeasonFactory()
    main = RacecourseFactory(season=current, kind=Racecourse.Kind.MAIN)
    assert set(racecourse_list(season=current)) == {farm, main}
    assert plant(farm).stage == Stage.SCREENING
    # An older season's list does not gain a farm made after it.
    older = SeasonFactory(
        starts_on=timezone.now().date() - dt.timedelta(days=800),
        ends_on=timezone.now().date() - dt.timedelta(days=700),
    )
    assert farm not in racecourse_list(season=older)


def test_a_closed_round_never_tallies_the_next_rounds_ideas():
    """An empty round 1, closed and applied: tallying it again (the final
    tally task finds it has no snapshot) takes none of round 2's ideas."""
    from voting.screening.selectors.results import windows_to_tally
    from voting.screening.services.tallies import tally_round

    farm, round_1 = farm_with_round()
    end(round_1)
    tasks.close_due_windows()
    idea = plant(farm)
    assert idea_screening_entry(idea=idea).round == 2
    for window in windows_to_tally():
        tally_round(window=window)
    assert not round_1.tallies.exists()
    assert (
        StageWindow.objects.get(racecourse=farm, round=2)
        .tallies.filter(idea=idea)
        .exists()
    )


def test_the_farm_page_lists_its_rounds(client):
    farm, round_1 = farm_with_round()
    end(round_1)
    tasks.close_due_windows()
    client.force_login(UserFactory())
    page = client.get(farm.get_absolute_url()).content.decode()
    assert "round 1" in page and "round 2" in page


def test_the_api_lists_the_farm_with_a_later_season_and_numbers_rounds(client):
    old = SeasonFactory(
        status=Season.Status.CLOSED,
        starts_on=timezone.now().date() - dt.timedelta(days=400),
        ends_on=timezone.now().date() - dt.timedelta(days=200),
    )
    farm, round_1 = farm_with_round(season=old)
    end(round_1)
    tasks.close_due_windows()
    current = SeasonFactory()
    client.force_login(UserFactory())
    rows = client.get(f"/api/v1/racecourses/?season={current.pk}").json()
    rows = rows.get("results", rows) if isinstance(rows, dict) else rows
    (row,) = [r for r in rows if r["id"] == farm.pk]
    assert [w["round"] for w in row["windows"]] == [1, 2]
