"""The set-up pages: who may open them, and that their forms go through."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contests.models import Challenge, Resource, ResourceBudget, Trainer
from contests.roles import RoleChange
from tests.factories import ChallengeFactory, RacecourseFactory, UserFactory
from tests.factories_gestation import ResourceFactory, TrainerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr():
    return UserFactory(is_hr_admin=True)


@pytest.fixture
def racecourse():
    return RacecourseFactory()


@pytest.fixture
def admin(racecourse):
    user = UserFactory()
    racecourse.admins.add(user)
    return user


def as_(client, user):
    client.force_login(user)
    return client


RACECOURSE_PAGES = ["racecourse", "challenges", "budgets", "people"]


@pytest.mark.parametrize("name", RACECOURSE_PAGES)
def test_racecourse_pages_for_hr_and_its_admin_only(
    client, hr, admin, racecourse, name
):
    path = reverse(f"setup:{name}", args=[racecourse.pk])
    assert as_(client, hr).get(path).status_code == 200
    assert as_(client, admin).get(path).status_code == 200
    assert as_(client, UserFactory()).get(path).status_code == 403
    other_admin = UserFactory()
    RacecourseFactory(season=racecourse.season).admins.add(other_admin)
    assert as_(client, other_admin).get(path).status_code == 403


@pytest.mark.parametrize("name", ["resources", "trainers"])
def test_season_pages_are_hrs(client, hr, admin, racecourse, name):
    path = reverse(f"setup:{name}", args=[racecourse.season_id])
    assert as_(client, hr).get(path).status_code == 200
    assert as_(client, admin).get(path).status_code == 403


def test_the_roles_page_is_hrs_and_linked_in_its_menu(client, hr, admin):
    path = reverse("setup:roles")
    assert path in as_(client, hr).get(reverse("home")).content.decode()
    assert as_(client, hr).get(path).status_code == 200
    assert as_(client, admin).get(path).status_code == 403


def test_the_racecourse_page_links_to_set_up_for_those_who_run_it(
    client, admin, racecourse
):
    link = reverse("setup:racecourse", args=[racecourse.pk])
    assert (
        link in as_(client, admin).get(racecourse.get_absolute_url()).content.decode()
    )
    page = as_(client, UserFactory()).get(racecourse.get_absolute_url())
    assert link not in page.content.decode()


def test_an_admin_saves_settings_and_sees_errors(client, admin, racecourse):
    path = reverse("setup:racecourse", args=[racecourse.pk])
    form = {
        "name": "Logistics race",
        "description": "",
        "audience": "",
        "team_size_limit": 6,
        "promotion_quota": 2,
        "evaluators_per_project": 3,
        "max_projects_per_evaluator": 8,
        "conflict_manager_depth": 2,
    }
    response = as_(client, admin).post(path, form)
    assert response.status_code == 302
    racecourse.refresh_from_db()
    assert (racecourse.name, racecourse.team_size_limit) == ("Logistics race", 6)
    response = client.post(path, form | {"conflict_manager_depth": 12})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_a_challenge_is_created_by_sponsor_email_and_closed(client, admin, racecourse):
    sponsor = UserFactory()
    path = reverse("setup:challenges", args=[racecourse.pk])
    response = as_(client, admin).post(
        path, {"title": "Less paper", "brief": "Forms.", "sponsor": sponsor.email}
    )
    assert response.status_code == 302
    challenge = Challenge.objects.get()
    assert challenge.sponsor == sponsor
    client.post(path, {"challenge": challenge.pk, "action": "close"})
    challenge.refresh_from_db()
    assert not challenge.is_open
    response = client.post(path, {"title": "X", "brief": "Y", "sponsor": "nobody@x"})
    assert response.context["form"].errors["sponsor"]


def test_a_challenge_is_edited(client, admin, racecourse):
    challenge = ChallengeFactory(racecourse=racecourse)
    path = reverse("setup:challenge_edit", args=[challenge.pk])
    page = as_(client, admin).get(path)
    assert challenge.sponsor.email in page.content.decode()
    response = client.post(
        path,
        {"title": "New title", "brief": "b", "sponsor": challenge.sponsor.email},
    )
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.title == "New title"


def test_budgets_are_set_by_hr_and_read_by_admins(client, hr, admin, racecourse):
    resource = ResourceFactory(season=racecourse.season)
    path = reverse("setup:budgets", args=[racecourse.pk])
    data = {"resource": resource.pk, f"r{resource.pk}-amount": "300"}
    assert as_(client, admin).post(path, data).status_code == 403
    assert as_(client, hr).post(path, data).status_code == 302
    assert ResourceBudget.objects.get().amount == Decimal("300")
    page = as_(client, admin).get(path).content.decode()
    assert "300" in page and f'name="r{resource.pk}-amount"' not in page


def test_a_resource_is_added_and_edited(client, hr, racecourse):
    path = reverse("setup:resources", args=[racecourse.season_id])
    as_(client, hr).post(
        path, {"kind": "legal", "name": "Patents", "unit": "hours", "is_active": "on"}
    )
    resource = Resource.objects.get()
    client.post(
        path,
        {
            "resource": resource.pk,
            "kind": "legal",
            "name": "Patent advice",
            "unit": "hours",
        },
    )
    resource.refresh_from_db()
    assert (resource.name, resource.is_active) == ("Patent advice", False)


def test_a_mentor_is_added_to_the_pool_and_removed(client, hr, racecourse):
    person = UserFactory()
    path = reverse("setup:trainers", args=[racecourse.season_id])
    response = as_(client, hr).post(
        path, {"action": "add", "user": person.email, "capacity": 2}
    )
    assert response.status_code == 200  # not a mentor yet: the form says so
    assert response.context["add"].errors["user"]
    client.post(
        path,
        {"action": "add", "user": person.email, "capacity": 2, "make_mentor": "on"},
    )
    trainer = Trainer.objects.get()
    client.post(path, {"action": "remove", "trainer": trainer.pk})
    assert not Trainer.objects.exists()


def test_trainer_edit(client, hr, racecourse):
    trainer = TrainerFactory(season=racecourse.season)
    path = reverse("setup:trainers", args=[racecourse.season_id])
    prefix = f"t{trainer.pk}"
    as_(client, hr).post(
        path,
        {
            "action": "update",
            "trainer": trainer.pk,
            f"{prefix}-capacity": 7,
            f"{prefix}-expertise": "Chips",
        },
    )
    trainer.refresh_from_db()
    assert (trainer.capacity, trainer.expertise, trainer.is_active) == (
        7,
        "Chips",
        False,
    )


def test_roles_by_search_remove_and_csv(client, hr):
    person, other = UserFactory(), UserFactory()
    path = reverse("setup:roles")
    as_(client, hr).post(
        path, {"role": "evaluator", "action": "appoint", "person": person.email}
    )
    person.refresh_from_db()
    assert person.is_evaluator
    client.post(path, {"role": "evaluator", "action": "remove", "person": person.pk})
    person.refresh_from_db()
    assert not person.is_evaluator
    bad = SimpleUploadedFile("m.csv", f"{other.email}\nghost@x.com\n".encode())
    response = client.post(path, {"role": "mentor", "action": "bulk", "file": bad})
    assert response.status_code == 200
    assert "ghost@x.com" in response.content.decode()
    other.refresh_from_db()
    assert not other.is_mentor
    good = SimpleUploadedFile("m.csv", f"{other.employee_number}\n".encode())
    response = client.post(path, {"role": "mentor", "action": "bulk", "file": good})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.is_mentor
    assert RoleChange.objects.filter(source="csv").count() == 1


def test_an_admin_appoints_evaluators_to_their_pool(client, admin, racecourse):
    person = UserFactory()
    path = reverse("setup:people", args=[racecourse.pk])
    as_(client, admin).post(
        path,
        {"role": "racecourse_evaluator", "action": "appoint", "person": person.email},
    )
    assert racecourse.evaluators.filter(pk=person.pk).exists()
    response = client.post(
        path, {"role": "hr_admin", "action": "appoint", "person": person.email}
    )
    assert response.status_code == 404
    person.refresh_from_db()
    assert not person.is_hr_admin


def test_people_search_suggests_active_people(client, admin):
    UserFactory(display_name="Zhang Wei")
    UserFactory(display_name="Zhang Left", is_active=False)
    response = as_(client, admin).get(
        reverse("setup:people_search"), {"person": "zhang"}
    )
    text = response.content.decode()
    assert "Zhang Wei" in text and "Zhang Left" not in text
