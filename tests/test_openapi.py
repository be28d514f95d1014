"""The OpenAPI schema is complete and valid, and the docs page serves it."""

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db

KEY_PATHS = {
    "/api/auth/login/": {"post"},
    "/api/auth/logout/": {"post"},
    "/api/auth/logoutall/": {"post"},
    "/api/auth/me/": {"get"},
    "/api/v1/seasons/": {"get", "post"},
    "/api/v1/seasons/{id}/": {"get", "patch"},
    "/api/v1/seasons/{id}/copy/": {"post"},
    "/api/v1/seasons/{id}/open/": {"post"},
    "/api/v1/seasons/{id}/review/": {"get"},
    "/api/v1/seasons/{id}/department-racecourses/": {"post"},
    "/api/v1/racecourses/{id}/windows/": {"post"},
    "/api/v1/windows/{id}/close-early/": {"post"},
    "/api/v1/windows/{id}/changes/": {"get"},
    "/api/v1/racecourses/": {"get"},
    "/api/v1/racecourses/{id}/": {"get"},
    "/api/v1/challenges/": {"get"},
    "/api/v1/challenges/{id}/": {"get"},
    "/api/v1/ideas/": {"get", "post"},
    "/api/v1/ideas/{id}/": {"get", "put", "patch"},
    "/api/v1/ideas/{id}/register/": {"post"},
    "/api/v1/ideas/{id}/withdraw/": {"post"},
    "/api/v1/ideas/{id}/team/": {"get"},
    "/api/v1/ideas/{id}/team/{user_id}/": {"delete"},
    "/api/v1/ideas/{id}/team/transfer/": {"post"},
    "/api/v1/ideas/{id}/invitations/": {"post"},
    "/api/v1/ideas/{id}/join-requests/": {"post"},
    "/api/v1/invitations/": {"get"},
    "/api/v1/invitations/{id}/accept/": {"post"},
    "/api/v1/invitations/{id}/decline/": {"post"},
    "/api/v1/invitations/{id}/cancel/": {"post"},
    "/api/v1/join-requests/": {"get"},
    "/api/v1/join-requests/{id}/accept/": {"post"},
    "/api/v1/join-requests/{id}/decline/": {"post"},
    "/api/v1/join-requests/{id}/withdraw/": {"post"},
    "/api/v1/users/": {"get"},
    "/api/v1/departments/": {"get"},
    "/api/v1/departments/{id}/": {"get"},
    "/api/v1/people/": {"get"},
    "/api/v1/people/{id}/": {"get"},
    "/api/v1/ballots/": {"get", "post"},
    "/api/v1/ballots/{idea_id}/": {"get", "delete"},
    "/api/v1/ballots/batch/": {"post"},
    "/api/v1/racecourses/{id}/queue/": {"get"},
    "/api/v1/racecourses/{id}/impressions/": {"post"},
    "/api/v1/racecourses/{id}/leaderboard/": {"get"},
    "/api/v1/tallies/": {"get"},
    "/api/v1/windows/": {"get"},
    "/api/v1/windows/{id}/": {"get", "patch"},
    "/api/v1/windows/{id}/close/": {"post"},
    "/api/v1/windows/{id}/confirm/": {"post"},
    # Gestation
    "/api/v1/seasons/{id}/resources/": {"get"},
    "/api/v1/racecourses/{id}/budgets/": {"get"},
    "/api/v1/ideas/{id}/resource-requests/": {"get", "post"},
    "/api/v1/resource-requests/{id}/grant/": {"post"},
    "/api/v1/resource-requests/{id}/decline/": {"post"},
    "/api/v1/resource-requests/{id}/ask/": {"post"},
    "/api/v1/resource-requests/{id}/answer/": {"post"},
    "/api/v1/ideas/{id}/trainer-assignments/": {"get", "post"},
    "/api/v1/trainer-assignments/{id}/sessions/": {"get", "post"},
    "/api/v1/ideas/{id}/milestones/": {"get", "post"},
    "/api/v1/ideas/{id}/progress-updates/": {"get", "post"},
    "/api/v1/ideas/{id}/proposal/": {"get", "post"},
    "/api/v1/ideas/{id}/extensions/": {"get", "post"},
    # Offline evaluation
    "/api/v1/racecourses/{id}/rubric/": {"get", "put"},
    "/api/v1/evaluation/racecourses/{id}/pool/": {"get", "post"},
    "/api/v1/evaluation/racecourses/{id}/assign-auto/": {"post"},
    "/api/v1/evaluation/racecourses/{id}/assignments/": {"get", "post"},
    "/api/v1/evaluation/racecourses/{id}/loads/": {"get"},
    "/api/v1/evaluation/conflicts/": {"get", "post"},
    "/api/v1/ideas/{id}/scorecard/": {"get", "put"},
    "/api/v1/ideas/{id}/scorecard/submit/": {"post"},
    "/api/v1/racecourses/{id}/panel/": {"get"},
    "/api/v1/ideas/{id}/decision/": {"get", "post"},
    # Realization
    "/api/v1/ideas/{id}/realization/": {"get"},
    "/api/v1/ideas/{id}/realization/plan/": {"post"},
    "/api/v1/realization/tranches/{id}/review/": {"post"},
    "/api/v1/realization/tranches/{id}/approve/": {"post"},
    "/api/v1/realization/allocations/{id}/approve/": {"post"},
}


