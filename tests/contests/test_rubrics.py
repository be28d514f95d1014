"""The rubric: services, the rubric page, the API and the admin.

HR and the racecourse's admins write it; once a submitted scorecard uses a
criterion its scale and weight are frozen, it cannot be removed, and no
criterion can be added.
"""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from contests.models import Criterion, Rubric
from tests.factories import UserFactory
from tests.factories_evaluation import assign, evaluator, racecourse_with_pool
from tests.factories_scoring import criteria_of, hr, project, rubric_for, scored
from voting.evaluation.rubrics import (
    criteria_in_use,
    criteria_reorder,
    criterion_add,
    criterion_move,
    criterion_remove,
    criterion_update,
    rubric_save,
)
from voting.evaluation.scorecards.services import scorecard_save
from voting.models import Score

pytestmark = pytest.mark.django_db


@pytest.fixture
def racecourse():
    return racecourse_with_pool(0)


@pytest.fixture
def admin_user(racecourse):
    user = UserFactory()
    racecourse.admins.add(user)
    return user


@pytest.fixture
def rubric(racecourse):
    return rubric_for(racecourse)


def _submitted(racecourse):
    """A project of the racecourse with one submitted scorecard."""
    return scored(project(racecourse))


# --- rubric_save ------------------------------------------------------------------


def test_rubric_save_creates_then_updates_the_one_rubric(racecourse, admin_user):
    """The racecourse's admin creates the rubric, then changes it in place."""
    first = rubric_save(
        actor=admin_user, racecourse=racecourse, title=" Panel ", instructions="Be fair"
    )
    second = rubric_save(actor=admin_user, racecourse=racecourse, title="Panel 2026")
    assert first.pk == second.pk
    assert Rubric.objects.get(racecourse=racecourse).title == "Panel 2026"
    assert first.title == "Panel"


@pytest.mark.parametrize("role", ["employee", "evaluator", "other_admin"])
def test_rubric_save_refused_to_anyone_but_hr_and_admins(racecourse, role):
    user = UserFactory(is_evaluator=role == "evaluator")
    if role == "other_admin":
        racecourse_with_pool(0).admins.add(user)
    with pytest.raises(PermissionDenied):
        rubric_save(actor=user, racecourse=racecourse, title="Mine")
    assert not Rubric.objects.exists()


def test_rubric_save_needs_a_title(racecourse):
    with pytest.raises(ValidationError) as error:
        rubric_save(actor=hr(), racecourse=racecourse, title="  ")
    assert "title" in error.value.error_dict


# --- criterion_add ------------------------------------------------------------------


def test_criterion_add_appends_in_order(rubric, admin_user):
    """New criteria go to the end with their scale and weight."""
    added = criterion_add(
        actor=admin_user,
        rubric=rubric,
        name="Scalability",
        guidance="Could it serve the whole group?",
        scale_min=0,
        scale_max=4,
        weight="1.5",
    )
    assert criteria_of(rubric.racecourse)[-1] == added
    assert (added.scale_min, added.scale_max, added.weight) == (0, 4, Decimal("1.50"))


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"name": ""}, "name"),
        ({"scale_min": 5, "scale_max": 5}, "scale_max"),
        ({"scale_min": 3, "scale_max": 1}, "scale_max"),
        ({"scale_max": 101}, "scale_max"),
        ({"weight": 0}, "weight"),
        ({"weight": "-1"}, "weight"),
        ({"weight": "heavy"}, "weight"),
        ({"weight": "1000"}, "weight"),
    ],
)
def test_criterion_add_refuses_bad_values(rubric, fields, field):
    """Each bad value is refused on its own field, with nothing saved."""
    values = {"name": "Impact", "scale_min": 1, "scale_max": 5, "weight": 1} | fields
    with pytest.raises(ValidationError) as error:
        criterion_add(actor=hr(), rubric=rubric, **values)
    assert field in error.value.error_dict
    assert rubric.criteria.count() == 3


def test_criterion_add_refused_once_scorecards_are_submitted(rubric):
    """A submitted card would miss the new criterion."""
    _submitted(rubric.racecourse)
    with pytest.raises(ValidationError) as error:
        criterion_add(actor=hr(), rubric=rubric, name="Late idea")
    assert error.value.code == "rubric_in_use"


def test_criterion_add_refused_to_an_employee(rubric):
    with pytest.raises(PermissionDenied):
        criterion_add(actor=UserFactory(), rubric=rubric, name="Mine")


# --- criterion_update -----------------------------------------------------------------


