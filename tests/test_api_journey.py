"""A REST client's whole journey with real tokens, and the token endpoints.

Clients here never use ``force_authenticate``: they log in at
``/api/auth/login/`` and send ``Authorization: Token <token>``, with CSRF
checks on, as a script outside the browser would.
"""

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import UserFactory, open_racecourse

pytestmark = pytest.mark.django_db

PASSWORD = "pw-12345678"  # what UserFactory sets


def token_client(email: str, password: str = PASSWORD) -> tuple[APIClient, dict]:
    client = APIClient(enforce_csrf_checks=True)
    response = client.post(
        "/api/auth/login/", {"email": email, "password": password}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    return client, body


def test_the_whole_journey_over_the_api():
    """Log in, create, register, invite; the colleague logs in and accepts."""
    racecourse = open_racecourse()
    captain = UserFactory(email="captain@example.com", display_name="Captain")
    colleague = UserFactory(email="colleague@example.com", display_name="Colleague")

    api, login = token_client("Captain@Example.com")
    assert login["user"]["id"] == captain.pk
    assert login["expiry"]

    response = api.post(
        "/api/v1/ideas/",
        {
            "racecourse": racecourse.pk,
            "title": "Shared cold chain",
            "pitch": "Rent spare cold-chain capacity by the box.",
            "problem": "Small sellers cannot afford refrigerated logistics.",
            "proposal": "A marketplace for spare capacity.",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    idea_id = response.json()["id"]

    response = api.post(f"/api/v1/ideas/{idea_id}/register/")
    assert response.status_code == 201, response.content
    registration = response.json()
    assert registration["code"] == "HR-2026-0001"
    assert len(registration["fingerprint"]) == 64

    found = api.get("/api/v1/users/", {"search": "colleague@"}).json()["results"]
    assert [u["id"] for u in found] == [colleague.pk]
    response = api.post(
        f"/api/v1/ideas/{idea_id}/invitations/",
        {"invitee": found[0]["email"], "message": "Join us?"},
        format="json",
    )
    assert response.status_code == 201, response.content

    colleague_api, _ = token_client("colleague@example.com")
    invitations = colleague_api.get("/api/v1/invitations/").json()["results"]
    assert [(i["idea"]["id"], i["status"]) for i in invitations] == [
        (idea_id, "pending")
    ]
    response = colleague_api.post(f"/api/v1/invitations/{invitations[0]['id']}/accept/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"

    team = api.get(f"/api/v1/ideas/{idea_id}/team/").json()
    assert [(m["user"]["id"], m["role"]) for m in team] == [
        (captain.pk, "captain"),
        (colleague.pk, "member"),
    ]
    detail = colleague_api.get(f"/api/v1/ideas/{idea_id}/").json()
    assert detail["stage"] == "registered"
    assert detail["my_role"] == "member"
    assert detail["registration"]["code"] == registration["code"]

    # Logging out revokes that token and only that one.
    assert api.post("/api/auth/logout/").status_code == 204
    response = api.get("/api/v1/ideas/")
    assert response.status_code == 401
    assert response.json()["code"] in {"authentication_failed", "not_authenticated"}
    assert colleague_api.get("/api/auth/me/").status_code == 200


def test_me_describes_the_token_owner():
    user = UserFactory(email="me@example.com", display_name="Me", is_evaluator=True)
    api, _ = token_client("me@example.com")
    response = api.get("/api/auth/me/")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == user.pk and body["email"] == "me@example.com"
    assert body["is_evaluator"] is True and body["is_hr_admin"] is False
    assert APIClient().get("/api/auth/me/").status_code == 401


def test_logoutall_revokes_every_token_of_the_user():
    user = UserFactory(email="two@example.com")
    first, _ = token_client("two@example.com")
    second, _ = token_client("two@example.com")
    assert AuthToken.objects.filter(user=user).count() == 2
    assert first.post("/api/auth/logoutall/").status_code == 204
    assert AuthToken.objects.filter(user=user).count() == 0
    assert second.get("/api/auth/me/").status_code == 401


def test_tokens_are_stored_hashed():
    UserFactory(email="hash@example.com")
    _, login = token_client("hash@example.com")
    stored = AuthToken.objects.get()
    assert login["token"] not in (stored.digest, stored.token_key)


@pytest.mark.parametrize(
    "payload, field",
    [
        (
            {"email": "who@example.com", "password": "wrong-password"},
            "non_field_errors",
        ),
        ({"email": "nobody@example.com", "password": PASSWORD}, "non_field_errors"),
        ({"email": "not-an-email", "password": PASSWORD}, "email"),
        ({"password": PASSWORD}, "email"),
        ({"email": "who@example.com"}, "password"),
    ],
)
def test_bad_credentials_are_a_400(payload, field):
    UserFactory(email="who@example.com")
    response = APIClient().post("/api/auth/login/", payload, format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["errors"]
    assert not AuthToken.objects.exists()


def test_an_inactive_account_cannot_log_in():
    UserFactory(email="gone@example.com", is_active=False)
    response = APIClient().post(
        "/api/auth/login/",
        {"email": "gone@example.com", "password": PASSWORD},
        format="json",
    )
    assert response.status_code == 400


def test_logout_without_a_token_is_401():
    response = APIClient().post("/api/auth/logout/")
    assert response.status_code == 401
    assert set(response.json()) == {"detail", "code", "errors"}


def test_a_made_up_token_is_401():
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token " + "a" * 64)
    assert api.get("/api/v1/ideas/").status_code == 401


def test_axes_counts_failed_api_logins(settings):
    """Failed API logins reach django-axes (it needs the request to see them)."""
    from axes.models import AccessAttempt

    settings.AXES_ENABLED = True
    UserFactory(email="axed@example.com")
    APIClient().post(
        "/api/auth/login/",
        {"email": "axed@example.com", "password": "wrong"},
        format="json",
    )
    assert AccessAttempt.objects.count() == 1


def test_axes_locks_out_repeated_failures_with_a_429(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 2
    UserFactory(email="locked@example.com")
    attempt = {"email": "locked@example.com", "password": "wrong"}
    codes = [
        APIClient().post("/api/auth/login/", attempt, format="json").status_code
        for _ in range(3)
    ]
    assert codes == [400, 429, 429]
    attempt["password"] = PASSWORD
    response = APIClient().post("/api/auth/login/", attempt, format="json")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
