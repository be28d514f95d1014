"""The season console's services: create, copy, schedule rules, audit, open."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from contests.console import services
from contests.console.selectors import season_review
from contests.lifecycles import SEASON
from contests.models import (
    Challenge,
    Criterion,
    Racecourse,
    Resource,
    ResourceBudget,
    Season,
    StageWindow,
    Trainer,
    WindowChange,
    WindowStage,
)
from horserace.common.lifecycles import status_history
from tests.contests.test_closing import admin_of, in_screening, judge, screening_window
from tests.factories import DepartmentFactory, UserFactory

from .helpers import at, full_season, hr

ONE_DAY = dt.timedelta(days=1)

pytestmark = pytest.mark.django_db

S = WindowStage


def copied(**kwargs) -> Season:
    kwargs.setdefault("name", "Race 2026")
    kwargs.setdefault("year", 2026)
    return services.season_copy(source=full_season(), actor=hr(), **kwargs)


def window(season, stage, kind=Racecourse.Kind.MAIN) -> StageWindow:
    return StageWindow.objects.get(
        racecourse__season=season, racecourse__kind=kind, stage=stage
    )


# --- Creating -----------------------------------------------------------------------


def test_season_create_makes_a_planned_season_with_its_main_racecourse():
    season = services.season_create(
        name="Race 2027",
        year=2027,
        starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2027, 12, 31),
        teams_per_person=4,
        actor=hr(),
    )
    assert season.status == Season.Status.PLANNED
    assert season.teams_per_person == 4
    assert list(season.racecourses.values_list("kind", flat=True)) == ["main"]


def test_season_create_refuses_an_end_before_the_start():
    with pytest.raises(ValidationError) as refused:
        services.season_create(
            name="Backwards",
            year=2027,
            starts_on=dt.date(2027, 5, 1),
            ends_on=dt.date(2027, 4, 1),
            actor=hr(),
        )
    assert "ends_on" in refused.value.error_dict


def test_only_hr_creates_or_copies_seasons():
    source = full_season()
    admin = source.racecourses.get(kind="main").admins.get()
    with pytest.raises(PermissionDenied):
        services.season_copy(source=source, name="X", year=2026, actor=admin)
    with pytest.raises(PermissionDenied):
        services.season_create(
            name="X",
            year=2026,
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 2, 1),
            actor=UserFactory(),
        )


# --- Copying ------------------------------------------------------------------------


def test_copy_brings_racecourses_with_parents_people_and_settings_but_not_the_farm():
    source = full_season()
    season = services.season_copy(
        source=source, name="Race 2026", year=2026, actor=hr()
    )

    assert season.status == Season.Status.PLANNED
    assert season.teams_per_person == 2
    assert (season.starts_on, season.ends_on) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
    )
    main = season.racecourses.get(kind="main")
    dept = season.racecourses.get(kind="department")
    assert not season.racecourses.filter(kind="farm").exists()
    assert dept.parent == main
    assert dept.department.name == "Logistics"
    assert dept.promotion_quota == 3
    assert (main.team_size_limit, main.blind_evaluation) == (6, True)
    old_main = source.racecourses.get(kind="main")
    assert set(main.admins.all()) == set(old_main.admins.all())
    assert set(dept.admins.all()) == set(old_main.admins.all())
    assert set(main.evaluators.all()) == set(old_main.evaluators.all())
    assert main.evaluators.exists()


def test_copy_moves_windows_by_a_year_with_their_rules_and_nothing_applied():
    season = copied()
    screening = window(season, S.SCREENING)
    assert (screening.opens_at, screening.closes_at) == (
        at(2, 15, 2026),
        at(4, 1, 2026),
    )
    assert (screening.rule, screening.top_k, screening.support_budget) == (
        "top_k",
        10,
        5,
    )
    assert window(season, S.GESTATION).missing_proposal == "hold"
    dept_screening = window(season, S.SCREENING, Racecourse.Kind.DEPARTMENT)
    assert str(dept_screening.threshold_rate) == "0.600"
    assert StageWindow.objects.filter(racecourse__season=season).count() == 6
    assert not StageWindow.objects.filter(
        racecourse__season=season, applied_at__isnull=False
    ).exists()
    # Each copied window is born with a record of where it came from.
    changes = WindowChange.objects.filter(window__racecourse__season=season)
    assert changes.count() == 6
    assert {c.kind for c in changes} == {WindowChange.Kind.CREATED}
    assert "Race 2025" in changes.first().reason


def test_copy_by_a_chosen_number_of_days():
    season = copied(shift=7)
    assert season.starts_on == dt.date(2025, 1, 8)
    assert window(season, S.REGISTRATION).opens_at == at(2, 8)


def test_copy_brings_rubrics_catalogue_budgets_open_challenges_and_trainers():
    season = copied()
    main = season.racecourses.get(kind="main")
    dept = season.racecourses.get(kind="department")
    criteria = Criterion.objects.filter(rubric__racecourse=main)
    assert [(c.name, c.weight) for c in criteria] == [("Value", 2), ("Feasibility", 1)]
    assert set(
        Resource.objects.filter(season=season).values_list("name", flat=True)
    ) == {
        "Cloud credits",
        "Race days",
    }
    budgets = ResourceBudget.objects.filter(racecourse__season=season)
    assert {(b.racecourse, b.resource.name, b.amount) for b in budgets} == {
        (main, "Cloud credits", 50000),
        (dept, "Race days", 40),
    }
    assert all(b.resource.season == season for b in budgets)
    challenges = Challenge.objects.filter(racecourse__season=season)
    assert [(c.title, c.is_open) for c in challenges] == [("Greener parcels", True)]
    trainers = Trainer.objects.filter(season=season)
    assert [(t.capacity, t.expertise) for t in trainers] == [(4, "Ops")]


# --- Department racecourses ---------------------------------------------------------


def test_department_racecourses_feed_the_main_one_and_close_screening_halfway():
    season = copied()
    a, b = DepartmentFactory(name="Sales"), DepartmentFactory(name="Legal")
    made = services.department_racecourses_add(
        season=season, departments=[a, b], promotion_quota=2, actor=hr()
    )
    main = season.racecourses.get(kind="main")
    assert {(r.department, r.parent, r.promotion_quota) for r in made} == {
        (a, main, 2),
        (b, main, 2),
    }
    screening = StageWindow.objects.get(racecourse=made[0], stage=S.SCREENING)
    main_screening = window(season, S.SCREENING)
    assert screening.opens_at == main_screening.opens_at
    assert screening.closes_at < main_screening.closes_at
    # Promoting racecourses run registration and screening only.
    assert set(made[0].windows.values_list("stage", flat=True)) == {
        "registration",
        "screening",
    }
    (own,) = services.department_racecourses_add(
        season=season, departments=[DepartmentFactory()], promotion_quota=0, actor=hr()
    )
    assert own.windows.count() == 4


def test_department_racecourses_from_a_template_and_never_twice():
    season = copied()
    template = season.racecourses.get(kind="department")
    sales = DepartmentFactory(name="Sales")
    (made,) = services.department_racecourses_add(
        season=season,
        departments=[sales],
        promotion_quota=1,
        template=template,
        actor=hr(),
    )
    assert set(made.windows.values_list("stage", flat=True)) == {
        "registration",
        "screening",
    }
    assert made.windows.get(stage=S.SCREENING).closes_at == at(3, 15, 2026)
    with pytest.raises(ValidationError):
        services.department_racecourses_add(
            season=season, departments=[sales], promotion_quota=1, actor=hr()
        )


# --- Moving windows: the rules ------------------------------------------------------


def move(season, stage, kind=Racecourse.Kind.MAIN, **times):
    return services.window_move(window=window(season, stage, kind), actor=hr(), **times)


def refused(season, stage, kind=Racecourse.Kind.MAIN, **times) -> str:
    with pytest.raises(ValidationError) as error:
        move(season, stage, kind, **times)
    return " ".join(error.value.messages)


def test_a_window_must_close_after_it_opens():
    season = copied()
    assert "after it opens" in refused(
        season, S.GESTATION, opens_at=at(5, 1, 2026), closes_at=at(4, 30, 2026)
    )


def test_windows_stay_inside_the_season():
    season = copied()
    assert "season's dates" in refused(season, S.EVALUATION, closes_at=at(1, 10, 2027))


def test_stages_open_in_funnel_order():
    season = copied()
    assert "may not open before" in refused(
        season, S.SCREENING, opens_at=at(1, 20, 2026)
    )


def test_screening_overlaps_neither_gestation_nor_evaluation():
    season = copied()
    assert "overlap" in refused(season, S.SCREENING, closes_at=at(4, 15, 2026))
    assert "overlap" in refused(
        season, S.EVALUATION, opens_at=at(3, 20, 2026), closes_at=at(9, 1, 2026)
    )


def test_evaluation_may_overlap_gestation_but_closes_after_it():
    season = copied()
    gestation = window(season, S.GESTATION)
    assert move(season, S.EVALUATION, opens_at=gestation.opens_at + ONE_DAY)
    assert "may not close before" in refused(
        season, S.EVALUATION, closes_at=gestation.closes_at - ONE_DAY
    )


def test_registration_may_overlap_screening():
    season = copied()
    change = move(season, S.REGISTRATION, closes_at=at(3, 25, 2026))
    assert change is not None
    assert window(season, S.REGISTRATION).closes_at == at(3, 25, 2026)


def test_a_department_screening_closing_after_its_parents_is_a_warning():
    """Its promoted ideas then skip the parent's vote: allowed, but said."""
    season = copied()
    assert move(
        season, S.SCREENING, Racecourse.Kind.DEPARTMENT, closes_at=at(4, 1, 2026)
    )
    items = season_review(season=season)
    late = [item for item in items if item.code == "late_promotion"]
    assert len(late) == 1 and not late[0].is_error
    assert "skip that vote" in late[0].message