def test_criterion_update_changes_what_is_given(rubric, admin_user):
    criterion = criteria_of(rubric.racecourse)[0]
    criterion_update(
        actor=admin_user,
        criterion=criterion,
        name="Value to customers",
        scale_max=7,
        weight=3,
    )
    criterion.refresh_from_db()
    assert (criterion.name, criterion.scale_min, criterion.scale_max) == (
        "Value to customers",
        1,
        7,
    )
    assert criterion.weight == Decimal(3)


def test_criterion_update_frozen_scale_and_weight_once_submitted(rubric):
    """The scale and weight of a criterion scored on a submitted card stay."""
    _submitted(rubric.racecourse)
    criterion = criteria_of(rubric.racecourse)[0]
    for change in ({"scale_max": 10}, {"scale_min": 0}, {"weight": 5}):
        with pytest.raises(ValidationError) as error:
            criterion_update(actor=hr(), criterion=criterion, **change)
        assert error.value.code == "criterion_in_use"
    # Its name and guidance may still change, and unchanged numbers pass.
    criterion_update(
        actor=hr(),
        criterion=criterion,
        name="Renamed",
        guidance="New words",
        scale_min=criterion.scale_min,
        weight=criterion.weight,
    )
    criterion.refresh_from_db()
    assert criterion.name == "Renamed" and criterion.scale_max == 5


def test_criterion_update_drops_draft_scores_outside_a_new_scale(rubric):
    """A draft value no longer on the scale is dropped; one still on it stays."""
    idea = project(rubric.racecourse)
    first, second = evaluator(), evaluator()
    assign(idea, first)
    assign(idea, second)
    criterion = criteria_of(rubric.racecourse)[0]
    scorecard_save(actor=first, idea=idea, scores={criterion.pk: 5})
    scorecard_save(actor=second, idea=idea, scores={criterion.pk: 2})
    criterion_update(actor=hr(), criterion=criterion, scale_max=3)
    assert list(Score.objects.values_list("value", flat=True)) == [2]


def test_criterion_update_refuses_bad_values_and_strangers(rubric):
    criterion = criteria_of(rubric.racecourse)[0]
    with pytest.raises(ValidationError):
        criterion_update(actor=hr(), criterion=criterion, scale_min=6)
    with pytest.raises(ValidationError):
        criterion_update(actor=hr(), criterion=criterion, name=" ")
    with pytest.raises(PermissionDenied):
        criterion_update(actor=UserFactory(), criterion=criterion, name="X")


# --- criterion_remove ---------------------------------------------------------------


def test_criterion_remove_takes_its_draft_scores_along(rubric):
    idea = project(rubric.racecourse)
    who = evaluator()
    assign(idea, who)
    criterion = criteria_of(rubric.racecourse)[0]
    scorecard_save(actor=who, idea=idea, scores={criterion.pk: 3})
    criterion_remove(actor=hr(), criterion=criterion)
    assert not Criterion.objects.filter(pk=criterion.pk).exists()
    assert not Score.objects.exists()


def test_criterion_remove_refused_when_submitted_scores_use_it(rubric):
    _submitted(rubric.racecourse)
    criterion = criteria_of(rubric.racecourse)[0]
    with pytest.raises(ValidationError) as error:
        criterion_remove(actor=hr(), criterion=criterion)
    assert error.value.code == "criterion_in_use"
    assert criteria_in_use(rubric=rubric) == {
        c.pk for c in criteria_of(rubric.racecourse)
    }


def test_criterion_remove_refused_to_an_employee(rubric):
    with pytest.raises(PermissionDenied):
        criterion_remove(
            actor=UserFactory(), criterion=criteria_of(rubric.racecourse)[0]
        )


# --- order ---------------------------------------------------------------------------


def test_criteria_reorder_and_move(rubric, admin_user):
    a, b, c = criteria_of(rubric.racecourse)
    criteria_reorder(actor=admin_user, rubric=rubric, order=[c.pk, a.pk, b.pk])
    assert criteria_of(rubric.racecourse) == [c, a, b]
    criterion_move(actor=admin_user, criterion=b, step=-1)
    assert criteria_of(rubric.racecourse) == [c, b, a]
    criterion_move(actor=admin_user, criterion=c, step=-1)  # already first
    assert criteria_of(rubric.racecourse) == [c, b, a]


@pytest.mark.parametrize("order", ["empty", "missing", "twice", "foreign"])
def test_criteria_reorder_needs_every_criterion_once(rubric, order):
    ids = [c.pk for c in criteria_of(rubric.racecourse)]
    order = {
        "empty": [],
        "missing": ids[:2],
        "twice": [ids[0], ids[0], ids[1], ids[2]],
        "foreign": [*ids[:2], 999999],
    }[order]
    with pytest.raises(ValidationError):
        criteria_reorder(actor=hr(), rubric=rubric, order=order)


