"""The stage window API: read windows, close them, confirm a person's decision."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from contests.models import StageWindow, WindowStage
from ideas.models import Stage
from tests.factories import StageWindowFactory, UserFactory

from .test_apis import assert_error, ids
from .test_closing import admin_of, end, in_screening, judge, screening_window, stage_of

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(name: str, window) -> str:
    return reverse(f"api:window-{name}", kwargs={"pk": window.pk})


@pytest.fixture
def manual():
    """A closed manual window with two ideas, its admin and its proposal."""
    window = screening_window(rule=StageWindow.Rule.MANUAL)
    up, down = in_screening(window.racecourse, 2)
    judge(up, "++")
    judge(down, "--")
    end(window)
    admin = admin_of(window.racecourse)
    client_for(admin).post(url("close", window))
    return window, up, down, admin


# --- Authentication ----------------------------------------------------------------


@pytest.mark.parametrize(
    "name, method",
    [
        ("api:window-list", "get"),
        ("api:window-detail", "get"),
        ("api:window-close", "post"),
        ("api:window-confirm", "post"),
    ],
)
def test_every_window_endpoint_needs_a_login(name, method):
    kwargs = {} if name.endswith("list") else {"pk": 1}
    response = getattr(APIClient(), method)(reverse(name, kwargs=kwargs))
    assert assert_error(response, 401)["code"] == "not_authenticated"


# --- Reading -------------------------------------------------------------------------


def test_list_and_filter_windows(user):
    screening = screening_window()
    registration = screening.racecourse.windows.get(stage=WindowStage.REGISTRATION)
    other = StageWindowFactory()
    api = client_for(user)

    assert set(ids(api.get(reverse("api:window-list")))) == {
        screening.pk,
        registration.pk,
        other.pk,
    }
    by_racecourse = api.get(
        reverse("api:window-list"), {"racecourse": screening.racecourse_id}
    )
    assert set(ids(by_racecourse)) == {screening.pk, registration.pk}
    by_stage = api.get(reverse("api:window-list"), {"stage": "screening"})
    assert ids(by_stage) == [screening.pk]
    assert ids(api.get(reverse("api:window-list"), {"applied": "true"})) == []


def test_detail_shows_the_window(user):
    window = screening_window(top_k=3)
    body = client_for(user).get(url("detail", window)).json()
    assert body["id"] == window.pk
    assert body["racecourse"] == window.racecourse_id
    assert (body["stage"], body["rule"], body["top_k"]) == ("screening", "top_k", 3)
    assert body["is_open"] is True
    assert body["applied_at"] is None
    assert body["proposal"] is None


def test_unknown_window_is_404(user):
    response = client_for(user).get(reverse("api:window-detail", kwargs={"pk": 999}))
    assert_error(response, 404)


def test_proposal_is_shown_to_those_who_manage_the_racecourse(manual, hr_admin):
    window, up, _down, admin = manual
    for manager in (admin, hr_admin):
        body = client_for(manager).get(url("detail", window)).json()
        assert body["proposal"]["passing"] == [up.pk]
        assert body["proposal"]["confirmed_by"] is None
    outsider = client_for(UserFactory()).get(url("detail", window)).json()
    assert outsider["proposal"] is None
    listed = client_for(admin).get(reverse("api:window-list")).json()["results"]
    assert [w["proposal"] for w in listed if w["id"] == window.pk][0] is not None


def test_list_query_count_does_not_grow_with_windows(
    hr_admin, django_assert_max_num_queries
):
    for _ in range(6):
        screening_window()
    with django_assert_max_num_queries(4):
        client_for(hr_admin).get(reverse("api:window-list"))


# --- Close -----------------------------------------------------------------------------


def test_close_applies_a_closed_window(hr_admin):
    window = screening_window(top_k=1)
    winner, loser = in_screening(window.racecourse, 2)
    judge(winner, "+")
    end(window)

    response = client_for(hr_admin).post(url("close", window))

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "applied"
    assert (body["passed"], body["eliminated"]) == ([winner.pk], [loser.pk])
    assert body["window"]["applied_at"] is not None
    assert stage_of(winner) == Stage.GESTATION
    again = client_for(hr_admin).post(url("close", window)).json()
    assert again["status"] == "already_applied"


def test_close_of_an_open_window_is_400(hr_admin):
    window = screening_window()
    body = assert_error(client_for(hr_admin).post(url("close", window)), 400)
    assert "still open" in body["detail"]


@pytest.mark.parametrize("who", ["employee", "admin elsewhere"])
def test_close_is_403_for_anyone_else(who):
    window = screening_window()
    end(window)
    actor = (
        UserFactory() if who == "employee" else admin_of(screening_window().racecourse)
    )
    assert_error(client_for(actor).post(url("close", window)), 403)
    window.refresh_from_db()
    assert window.applied_at is None


def test_close_of_a_manual_window_returns_the_proposal(manual):
    window, up, _down, admin = manual
    body = client_for(admin).post(url("close", window)).json()
    assert body["status"] == "proposed"
    assert body["proposed"] == [up.pk]
    assert body["window"]["proposal"]["passing"] == [up.pk]
    assert body["window"]["applied_at"] is None


# --- Confirm ---------------------------------------------------------------------------


def test_confirm_applies_the_list(manual):
    window, up, down, admin = manual
    response = client_for(admin).post(
        url("confirm", window), {"passing": [down.pk]}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["passed"], body["eliminated"]) == ([down.pk], [up.pk])
    assert body["window"]["proposal"]["confirmed_by"]["id"] == admin.pk
    assert stage_of(down) == Stage.GESTATION
    assert stage_of(up) == Stage.ELIMINATED


def test_confirm_is_403_for_an_employee(manual):
    window, up, _down, _admin = manual
    response = client_for(UserFactory()).post(
        url("confirm", window), {"passing": [up.pk]}, format="json"
    )
    assert_error(response, 403)
    assert stage_of(up) == Stage.SCREENING


@pytest.mark.parametrize(
    "payload, field",
    [
        ({}, "passing"),
        ({"passing": "7"}, "passing"),
        ({"passing": [0]}, "passing"),
        ({"passing": [987654]}, "passing"),
    ],
)
def test_confirm_bad_input_is_400(manual, payload, field):
    window, up, _down, admin = manual
    response = client_for(admin).post(url("confirm", window), payload, format="json")
    body = assert_error(response, 400)
    assert field in body["errors"]
    assert stage_of(up) == Stage.SCREENING


def test_confirm_twice_is_400(manual):
    window, up, _down, admin = manual
    api = client_for(admin)
    api.post(url("confirm", window), {"passing": [up.pk]}, format="json")
    body = assert_error(
        api.post(url("confirm", window), {"passing": []}, format="json"), 400
    )
    assert "already" in body["detail"]


def test_confirm_of_an_automatic_window_is_400(hr_admin):
    window = screening_window(top_k=1)
    end(window)
    assert_error(
        client_for(hr_admin).post(
            url("confirm", window), {"passing": []}, format="json"
        ),
        400,
    )


def test_confirm_before_the_close_is_400(hr_admin):
    window = screening_window(rule=StageWindow.Rule.MANUAL)
    assert_error(
        client_for(hr_admin).post(
            url("confirm", window), {"passing": []}, format="json"
        ),
        400,
    )


def test_the_schema_documents_the_window_endpoints(user):
    client = APIClient()
    client.force_authenticate(user)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    assert set(paths["/api/v1/windows/"]) == {"get"}
    assert set(paths["/api/v1/windows/{id}/"]) == {"get", "patch"}
    for action in ("close", "confirm"):
        operation = paths[f"/api/v1/windows/{{id}}/{action}/"]["post"]
        assert {"200", "400", "401", "403", "404"} <= set(operation["responses"])