def test_a_refused_move_changes_nothing_and_records_nothing():
    season = copied()
    before = WindowChange.objects.count()
    refused(season, S.SCREENING, closes_at=at(4, 15, 2026))
    assert window(season, S.SCREENING).closes_at == at(4, 1, 2026)
    assert WindowChange.objects.count() == before


# --- Moving windows: who, why, and the record ---------------------------------------


def test_a_move_is_recorded_with_old_and_new_times_actor_and_reason():
    season = copied()
    person = hr()
    screening = window(season, S.SCREENING)
    change = services.window_move(
        window=screening, actor=person, closes_at=at(3, 25, 2026), reason="Holiday"
    )
    assert change.kind == WindowChange.Kind.MOVED
    assert (change.old_closes_at, change.new_closes_at) == (
        at(4, 1, 2026),
        at(3, 25, 2026),
    )
    assert change.old_opens_at == change.new_opens_at == at(2, 15, 2026)
    assert (change.actor, change.reason) == (person, "Holiday")


def test_moving_to_the_same_times_records_nothing():
    season = copied()
    screening = window(season, S.SCREENING)
    assert (
        services.window_move(
            window=screening, actor=hr(), closes_at=screening.closes_at
        )
        is None
    )
    assert not screening.changes.filter(kind=WindowChange.Kind.MOVED).exists()