def test_criteria_reorder_refused_to_an_employee(rubric):
    ids = [c.pk for c in criteria_of(rubric.racecourse)]
    with pytest.raises(PermissionDenied):
        criteria_reorder(actor=UserFactory(), rubric=rubric, order=ids[::-1])


# --- The rubric page ------------------------------------------------------------------


def _page(racecourse):
    return reverse("evaluation:rubric", args=[racecourse.pk])


def test_rubric_page_for_admins_only(client, racecourse, admin_user):
    """HR and the admin see it (200); others get 403; no racecourse is 404."""
    client.force_login(admin_user)
    response = client.get(_page(racecourse))
    assert response.status_code == 200
    assert "Save rubric" in response.content.decode()
    client.force_login(hr())
    assert client.get(_page(racecourse)).status_code == 200
    client.force_login(evaluator())
    assert client.get(_page(racecourse)).status_code == 403
    assert client.get("/evaluation/racecourses/999999/rubric/").status_code == 404


def test_rubric_page_creates_the_rubric_then_adds_a_criterion(client, racecourse):
    client.force_login(hr())
    response = client.post(
        _page(racecourse),
        {"action": "rubric", "rubric-title": "Panel", "rubric-instructions": ""},
    )
    assert response.status_code == 302
    response = client.post(
        _page(racecourse),
        {
            "action": "add",
            "new-name": "Impact",
            "new-guidance": "Who gains?",
            "new-scale_min": 1,
            "new-scale_max": 5,
            "new-weight": "2",
        },
        follow=True,
    )
    assert "The criterion is added." in response.content.decode()
    assert racecourse.rubric.criteria.get().name == "Impact"


def test_rubric_page_shows_form_errors_instead_of_failing(client, rubric):
    """A bad scale is shown on the form (200), nothing is saved."""
    client.force_login(hr())
    response = client.post(
        _page(rubric.racecourse),
        {
            "action": "add",
            "new-name": "Impact",
            "new-scale_min": 4,
            "new-scale_max": 2,
            "new-weight": "1",
        },
    )
    assert response.status_code == 200
    assert "The highest score must be above the lowest." in response.content.decode()
    assert rubric.criteria.count() == 3


def test_rubric_page_update_remove_and_move(client, rubric):
    client.force_login(hr())
    a, b, c = criteria_of(rubric.racecourse)
    url = _page(rubric.racecourse)
    response = client.post(
        url,
        {
            "action": "update",
            "criterion": a.pk,
            f"criterion-{a.pk}-name": "Customer value (new)",
            f"criterion-{a.pk}-guidance": "",
            f"criterion-{a.pk}-scale_min": 1,
            f"criterion-{a.pk}-scale_max": 7,
            f"criterion-{a.pk}-weight": "2",
        },
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.name, a.scale_max) == ("Customer value (new)", 7)
    assert client.post(url, {"action": "down", "criterion": a.pk}).status_code == 302
    assert criteria_of(rubric.racecourse) == [b, a, c]
    assert client.post(url, {"action": "remove", "criterion": c.pk}).status_code == 302
    assert criteria_of(rubric.racecourse) == [b, a]
    assert client.post(url, {"action": "remove"}).status_code == 400


def test_rubric_page_frozen_criterion_keeps_its_scale(client, rubric):
    """Disabled inputs of a frozen criterion ignore posted values; the
    refusal to remove it is shown as a message."""
    _submitted(rubric.racecourse)
    client.force_login(hr())
    a = criteria_of(rubric.racecourse)[0]
    url = _page(rubric.racecourse)
    page = client.get(url).content.decode()
    assert "In use" in page and "Add a criterion" not in page
    client.post(
        url,
        {
            "action": "update",
            "criterion": a.pk,
            f"criterion-{a.pk}-name": "Renamed",
            f"criterion-{a.pk}-scale_min": 0,
            f"criterion-{a.pk}-scale_max": 9,
            f"criterion-{a.pk}-weight": "9",
        },
    )
    a.refresh_from_db()
    assert (a.name, a.scale_min, a.scale_max, a.weight) == ("Renamed", 1, 5, 2)
    response = client.post(url, {"action": "remove", "criterion": a.pk}, follow=True)
    assert "cannot be removed" in response.content.decode()


def test_rubric_page_post_refused_to_an_employee(client, rubric):
    client.force_login(UserFactory())
    response = client.post(
        _page(rubric.racecourse), {"action": "rubric", "rubric-title": "Mine"}
    )
    assert response.status_code == 403


