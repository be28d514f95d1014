"""SCIM 2.0 provisioning (``horserace.accounts.scim``), played as a client.

The main test is the sequence Okta (and, with its string booleans, Azure AD)
plays: look the person up by ``userName``, create them, read them, patch
their department and manager, deactivate, reactivate, delete. Refusals and
bad payloads answer SCIM errors with a 4xx status, never a 500.
"""

import json

import pytest
from django.core.management import call_command
from django.test import Client
from knox.models import get_token_model

from horserace.accounts.models import Department, User
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
CORE = "urn:ietf:params:scim:schemas:core:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
SCIM_JSON = "application/scim+json"


def token_for(user) -> str:
    _instance, token = get_token_model().objects.create(user=user, expiry=None)
    return token


class Scim:
    """A SCIM client: bearer token, JSON bodies, decoded answers."""

    def __init__(self, token: str | None, scheme: str = "Bearer"):
        self.client = Client(enforce_csrf_checks=True)
        self.headers = {"HTTP_AUTHORIZATION": f"{scheme} {token}"} if token else {}

    def call(self, method: str, path: str, body=None, raw: str | None = None):
        data = (
            raw if raw is not None else (json.dumps(body) if body is not None else "")
        )
        response = getattr(self.client, method)(
            "/scim/v2/" + path, data=data, content_type=SCIM_JSON, **self.headers
        )
        content = response.content.decode()
        response.data = json.loads(content) if content else None
        return response


@pytest.fixture
def provisioner():
    return UserFactory(is_provisioner=True, email="okta@example.com")


@pytest.fixture
def scim(provisioner):
    return Scim(token_for(provisioner))


def user_body(**extra):
    body = {
        "schemas": [CORE, ENTERPRISE],
        "userName": "Ada.Lovelace@Example.com",
        "externalId": "00u1okta",
        "name": {"givenName": "Ada", "familyName": "Lovelace"},
        "displayName": "Ada Lovelace",
        "emails": [{"value": "ada.lovelace@example.com", "primary": True}],
        "active": True,
        ENTERPRISE: {"employeeNumber": "A-1001", "department": "Research Lab"},
    }
    body.update(extra)
    return body


def patch(*operations):
    return {"schemas": [PATCH_OP], "Operations": list(operations)}