@pytest.fixture(scope="module")
def schema(tmp_path_factory, django_db_setup, django_db_blocker):
    """``manage.py spectacular --validate --fail-on-warn``, as CI runs it."""
    path = tmp_path_factory.mktemp("openapi") / "schema.yml"
    with django_db_blocker.unblock():
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def test_schema_has_every_endpoint(schema):
    for path, methods in KEY_PATHS.items():
        assert path in schema["paths"], path
        assert methods <= set(schema["paths"][path]), path


def test_every_operation_documents_its_errors_in_one_shape(schema):
    """Each operation names its error responses, all with the shared component."""
    error = {"$ref": "#/components/schemas/Error"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = {c for c in operation["responses"] if c.startswith("4")}
            assert codes, f"{method} {path} documents no errors"
            if path != "/api/auth/login/":
                assert "401" in codes, f"{method} {path}"
            if "{id}" in path:
                assert "404" in codes, f"{method} {path}"
            for code in codes:
                content = operation["responses"][code]["content"]
                assert content["application/json"]["schema"] == error


def test_lists_are_paginated_and_filterable(schema):
    ideas = schema["paths"]["/api/v1/ideas/"]["get"]
    params = {p["name"] for p in ideas["parameters"]}
    assert {
        "racecourse",
        "season",
        "stage",
        "challenge",
        "search",
        "ordering",
    } <= params
    assert {"page", "page_size"} <= params
    ok = ideas["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/PaginatedIdeaListOutputList"}


def test_login_needs_no_credentials_and_the_rest_take_a_token(schema):
    assert schema["paths"]["/api/auth/login/"]["post"].get("security") in (None, [])
    me = schema["paths"]["/api/auth/me/"]["get"]
    assert {"knoxApiToken": []} in me["security"]


def test_docs_page_is_served_to_a_logged_in_user(client, user):
    client.force_login(user)
    assert client.get("/api/docs/").status_code == 200
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/ideas/" in response.content


def test_the_shared_errors_are_documented_where_they_can_happen(schema):
    """horserace/common/openapi.py: throttles, input, login, ids, media types."""
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            params = operation.get("parameters", [])
            where = f"{method} {path}"
            assert "429" in codes, where
            if method in {"post", "put", "patch", "delete"}:
                assert "400" in codes, where
            if any(p["in"] == "query" for p in params):
                assert "400" in codes, where
            if any(p["in"] == "path" for p in params):
                assert "404" in codes, where
            if "requestBody" in operation:
                assert "415" in codes, where


def test_pages_and_path_ids_are_bounded_in_the_schema(schema):
    ideas = schema["paths"]["/api/v1/ideas/"]["get"]
    page = next(p for p in ideas["parameters"] if p["name"] == "page")
    assert page["schema"] == {"type": "integer", "minimum": 1}
    assert "400" in ideas["responses"]
    detail = schema["paths"]["/api/v1/ideas/{id}/"]["get"]
    (pk,) = [p for p in detail["parameters"] if p["in"] == "path"]
    assert pk["schema"]["maximum"] == 10**18 - 1
