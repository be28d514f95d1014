"""The race's models: invariants held by the database, and small helpers."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from contests.models import Racecourse, StageWindow, WindowStage
from tests.factories import (
    ChallengeFactory,
    RacecourseFactory,
    SeasonFactory,
    StageWindowFactory,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


def _refused(make):
    """Run ``make`` in a savepoint and report whether the database refused it."""
    try:
        with transaction.atomic():
            make()
    except IntegrityError:
        return True
    return False


def test_season_must_end_after_it_starts():
    """A season ending before it starts is refused; one day long is fine."""
    today = dt.date(2026, 3, 1)
    assert _refused(
        lambda: SeasonFactory(starts_on=today, ends_on=today - dt.timedelta(days=1))
    )
    assert not _refused(lambda: SeasonFactory(starts_on=today, ends_on=today))


def test_one_main_racecourse_per_season():
    """Each season has at most one main racecourse; other kinds may repeat."""
    season = SeasonFactory()
    RacecourseFactory(season=season, kind=Racecourse.Kind.MAIN)
    assert _refused(lambda: RacecourseFactory(season=season, kind=Racecourse.Kind.MAIN))
    assert not _refused(lambda: RacecourseFactory(kind=Racecourse.Kind.MAIN))
    RacecourseFactory(season=season, kind=Racecourse.Kind.DEPARTMENT)
    assert not _refused(
        lambda: RacecourseFactory(season=season, kind=Racecourse.Kind.DEPARTMENT)
    )


def test_racecourse_slug_is_unique_within_a_season():
    """Slugs repeat across seasons but not inside one."""
    first = RacecourseFactory(slug="main")
    assert _refused(lambda: RacecourseFactory(season=first.season, slug="main"))
    assert not _refused(lambda: RacecourseFactory(slug="main"))


def test_team_size_limit_is_at_least_one():
    """A team needs room for its captain."""
    assert _refused(lambda: RacecourseFactory(team_size_limit=0))
    assert not _refused(lambda: RacecourseFactory(team_size_limit=1))


def test_one_window_per_stage_and_racecourse():
    """A racecourse has one registration window, not two."""
    window = StageWindowFactory()
    assert _refused(
        lambda: StageWindowFactory(racecourse=window.racecourse, stage=window.stage)
    )
    assert not _refused(
        lambda: StageWindowFactory(
            racecourse=window.racecourse, stage=WindowStage.SCREENING
        )
    )


def test_window_closes_after_it_opens():
    """A window of zero or negative length is refused."""
    assert _refused(lambda: StageWindowFactory(opens_at=NOW, closes_at=NOW))
    assert _refused(lambda: StageWindowFactory(opens_at=NOW, closes_at=NOW - HOUR))


def test_closing_rules_need_their_parameters():
    """Top K needs K >= 1; a threshold needs a rate between 0 and 1."""
    top_k, threshold = StageWindow.Rule.TOP_K, StageWindow.Rule.THRESHOLD
    assert _refused(lambda: StageWindowFactory(rule=top_k, top_k=0))
    assert not _refused(lambda: StageWindowFactory(rule=top_k, top_k=10))
    assert _refused(
        lambda: StageWindowFactory(rule=threshold, threshold_rate=Decimal("1.5"))
    )
    assert _refused(
        lambda: StageWindowFactory(rule=threshold, threshold_rate=Decimal("-0.1"))
    )
    assert not _refused(
        lambda: StageWindowFactory(rule=threshold, threshold_rate=Decimal("0.6"))
    )
    assert not _refused(lambda: StageWindowFactory(rule=StageWindow.Rule.MANUAL))


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"rule": StageWindow.Rule.TOP_K}, id="top-k-without-k"),
        pytest.param({"rule": StageWindow.Rule.THRESHOLD}, id="threshold-without-rate"),
    ],
)
def test_closing_rules_refuse_missing_parameters(fields):
    """A top-K rule with no K, or a threshold with no rate, cannot be applied."""
    assert _refused(lambda: StageWindowFactory(**fields))


def test_window_is_open_between_its_bounds():
    """Open from ``opens_at`` (inclusive) until ``closes_at`` (exclusive)."""
    window = StageWindowFactory(opens_at=NOW, closes_at=NOW + HOUR)
    assert not window.is_open(NOW - dt.timedelta(seconds=1))
    assert window.is_open(NOW)
    assert window.is_open(NOW + HOUR / 2)
    assert not window.is_open(NOW + HOUR)


def test_window_queryset_open_at_and_closed_unapplied():
    """``open_at`` finds running windows; ``closed_unapplied`` those due a rule."""
    running = StageWindowFactory(opens_at=NOW - HOUR, closes_at=NOW + HOUR)
    closed = StageWindowFactory(opens_at=NOW - 2 * HOUR, closes_at=NOW)
    applied = StageWindowFactory(
        opens_at=NOW - 2 * HOUR, closes_at=NOW - HOUR, applied_at=NOW
    )
    StageWindowFactory(opens_at=NOW + HOUR, closes_at=NOW + 2 * HOUR)

    assert list(StageWindow.objects.open_at(NOW)) == [running]
    assert list(StageWindow.objects.closed_unapplied(NOW)) == [closed]
    assert applied not in StageWindow.objects.closed_unapplied(NOW)


def test_names_and_links():
    """Objects print as people name them; racecourses link to their page."""
    racecourse = RacecourseFactory(name="Main racecourse", kind=Racecourse.Kind.FARM)
    window = StageWindowFactory(racecourse=racecourse, stage=WindowStage.REGISTRATION)
    challenge = ChallengeFactory(racecourse=racecourse, title="Greener packaging")
    assert str(racecourse.season) == racecourse.season.name
    assert str(racecourse) == "Main racecourse"
    assert str(window) == "Main racecourse · Registration"
    assert str(challenge) == "Greener packaging"
    assert racecourse.get_absolute_url().rstrip("/").endswith(str(racecourse.pk))
    assert racecourse.is_farm
    assert not RacecourseFactory(kind=Racecourse.Kind.MAIN).is_farm


def test_deleting_a_season_removes_its_racecourses_and_windows():
    """Seasons own their racecourses, challenges and windows."""
    window = StageWindowFactory()
    ChallengeFactory(racecourse=window.racecourse)
    window.racecourse.season.delete()
    assert not Racecourse.objects.exists()
    assert not StageWindow.objects.exists()


def test_only_mentors_can_be_trainers():
    """The trainer rules look at the mentor role first, so the pool holds mentors."""
    from django.core.exceptions import ValidationError

    from contests.models import Trainer
    from tests.factories import SeasonFactory, UserFactory

    season = SeasonFactory()
    with pytest.raises(ValidationError):
        Trainer(season=season, user=UserFactory(is_mentor=False)).full_clean()
    Trainer(season=season, user=UserFactory(is_mentor=True)).full_clean()


def test_racecourse_admin_page_edits_windows_and_the_evaluator_pool(client):
    """HR sets a window's missing-proposal rule and the pool in the Django admin."""
    from django.urls import reverse

    from tests.factories import RacecourseFactory, StageWindowFactory, UserFactory

    racecourse = RacecourseFactory()
    StageWindowFactory(racecourse=racecourse, stage="gestation")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(
        reverse("admin:contests_racecourse_change", args=[racecourse.pk])
    ).content.decode()
    assert "missing_proposal" in page
    assert 'name="evaluators"' in page