def test_a_clients_sequence_create_read_patch_deactivate_reactivate_delete(scim):
    boss = UserFactory(employee_number="B-7", display_name="The Boss")
    eng = DepartmentFactory(code="eng", name="Engineering")

    # 1. Okta looks the person up first: nobody yet.
    found = scim.call("get", 'Users?filter=userName eq "ada.lovelace@example.com"')
    assert found.status_code == 200
    assert found.data["totalResults"] == 0

    # 2. Create.
    created = scim.call("post", "Users", user_body())
    assert created.status_code == 201, created.content
    scim_id = created.data["id"]
    ada = User.objects.get(scim_id=scim_id)
    assert ada.email == "ada.lovelace@example.com"
    assert ada.display_name == "Ada Lovelace"
    assert ada.employee_number == "A-1001"
    assert ada.scim_external_id == "00u1okta"
    assert ada.department.name == "Research Lab"  # created: it was unknown
    assert ada.is_active and not ada.has_usable_password()
    assert created["Location"].endswith(f"/scim/v2/Users/{scim_id}")
    assert scim_id != str(ada.pk)

    # 3. Read it back.
    got = scim.call("get", f"Users/{scim_id}")
    assert got.status_code == 200
    assert got.data["userName"] == "ada.lovelace@example.com"
    assert got.data["displayName"] == "Ada Lovelace"
    assert got.data[ENTERPRISE]["department"] == "Research Lab"
    assert got.data["active"] is True

    # 4. Filter by userName, whatever its case.
    found = scim.call("get", 'Users?filter=userName eq "ADA.lovelace@example.com"')
    assert found.data["totalResults"] == 1
    assert found.data["Resources"][0]["id"] == scim_id

    # 5. Patch the department (by code) and the manager (by employee number),
    #    the way Azure AD sends them: one path per attribute.
    patched = scim.call(
        "patch",
        f"Users/{scim_id}",
        patch(
            {"op": "Replace", "path": f"{ENTERPRISE}:department", "value": "eng"},
            {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": "B-7"},
        ),
    )
    assert patched.status_code == 200, patched.content
    ada.refresh_from_db()
    assert ada.department == eng
    assert ada.manager == boss
    assert patched.data[ENTERPRISE]["manager"]["value"] == boss.scim_id

    # 6. Deactivate, as Okta does: no path, a value object.
    off = scim.call(
        "patch",
        f"Users/{scim_id}",
        patch({"op": "replace", "value": {"active": False}}),
    )
    assert off.status_code == 200
    assert off.data["active"] is False
    ada.refresh_from_db()
    assert not ada.is_active

    # 7. Reactivate, as Azure AD does: a string boolean.
    on = scim.call(
        "patch",
        f"Users/{scim_id}",
        patch({"op": "Replace", "path": "active", "value": "True"}),
    )
    assert on.status_code == 200
    ada.refresh_from_db()
    assert ada.is_active

    # 8. Delete: deactivated, never deleted.
    deleted = scim.call("delete", f"Users/{scim_id}")
    assert deleted.status_code == 204
    ada.refresh_from_db()
    assert not ada.is_active
    assert ada.department == eng and ada.manager == boss
    assert scim.call("get", f"Users/{scim_id}").data["active"] is False


def test_replace_sets_every_attribute_sent(scim):
    ada = UserFactory(email="ada@example.com", display_name="Ada")
    lead = UserFactory()

    replaced = scim.call(
        "put",
        f"Users/{ada.scim_id}",
        user_body(
            userName="ada@example.com",
            displayName="Ada K. Lovelace",
            **{
                ENTERPRISE: {
                    "department": "Engineering",
                    "manager": {"value": lead.scim_id},
                }
            },
        ),
    )

    assert replaced.status_code == 200, replaced.content
    ada.refresh_from_db()
    assert ada.display_name == "Ada K. Lovelace"
    assert ada.department.name == "Engineering"
    assert ada.manager == lead


def test_a_department_is_found_by_name_before_one_is_created(scim):
    DepartmentFactory(code="rnd", name="Research Lab")

    scim.call("post", "Users", user_body())

    assert Department.objects.filter(name="Research Lab").count() == 1
    assert User.objects.get(email="ada.lovelace@example.com").department.code == "rnd"


def test_an_unknown_manager_is_left_unset_not_refused(scim):
    response = scim.call(
        "post", "Users", user_body(**{ENTERPRISE: {"manager": {"value": "nobody"}}})
    )
    assert response.status_code == 201
    assert User.objects.get(email="ada.lovelace@example.com").manager is None


def test_a_manager_can_be_removed(scim):
    ada = UserFactory(manager=UserFactory())
    response = scim.call(
        "patch",
        f"Users/{ada.scim_id}",
        patch({"op": "remove", "path": f"{ENTERPRISE}:manager"}),
    )
    assert response.status_code == 200
    ada.refresh_from_db()
    assert ada.manager is None


def test_list_pages_and_service_descriptions(scim, provisioner):
    UserFactory.create_batch(3)

    listed = scim.call("get", "Users?startIndex=2&count=2")
    assert listed.status_code == 200
    assert listed.data["totalResults"] == 4
    assert len(listed.data["Resources"]) == 2

    config = scim.call("get", "ServiceProviderConfig")
    assert config.status_code == 200
    assert config.data["patch"]["supported"] is True
    assert config.data["bulk"]["supported"] is False
    assert config.data["authenticationSchemes"][0]["type"] == "oauthbearertoken"

    types = scim.call("get", "ResourceTypes")
    assert [t["id"] for t in types.data["Resources"]] == ["User"]

    schemas = {s["id"] for s in scim.call("get", "Schemas").data["Resources"]}
    assert {CORE, ENTERPRISE} <= schemas
    assert "urn:ietf:params:scim:schemas:core:2.0:Group" not in schemas

    assert scim.call("get", "Groups").status_code == 501


# --- Refusals ------------------------------------------------------------------


def test_no_token_is_a_401_with_a_scim_error():
    response = Scim(None).call("get", "Users")
    assert response.status_code == 401
    assert response.data["schemas"] == [ERROR]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_bad_token_is_a_401():
    assert Scim("not-a-token").call("get", "Users").status_code == 401


def test_an_employees_token_is_a_403_and_changes_nothing():
    response = Scim(token_for(UserFactory())).call("post", "Users", user_body())
    assert response.status_code == 403
    assert response.data["status"] == 403
    assert not User.objects.filter(email="ada.lovelace@example.com").exists()


def test_an_hr_admin_may_provision_with_a_knox_style_token(hr_admin):
    response = Scim(token_for(hr_admin), scheme="Token").call(
        "post", "Users", user_body()
    )
    assert response.status_code == 201


def test_a_signed_in_browser_session_is_not_enough(hr_admin):
    """The views are CSRF-exempt, so a session cookie must not authenticate."""
    client = Client()
    client.force_login(hr_admin)
    response = client.post(
        "/scim/v2/Users", data=json.dumps(user_body()), content_type=SCIM_JSON
    )
    assert response.status_code == 401
    assert not User.objects.filter(email="ada.lovelace@example.com").exists()


def test_a_deactivated_provisioner_is_refused(provisioner):
    token = token_for(provisioner)
    User.objects.filter(pk=provisioner.pk).update(is_active=False)
    assert Scim(token).call("get", "Users").status_code == 401


# --- Bad payloads: SCIM errors, 4xx, never 500 ---------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "{not json",
        "[1, 2]",
        '"a string"',
        json.dumps({"displayName": "No userName"}),
        json.dumps(user_body(userName="not-an-email")),
        json.dumps(user_body(userName=42)),
        json.dumps(user_body(active="maybe")),
        json.dumps(user_body(name="Ada")),
        json.dumps(user_body(displayName={"x": 1})),
        json.dumps(user_body(**{ENTERPRISE: "Research"})),
        json.dumps(user_body(**{ENTERPRISE: {"employeeNumber": "9" * 40}})),
        json.dumps(user_body(displayName="Ada\u202eLovelace")),
    ],
)
def test_bad_create_payloads_are_400s(scim, raw):
    response = scim.call("post", "Users", raw=raw)
    assert response.status_code == 400, response.content
    assert response.data["schemas"] == [ERROR]
    assert not User.objects.filter(email="ada.lovelace@example.com").exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"Operations": "replace"},
        {"Operations": ["x"]},
        {"Operations": [{"op": "merge", "path": "active", "value": False}]},
        {"Operations": [{"op": "replace", "path": 7, "value": False}]},
        {"Operations": [{"op": "replace", "value": False}]},
        {"Operations": [{"op": "remove"}]},
        {"Operations": [{"op": "remove", "path": "userName"}]},
        {"Operations": [{"op": "replace", "path": "active", "value": "nope"}]},
        {"Operations": [{"op": "replace", "path": "userName", "value": "x"}]},
        {
            "Operations": [
                {"op": "replace", "path": f"{ENTERPRISE}:department", "value": []}
            ]
        },
    ],
)
def test_bad_patches_are_400s(scim, body):
    ada = UserFactory()
    response = scim.call("patch", f"Users/{ada.scim_id}", body)
    assert response.status_code == 400, response.content
    assert response.data["schemas"] == [ERROR]
    ada.refresh_from_db()
    assert ada.is_active


