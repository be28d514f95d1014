"""The set-up API: each operation, its 400s and 403s, through the same services."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from contests.models import Challenge, Resource, ResourceBudget, Trainer
from contests.roles import RoleChange
from tests.factories import ChallengeFactory, RacecourseFactory, UserFactory
from tests.factories_gestation import ResourceFactory, TrainerFactory

from ..test_apis import assert_error

pytestmark = pytest.mark.django_db


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


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


def url(name: str, **kwargs) -> str:
    return reverse(f"api:{name}", kwargs=kwargs)


# --- Racecourse settings ------------------------------------------------------------


def test_an_admin_patches_their_racecourse(admin, racecourse):
    response = client_for(admin).patch(
        url("racecourse-detail", pk=racecourse.pk),
        {"blind_evaluation": True, "max_projects_per_evaluator": 4},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["blind_evaluation"] is True
    racecourse.refresh_from_db()
    assert racecourse.max_projects_per_evaluator == 4


def test_patching_a_racecourse_is_refused_to_others(racecourse):
    response = client_for(UserFactory()).patch(
        url("racecourse-detail", pk=racecourse.pk), {"name": "Mine"}, format="json"
    )
    assert_error(response, 403)
    other_admin = UserFactory()
    RacecourseFactory(season=racecourse.season).admins.add(other_admin)
    response = client_for(other_admin).patch(
        url("racecourse-detail", pk=racecourse.pk), {"name": "Mine"}, format="json"
    )
    assert_error(response, 403)
    assert_error(
        client_for().patch(url("racecourse-detail", pk=racecourse.pk), {}), 401
    )


@pytest.mark.parametrize(
    "body",
    [
        {"team_size_limit": 0},
        {"conflict_manager_depth": 11},
        {"audience": "world"},
        {"name": ""},
        {"evaluators_per_project": "many"},
    ],
)
def test_bad_racecourse_settings_are_400s(hr, racecourse, body):
    response = client_for(hr).patch(
        url("racecourse-detail", pk=racecourse.pk), body, format="json"
    )
    body_errors = assert_error(response, 400)["errors"]
    assert set(body_errors) == set(body)


# --- Challenges ----------------------------------------------------------------------


def test_a_challenge_is_created_edited_and_closed(admin, racecourse):
    sponsor = UserFactory()
    client = client_for(admin)
    response = client.post(
        url("racecourse-challenges", pk=racecourse.pk),
        {"title": "Less paper", "brief": "Digitise forms.", "sponsor": sponsor.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = client.patch(
        url("challenge-detail", pk=pk),
        {"is_open": False, "prize": "A trophy"},
        format="json",
    )
    assert response.status_code == 200, response.content
    challenge = Challenge.objects.get(pk=pk)
    assert (challenge.is_open, challenge.prize, challenge.sponsor) == (
        False,
        "A trophy",
        sponsor,
    )


def test_challenge_errors(admin, racecourse):
    client = client_for(admin)
    gone = UserFactory(is_active=False)
    response = client.post(
        url("racecourse-challenges", pk=racecourse.pk),
        {"title": "T", "brief": "B", "sponsor": gone.pk},
        format="json",
    )
    assert "sponsor" in assert_error(response, 400)["errors"]
    response = client.post(
        url("racecourse-challenges", pk=racecourse.pk), {"title": "T"}, format="json"
    )
    assert set(assert_error(response, 400)["errors"]) == {"brief", "sponsor"}
    elsewhere = ChallengeFactory()
    response = client.patch(
        url("challenge-detail", pk=elsewhere.pk), {"is_open": False}, format="json"
    )
    assert_error(response, 403)
    assert Challenge.objects.get(pk=elsewhere.pk).is_open


# --- Catalogue and budgets -------------------------------------------------------------


def test_hr_adds_and_edits_a_resource(hr, racecourse):
    client = client_for(hr)
    response = client.post(
        url("season-resources", pk=racecourse.season_id),
        {"kind": "legal", "name": "Patent advice", "unit": "hours"},
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = client.patch(url("resource", pk=pk), {"is_active": False}, format="json")
    assert response.status_code == 200
    assert not Resource.objects.get(pk=pk).is_active
    listed = client.get(url("season-resources", pk=racecourse.season_id)).json()
    assert [r["name"] for r in listed] == ["Patent advice"]


def test_resource_errors(hr, admin, racecourse):
    response = client_for(admin).post(
        url("season-resources", pk=racecourse.season_id),
        {"kind": "legal", "name": "Patent advice", "unit": "hours"},
        format="json",
    )
    assert_error(response, 403)
    response = client_for(hr).post(
        url("season-resources", pk=racecourse.season_id),
        {"kind": "magic", "name": "x", "unit": "hours"},
        format="json",
    )
    assert "kind" in assert_error(response, 400)["errors"]
    ResourceFactory(season=racecourse.season, name="Dup")
    response = client_for(hr).post(
        url("season-resources", pk=racecourse.season_id),
        {"kind": "legal", "name": "Dup", "unit": "hours"},
        format="json",
    )
    assert_error(response, 400)


def test_hr_puts_a_budget_and_admins_may_only_look(hr, admin, racecourse):
    resource = ResourceFactory(season=racecourse.season)
    path = url("racecourse-budget", pk=racecourse.pk, resource_id=resource.pk)
    response = client_for(hr).put(path, {"amount": "1500.00"}, format="json")
    assert response.status_code == 200, response.content
    assert ResourceBudget.objects.get().amount == Decimal("1500.00")
    assert_error(client_for(admin).put(path, {"amount": "9"}, format="json"), 403)
    listed = client_for(admin).get(url("racecourse-budgets", pk=racecourse.pk))
    assert listed.json()[0]["budget"] == "1500.00"


@pytest.mark.parametrize("amount", ["-5", "x", "1.001"])
def test_bad_budgets_are_400s(hr, racecourse, amount):
    resource = ResourceFactory(season=racecourse.season)
    path = url("racecourse-budget", pk=racecourse.pk, resource_id=resource.pk)
    response = client_for(hr).put(path, {"amount": amount}, format="json")
    assert "amount" in assert_error(response, 400)["errors"]
    assert not ResourceBudget.objects.exists()


# --- Trainer pool ------------------------------------------------------------------------


def test_hr_adds_updates_and_removes_a_trainer(hr, racecourse):
    season = racecourse.season
    person = UserFactory()
    client = client_for(hr)
    response = client.post(
        url("season-trainers", pk=season.pk), {"user": person.pk}, format="json"
    )
    assert assert_error(response, 400)["errors"]["user"]
    response = client.post(
        url("season-trainers", pk=season.pk),
        {"user": person.pk, "make_mentor": True, "capacity": 2, "expertise": "AI"},
        format="json",
    )
    assert response.status_code == 201, response.content
    path = url("season-trainer", pk=season.pk, user_id=person.pk)
    response = client.patch(path, {"capacity": 0}, format="json")
    assert "capacity" in assert_error(response, 400)["errors"]
    response = client.patch(path, {"capacity": 5}, format="json")
    assert response.json()["capacity"] == 5
    assert client.delete(path).status_code == 204
    assert not Trainer.objects.exists()


def test_the_trainer_pool_is_hrs(admin, racecourse):
    trainer = TrainerFactory(season=racecourse.season)
    client = client_for(admin)
    path = url("season-trainer", pk=racecourse.season_id, user_id=trainer.user_id)
    assert_error(client.delete(path), 403)
    response = client.post(
        url("season-trainers", pk=racecourse.season_id),
        {"user": trainer.user_id},
        format="json",
    )
    assert_error(response, 403)
    assert Trainer.objects.filter(is_active=True).count() == 1


# --- Roles --------------------------------------------------------------------------------


def test_an_admin_appoints_a_fellow_admin_and_an_evaluator(admin, racecourse):
    client = client_for(admin)
    person = UserFactory()
    for name in ("racecourse-admins", "racecourse-evaluators"):
        response = client.post(
            url(name, pk=racecourse.pk), {"person": person.pk}, format="json"
        )
        assert response.status_code == 201, response.content
        again = client.post(
            url(name, pk=racecourse.pk), {"person": person.pk}, format="json"
        )
        assert again.status_code == 200 and again.json()["changed"] is False
    listed = client.get(url("racecourse-admins", pk=racecourse.pk)).json()
    assert {p["id"] for p in listed} == {admin.pk, person.pk}
    response = client.delete(
        url("racecourse-evaluator", pk=racecourse.pk, user_id=person.pk)
    )
    assert response.status_code == 204
    assert not racecourse.evaluators.exists()
    assert set(RoleChange.objects.values_list("source", flat=True)) == {"api"}


def test_racecourse_roles_are_refused_to_others(racecourse):
    client = client_for(UserFactory())
    assert_error(client.get(url("racecourse-admins", pk=racecourse.pk)), 403)
    response = client.post(
        url("racecourse-admins", pk=racecourse.pk),
        {"person": UserFactory().pk},
        format="json",
    )
    assert_error(response, 403)
    assert not racecourse.admins.exists()


def test_bulk_roles_from_json_and_again(hr):
    people = [UserFactory(), UserFactory()]
    body = {"people": [people[0].email, people[1].employee_number]}
    response = client_for(hr).post(url("role", role="mentor"), body, format="json")
    assert response.status_code == 200, response.content
    assert [r["status"] for r in response.json()["rows"]] == ["appointed"] * 2
    again = client_for(hr).post(url("role", role="mentor"), body, format="json")
    assert [r["status"] for r in again.json()["rows"]] == ["already"] * 2
    holders = client_for(hr).get(url("role", role="mentor")).json()
    assert {p["id"] for p in holders} == {p.pk for p in people}


def test_bulk_roles_from_a_csv_with_a_bad_row_is_a_400_and_changes_nothing(
    hr, racecourse
):
    good = UserFactory()
    upload = SimpleUploadedFile(
        "people.csv", f"email\n{good.email}\nghost@example.com\n".encode(), "text/csv"
    )
    response = client_for(hr).post(
        url("role", role="racecourse_evaluator"),
        {"file": upload, "racecourse": racecourse.pk},
        format="multipart",
    )
    errors = assert_error(response, 400)["errors"]
    assert "Row 3" in errors["people"][0]
    assert not racecourse.evaluators.exists()
    good.refresh_from_db()
    assert not good.is_evaluator


def test_bulk_role_errors(hr, admin, racecourse):
    assert_error(
        client_for(hr).post(url("role", role="king"), {"people": ["a@b.c"]}), 404
    )
    assert_error(
        client_for(admin).post(
            url("role", role="hr_admin"), {"people": ["a@b.c"]}, format="json"
        ),
        403,
    )
    assert_error(
        client_for(hr).post(url("role", role="mentor"), {}, format="json"), 400
    )
    response = client_for(hr).post(
        url("role", role="racecourse_admin"), {"people": ["x@y.z"]}, format="json"
    )
    assert "racecourse" in assert_error(response, 400)["errors"]
    response = client_for(hr).post(
        url("role", role="mentor"),
        {"file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00\x01")},
        format="multipart",
    )
    assert "file" in assert_error(response, 400)["errors"]


def test_hr_removes_a_company_role(hr):
    person = UserFactory(is_evaluator=True)
    response = client_for(hr).delete(
        url("role-person", role="evaluator", user_id=person.pk)
    )
    assert response.status_code == 204
    person.refresh_from_db()
    assert not person.is_evaluator
    response = client_for(hr).delete(url("role-person", role="hr_admin", user_id=hr.pk))
    assert_error(response, 400)
    response = client_for(person).delete(
        url("role-person", role="hr_admin", user_id=hr.pk)
    )
    assert_error(response, 403)