def test_a_racecourse_admin_may_not_move_a_window():
    season = copied()
    admin = season.racecourses.get(kind="main").admins.get()
    with pytest.raises(PermissionDenied):
        services.window_move(
            window=window(season, S.SCREENING), actor=admin, closes_at=at(3, 25, 2026)
        )


def open_season_window():
    """An open screening window (top 1) of an open season, with two judged ideas."""
    screening = screening_window()
    up, down = in_screening(screening.racecourse, 2)
    judge(up, "++")
    judge(down, "--")
    return screening, up, down


def test_a_reason_is_required_once_the_season_is_open():
    screening, _up, _down = open_season_window()
    later = screening.closes_at + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.window_move(window=screening, actor=hr(), closes_at=later)
    assert "reason" in error.value.error_dict
    change = services.window_move(
        window=screening, actor=hr(), closes_at=later, reason="More voters"
    )
    assert change.reason == "More voters"


def test_a_window_cannot_be_moved_to_close_in_the_past_once_open():
    screening, _up, _down = open_season_window()
    with pytest.raises(ValidationError) as error:
        services.window_move(
            window=screening,
            actor=hr(),
            closes_at=timezone.now() - dt.timedelta(minutes=5),
            reason="Oops",
        )
    assert "closes_at" in error.value.error_dict


# --- Closing early ------------------------------------------------------------------