# --- API ----------------------------------------------------------------------------------


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _error(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"detail", "code", "errors"} and body["detail"]
    return body


def test_api_rubric_read_by_anyone_logged_in(rubric):
    response = _api(UserFactory()).get(
        f"/api/v1/racecourses/{rubric.racecourse_id}/rubric/"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Offline evaluation"
    assert [c["name"] for c in body["criteria"]] == [
        "Customer value",
        "Feasibility",
        "Originality",
    ]
    assert body["criteria"][0]["weight"] == "2.00"
    assert body["criteria"][0]["frozen"] is False


def test_api_rubric_read_404_without_rubric_or_racecourse(racecourse):
    _error(_api(UserFactory()).get(f"/api/v1/racecourses/{racecourse.pk}/rubric/"), 404)
    _error(_api(UserFactory()).get("/api/v1/racecourses/999999/rubric/"), 404)


def test_api_rubric_write(racecourse, admin_user):
    """PUT creates the rubric, POST adds criteria, PATCH changes, order, DELETE."""
    client = _api(admin_user)
    base = f"/api/v1/racecourses/{racecourse.pk}/rubric/"
    assert client.put(base, {"title": "Panel"}, format="json").status_code == 200
    response = client.post(
        base + "criteria/", {"name": "Impact", "weight": "2.5"}, format="json"
    )
    assert response.status_code == 201
    impact = response.json()["criteria"][0]
    assert (impact["scale_min"], impact["scale_max"], impact["weight"]) == (
        1,
        5,
        "2.50",
    )
    other = client.post(base + "criteria/", {"name": "Cost"}, format="json").json()
    ids = [c["id"] for c in other["criteria"]]
    response = client.post(base + "order/", {"order": ids[::-1]}, format="json")
    assert [c["name"] for c in response.json()["criteria"]] == ["Cost", "Impact"]
    response = client.patch(
        f"/api/v1/criteria/{impact['id']}/", {"guidance": "Who gains"}, format="json"
    )
    assert response.status_code == 200
    assert client.delete(f"/api/v1/criteria/{impact['id']}/").status_code == 204
    assert Criterion.objects.get().name == "Cost"


def test_api_rubric_errors_are_json(rubric):
    base = f"/api/v1/racecourses/{rubric.racecourse_id}/rubric/"
    employee = _api(UserFactory())
    _error(employee.put(base, {"title": "Mine"}, format="json"), 403)
    _error(employee.post(base + "criteria/", {"name": "X"}, format="json"), 403)
    body = _error(
        _api(hr()).post(
            base + "criteria/",
            {"name": "X", "scale_min": 3, "scale_max": 2},
            format="json",
        ),
        400,
    )
    assert "scale_max" in body["errors"]
    _error(_api(hr()).post(base + "order/", {"order": [1]}, format="json"), 400)
    _error(_api(hr()).patch("/api/v1/criteria/999999/", {}, format="json"), 404)
    _error(_api(hr()).post("/api/v1/racecourses/999999/rubric/criteria/", {}), 404)


def test_api_frozen_criterion_is_refused_with_400(rubric):
    _submitted(rubric.racecourse)
    criterion = criteria_of(rubric.racecourse)[0]
    client = _api(hr())
    body = _error(
        client.patch(
            f"/api/v1/criteria/{criterion.pk}/", {"weight": "4"}, format="json"
        ),
        400,
    )
    assert "submitted scorecards" in body["detail"]
    _error(client.delete(f"/api/v1/criteria/{criterion.pk}/"), 400)
    rubric_data = client.get(
        f"/api/v1/racecourses/{rubric.racecourse_id}/rubric/"
    ).json()
    assert all(c["frozen"] for c in rubric_data["criteria"])


def test_admin_registers_rubric_with_criteria_inline():
    model_admin = admin.site._registry[Rubric]
    assert [i.model for i in model_admin.inlines] == [Criterion]


def test_rubric_page_renders_in_constant_queries(
    client, racecourse, django_assert_max_num_queries
):
    """Three criteria or nine: the same number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rubric = rubric_for(racecourse)
    client.force_login(hr())
    with CaptureQueriesContext(connection) as few:
        assert client.get(_page(racecourse)).status_code == 200
    for i in range(6):
        criterion_add(actor=hr(), rubric=rubric, name=f"Extra {i}")
    with django_assert_max_num_queries(len(few)):
        html = client.get(_page(racecourse)).content.decode()
    assert html.count("Save criterion") == 9
