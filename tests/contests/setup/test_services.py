"""The set-up services: validation, budgets against grants, roles and their audit."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from contests.models import Challenge, Racecourse, ResourceBudget, Trainer
from contests.roles import Role, RoleChange
from contests.setup import services
from ideas.gestation.services.resources import (
    resource_request_create,
    resource_request_grant,
)
from tests.factories import ChallengeFactory, RacecourseFactory, UserFactory
from tests.factories_gestation import (
    ResourceFactory,
    TrainerFactory,
    budget_for,
    gestating_idea,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr():
    return UserFactory(is_hr_admin=True)


@pytest.fixture
def racecourse():
    return RacecourseFactory()


def admin_of(racecourse: Racecourse):
    admin = UserFactory()
    racecourse.admins.add(admin)
    return admin


# --- Racecourse settings -----------------------------------------------------------


def test_hr_changes_a_racecourses_settings(hr, racecourse):
    services.racecourse_update(
        racecourse=racecourse,
        actor=hr,
        changes={"name": " Cloud race ", "evaluators_per_project": 5},
    )
    racecourse.refresh_from_db()
    assert racecourse.name == "Cloud race"
    assert racecourse.evaluators_per_project == 5


def test_a_racecourse_admin_changes_only_their_own_racecourse(racecourse):
    admin = admin_of(racecourse)
    assert not admin.is_staff and not admin.is_hr_admin
    services.racecourse_update(
        racecourse=racecourse, actor=admin, changes={"team_size_limit": 4}
    )
    racecourse.refresh_from_db()
    assert racecourse.team_size_limit == 4
    other = RacecourseFactory(season=racecourse.season, team_size_limit=6)
    with pytest.raises(PermissionDenied):
        services.racecourse_update(
            racecourse=other, actor=admin, changes={"team_size_limit": 4}
        )
    other.refresh_from_db()
    assert other.team_size_limit == 6


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"team_size_limit": 0}, "__all__"),
        ({"evaluators_per_project": 0}, "__all__"),
        ({"conflict_manager_depth": 11}, "conflict_manager_depth"),
        ({"name": "  "}, "name"),
        ({"audience": "everyone"}, "audience"),
        ({"name": "Evil\u202etxt"}, "name"),
    ],
)
def test_bad_settings_are_refused_by_field(hr, changes, field):
    racecourse = RacecourseFactory(team_size_limit=8)
    with pytest.raises(ValidationError) as caught:
        services.racecourse_update(racecourse=racecourse, actor=hr, changes=changes)
    assert field in caught.value.error_dict
    racecourse.refresh_from_db()
    assert racecourse.team_size_limit == 8


def test_an_employee_may_not_change_a_racecourse(racecourse):
    with pytest.raises(PermissionDenied):
        services.racecourse_update(
            racecourse=racecourse, actor=UserFactory(), changes={"name": "x"}
        )


# --- Challenges ----------------------------------------------------------------------


def test_a_racecourse_admin_creates_closes_and_reopens_a_challenge(racecourse):
    admin = admin_of(racecourse)
    sponsor = UserFactory()
    challenge = services.challenge_create(
        racecourse=racecourse,
        actor=admin,
        title="Greener logistics",
        brief="Cut packaging.",
        sponsor=sponsor,
    )
    assert challenge.is_open and challenge.sponsor == sponsor
    services.challenge_update(
        challenge=challenge, actor=admin, changes={"is_open": False}
    )
    assert not Challenge.objects.get(pk=challenge.pk).is_open
    services.challenge_update(
        challenge=challenge, actor=admin, changes={"is_open": True}
    )
    assert Challenge.objects.get(pk=challenge.pk).is_open


def test_a_challenge_needs_an_active_sponsor_and_a_title(hr, racecourse):
    with pytest.raises(ValidationError) as caught:
        services.challenge_create(
            racecourse=racecourse,
            actor=hr,
            title="T",
            brief="B",
            sponsor=UserFactory(is_active=False),
        )
    assert "sponsor" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        services.challenge_create(
            racecourse=racecourse, actor=hr, title=" ", brief="B", sponsor=hr
        )
    assert "title" in caught.value.error_dict
    assert not Challenge.objects.exists()


def test_an_admin_of_another_racecourse_may_not_edit_a_challenge(racecourse):
    challenge = ChallengeFactory(racecourse=racecourse)
    stranger = admin_of(RacecourseFactory(season=racecourse.season))
    with pytest.raises(PermissionDenied):
        services.challenge_update(
            challenge=challenge, actor=stranger, changes={"is_open": False}
        )


# --- Catalogue and budgets -----------------------------------------------------------


def test_the_catalogue_is_hrs(hr, racecourse):
    resource = services.resource_create(
        season=racecourse.season,
        actor=hr,
        kind="training",
        name="Pitch drills",
        unit="hours",
    )
    assert resource.season == racecourse.season
    with pytest.raises(ValidationError):  # one name per season
        services.resource_create(
            season=racecourse.season,
            actor=hr,
            kind="training",
            name="Pitch drills",
            unit="hours",
        )
    with pytest.raises(PermissionDenied):
        services.resource_create(
            season=racecourse.season,
            actor=admin_of(racecourse),
            kind="legal",
            name="Lawyers",
            unit="hours",
        )


@pytest.mark.parametrize("amount", ["-1", "abc", "1.234", "NaN", "1e20"])
def test_a_budget_is_a_sum_of_money_not_below_zero(hr, racecourse, amount):
    resource = ResourceFactory(season=racecourse.season)
    with pytest.raises(ValidationError) as caught:
        services.budget_set(
            racecourse=racecourse, resource=resource, actor=hr, amount=amount
        )
    assert "amount" in caught.value.error_dict
    assert not ResourceBudget.objects.exists()


def test_a_budget_is_created_then_changed(hr, racecourse):
    resource = ResourceFactory(season=racecourse.season)
    services.budget_set(racecourse=racecourse, resource=resource, actor=hr, amount=10)
    services.budget_set(
        racecourse=racecourse, resource=resource, actor=hr, amount="25.50"
    )
    assert ResourceBudget.objects.get().amount == Decimal("25.50")


def test_a_budget_cannot_be_cut_below_what_is_granted(hr):
    idea = gestating_idea()
    budget = budget_for(idea, amount="1000.00")
    request = resource_request_create(
        idea=idea,
        actor=idea.author,
        resource=budget.resource,
        amount=Decimal("600"),
        justification="Servers",
    )
    resource_request_grant(request=request, actor=hr)
    with pytest.raises(ValidationError) as caught:
        services.budget_set(
            racecourse=idea.racecourse, resource=budget.resource, actor=hr, amount=599
        )
    assert caught.value.error_dict["amount"][0].code == "below_granted"
    budget.refresh_from_db()
    assert budget.amount == Decimal("1000.00")
    services.budget_set(
        racecourse=idea.racecourse, resource=budget.resource, actor=hr, amount=600
    )
    budget.refresh_from_db()
    assert budget.amount == Decimal("600")


def test_a_budget_needs_a_resource_of_the_same_season(hr, racecourse):
    other = ResourceFactory()
    with pytest.raises(ValidationError):
        services.budget_set(racecourse=racecourse, resource=other, actor=hr, amount=1)


def test_a_racecourse_admin_may_not_set_budgets(racecourse):
    resource = ResourceFactory(season=racecourse.season)
    with pytest.raises(PermissionDenied):
        services.budget_set(
            racecourse=racecourse,
            resource=resource,
            actor=admin_of(racecourse),
            amount=5,
        )


# --- Trainer pool ----------------------------------------------------------------------


def test_only_mentors_join_the_pool_unless_made_mentors(hr, racecourse):
    person = UserFactory()
    with pytest.raises(ValidationError) as caught:
        services.trainer_add(season=racecourse.season, user=person, actor=hr)
    assert caught.value.error_dict["user"][0].code == "not_mentor"
    trainer = services.trainer_add(
        season=racecourse.season, user=person, actor=hr, capacity=2, make_mentor=True
    )
    person.refresh_from_db()
    assert person.is_mentor and trainer.capacity == 2
    assert RoleChange.objects.filter(person=person, role=Role.MENTOR).count() == 1
    again = services.trainer_add(
        season=racecourse.season, user=person, actor=hr, capacity=4
    )
    assert again.pk == trainer.pk and Trainer.objects.get().capacity == 4


def test_a_trainer_is_removed_or_kept_inactive(hr, racecourse):
    trainer = TrainerFactory(season=racecourse.season)
    assert services.trainer_remove(trainer=trainer, actor=hr)
    assert not Trainer.objects.exists()


def test_a_trainer_who_coached_stays_on_record_but_takes_no_more_teams(hr):
    from ideas.gestation.services.trainers import trainer_assign

    idea = gestating_idea()
    trainer = TrainerFactory(season=idea.racecourse.season)
    trainer_assign(idea=idea, actor=hr, trainer=trainer)
    assert not services.trainer_remove(trainer=trainer, actor=hr)
    trainer.refresh_from_db()
    assert not trainer.is_active


def test_a_mentor_who_stops_takes_no_more_teams(hr, racecourse):
    trainer = TrainerFactory(season=racecourse.season)
    services.role_remove(role=Role.MENTOR, person=trainer.user, actor=hr)
    trainer.refresh_from_db()
    assert not trainer.is_active


# --- Roles -------------------------------------------------------------------------------


def test_hr_appoints_and_removes_an_evaluator_and_it_is_recorded(hr):
    person = UserFactory()
    assert services.role_appoint(role=Role.EVALUATOR, person=person, actor=hr)
    assert not services.role_appoint(role=Role.EVALUATOR, person=person, actor=hr)
    person.refresh_from_db()
    assert person.is_evaluator
    assert services.role_remove(role=Role.EVALUATOR, person=person, actor=hr)
    person.refresh_from_db()
    assert not person.is_evaluator
    changes = list(RoleChange.objects.order_by("pk").values_list("action", "actor"))
    assert changes == [("appoint", hr.pk), ("remove", hr.pk)]


def test_joining_an_evaluator_pool_makes_an_evaluator(racecourse):
    admin = admin_of(racecourse)
    person = UserFactory()
    services.role_appoint(
        role=Role.RACECOURSE_EVALUATOR,
        person=person,
        actor=admin,
        racecourse=racecourse,
    )
    person.refresh_from_db()
    assert person.is_evaluator
    assert racecourse.evaluators.filter(pk=person.pk).exists()


def test_a_racecourse_admin_appoints_only_on_their_racecourse(racecourse):
    admin = admin_of(racecourse)
    other = RacecourseFactory(season=racecourse.season)
    with pytest.raises(PermissionDenied):
        services.role_appoint(
            role=Role.RACECOURSE_ADMIN,
            person=UserFactory(),
            actor=admin,
            racecourse=other,
        )
    with pytest.raises(PermissionDenied):
        services.role_appoint(role=Role.HR_ADMIN, person=UserFactory(), actor=admin)
    assert not other.admins.exists()


def test_nobody_gives_a_role_to_someone_who_left(hr):
    with pytest.raises(ValidationError):
        services.role_appoint(
            role=Role.MENTOR, person=UserFactory(is_active=False), actor=hr
        )


def test_hr_cannot_take_away_their_own_hr_role(hr):
    with pytest.raises(ValidationError):
        services.role_remove(role=Role.HR_ADMIN, person=hr, actor=hr)
    hr.refresh_from_db()
    assert hr.is_hr_admin


# --- Roles in bulk ------------------------------------------------------------------------


def test_csv_rows_by_email_or_employee_number_with_or_without_header():
    assert services.csv_identifiers(b"a@x.com\nE1\n\n") == [(1, "a@x.com"), (2, "E1")]
    with_header = b"name,employee_number\nAnn,E7\nBo,E8\n"
    assert services.csv_identifiers(with_header) == [(2, "E7"), (3, "E8")]
    with pytest.raises(ValidationError):
        services.csv_identifiers(b"\xff\xfe\x00")


def test_a_bulk_file_with_a_bad_row_appoints_nobody(hr):
    good = UserFactory()
    gone = UserFactory(is_active=False)
    rows = services.csv_identifiers(
        f"{good.email}\nnobody@example.com\n{gone.employee_number}\n".encode()
    )
    report = services.roles_bulk_appoint(role=Role.MENTOR, identifiers=rows, actor=hr)
    assert not report.applied
    assert [(r.line, r.outcome) for r in report.bad] == [
        (2, "unknown"),
        (3, "inactive"),
    ]
    good.refresh_from_db()
    assert not good.is_mentor
    assert not RoleChange.objects.exists()
    assert len(services.bulk_report_errors(report)) == 2


def test_a_bulk_file_runs_again_safely(hr):
    first, second = UserFactory(), UserFactory(is_mentor=True)
    data = f"{first.email.upper()}\n{second.employee_number}\n{first.email}\n"
    rows = services.csv_identifiers(data.encode())
    report = services.roles_bulk_appoint(role=Role.MENTOR, identifiers=rows, actor=hr)
    assert report.applied
    assert [r.outcome for r in report.rows] == ["appointed", "already", "duplicate"]
    again = services.roles_bulk_appoint(role=Role.MENTOR, identifiers=rows, actor=hr)
    assert [r.outcome for r in again.rows] == ["already", "already", "duplicate"]
    assert RoleChange.objects.filter(action="appoint").count() == 1


def test_a_bulk_racecourse_role_needs_a_racecourse_its_admin_runs(racecourse):
    admin = admin_of(racecourse)
    person = UserFactory()
    rows = [(1, person.email)]
    with pytest.raises(ValidationError):
        services.roles_bulk_appoint(
            role=Role.RACECOURSE_ADMIN, identifiers=rows, actor=admin
        )
    with pytest.raises(PermissionDenied):
        services.roles_bulk_appoint(
            role=Role.RACECOURSE_ADMIN,
            identifiers=rows,
            actor=admin,
            racecourse=RacecourseFactory(),
        )
    report = services.roles_bulk_appoint(
        role=Role.RACECOURSE_ADMIN, identifiers=rows, actor=admin, racecourse=racecourse
    )
    assert report.applied and racecourse.admins.filter(pk=person.pk).exists()