def test_closing_early_closes_now_applies_the_rule_and_is_recorded():
    screening, up, down = open_season_window()
    planned_close = screening.closes_at
    person = hr()
    outcome = services.window_close_early(
        window=screening, actor=person, reason="Enough votes"
    )
    screening.refresh_from_db()
    assert outcome["status"] == "applied"
    assert outcome["passed"] == [up.pk]
    assert screening.applied_at is not None
    assert screening.closes_at <= timezone.now()
    change = screening.changes.get(kind=WindowChange.Kind.CLOSED_EARLY)
    assert (change.old_closes_at, change.new_closes_at) == (
        planned_close,
        screening.closes_at,
    )
    assert (change.actor, change.reason) == (person, "Enough votes")


def test_closing_early_needs_hr_a_reason_and_an_open_window():
    screening, _up, _down = open_season_window()
    with pytest.raises(PermissionDenied):
        services.window_close_early(
            window=screening, actor=admin_of(screening.racecourse), reason="Done"
        )
    with pytest.raises(ValidationError):
        services.window_close_early(window=screening, actor=hr(), reason="")
    season = copied()  # its windows are in the past or the future, not open
    with pytest.raises(ValidationError):
        services.window_close_early(
            window=window(season, S.SCREENING), actor=hr(), reason="x"
        )
    screening.refresh_from_db()
    assert screening.applied_at is None
    assert not WindowChange.objects.filter(kind=WindowChange.Kind.CLOSED_EARLY).exists()


# --- Adding a window ----------------------------------------------------------------


def test_adding_a_missing_window_is_checked_and_recorded():
    season = services.season_create(
        name="Fresh",
        year=2027,
        starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2027, 12, 31),
        actor=hr(),
    )
    main = season.racecourses.get()
    made = services.window_create(
        racecourse=main,
        stage=S.REGISTRATION,
        opens_at=at(2, 1, 2027),
        closes_at=at(3, 1, 2027),
        actor=hr(),
    )
    assert made.changes.get().kind == WindowChange.Kind.CREATED
    with pytest.raises(ValidationError):  # it has one now
        services.window_create(
            racecourse=main,
            stage=S.REGISTRATION,
            opens_at=at(2, 1, 2027),
            closes_at=at(3, 1, 2027),
            actor=hr(),
        )
    with pytest.raises(ValidationError):  # screening before registration
        services.window_create(
            racecourse=main,
            stage=S.SCREENING,
            opens_at=at(1, 15, 2027),
            closes_at=at(3, 1, 2027),
            actor=hr(),
        )
    with pytest.raises(ValidationError):  # top K needs K
        services.window_create(
            racecourse=main,
            stage=S.SCREENING,
            opens_at=at(2, 15, 2027),
            closes_at=at(3, 15, 2027),
            rule="top_k",
            actor=hr(),
        )


# --- Reviewing and opening ----------------------------------------------------------


def test_open_refuses_a_season_with_errors():
    season = services.season_create(
        name="Empty",
        year=2027,
        starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2027, 12, 31),
        actor=hr(),
    )
    codes = {item.code for item in season_review(season=season) if item.is_error}
    assert codes == {"missing_window"}
    with pytest.raises(ValidationError):
        services.season_open(season=season, actor=hr())
    season.refresh_from_db()
    assert season.status == Season.Status.PLANNED


def test_open_moves_a_reviewed_season_through_its_lifecycle():
    season = copied()
    person = hr()
    services.season_open(season=season, actor=person, reason="Go")
    season.refresh_from_db()
    assert season.status == Season.Status.OPEN
    (event,) = status_history(SEASON, season)
    assert (event.move, event.actor, event.reason) == ("open", person, "Go")
    with pytest.raises(ValidationError):  # open already
        services.season_open(season=season, actor=person)


def test_the_review_warns_without_blocking():
    season = copied()
    main = season.racecourses.get(kind="main")
    main.evaluators.clear()
    items = season_review(season=season)
    assert not any(item.is_error for item in items)
    assert "no_evaluators" in {item.code for item in items}
    assert "past_window" in {item.code for item in items}  # 2026 is over


def test_the_review_reports_a_broken_schedule_as_an_error():
    season = copied()
    StageWindow.objects.filter(
        racecourse__season=season, racecourse__kind="main", stage=S.EVALUATION
    ).update(opens_at=at(3, 20, 2026))
    errors = [item for item in season_review(season=season) if item.is_error]
    assert errors and {item.code for item in errors} == {"schedule"}
    assert any("may not overlap" in item.message for item in errors)