def test_a_taken_username_or_employee_number_is_a_409(scim):
    UserFactory(email="ada.lovelace@example.com")
    assert scim.call("post", "Users", user_body()).status_code == 409

    other = UserFactory(employee_number="A-1001")
    ada = UserFactory()
    response = scim.call(
        "patch",
        f"Users/{ada.scim_id}",
        patch(
            {"op": "replace", "path": f"{ENTERPRISE}:employeeNumber", "value": "A-1001"}
        ),
    )
    assert response.status_code == 409
    assert response.data["scimType"] == "uniqueness"
    ada.refresh_from_db()
    assert ada.employee_number != other.employee_number


def test_unknown_ids_and_bad_filters_are_4xx(scim):
    assert scim.call("get", "Users/does-not-exist").status_code == 404
    assert scim.call("delete", "Users/does-not-exist").status_code == 404
    assert scim.call("get", "Users?filter=userName zz 3").status_code == 400
    assert scim.call("get", "Users?startIndex=abc").status_code == 400
    assert scim.call("get", "Users?startIndex=0").status_code == 400


def test_other_filters_go_through_the_attribute_map(scim):
    UserFactory(employee_number="E-42", email="x@example.com")
    UserFactory(scim_external_id="ext-1", email="y@example.com")

    by_external = scim.call("get", 'Users?filter=externalId eq "ext-1"')
    by_number = scim.call("get", f'Users?filter={ENTERPRISE}:employeeNumber eq "E-42"')

    assert [r["userName"] for r in by_external.data["Resources"]] == ["y@example.com"]
    assert [r["userName"] for r in by_number.data["Resources"]] == ["x@example.com"]


# --- The token command ---------------------------------------------------------


def test_scim_token_makes_a_provisioning_account_and_a_token(capsys):
    call_command("scim_token", "Okta-Sync@example.com")
    token = capsys.readouterr().out.strip()

    account = User.objects.get(email="okta-sync@example.com")
    assert account.is_provisioner and not account.has_usable_password()
    assert Scim(token).call("get", "ServiceProviderConfig").status_code == 200
