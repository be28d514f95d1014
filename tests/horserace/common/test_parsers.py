"""Every JSON body the API parses: too deep or infinite input is a 400, not a 500."""

import pytest
from rest_framework.test import APIClient

from horserace.common.parsers import MAX_DEPTH, json_depth_exceeds
from tests.factories import open_racecourse

pytestmark = pytest.mark.django_db

ERROR_KEYS = {"detail", "code", "errors"}


def _client(user=None) -> APIClient:
    client = APIClient(raise_request_exception=False)
    if user is not None:
        client.force_authenticate(user)
    return client


def _post_json(client: APIClient, path: str, body: str):
    return client.post(path, data=body, content_type="application/json")


@pytest.mark.parametrize("opener", ["[", '{"a":'])
def test_deeply_nested_json_on_login_is_a_400_before_authentication(opener):
    """100,000 levels of nesting once ended in a RecursionError (a 500)."""
    response = _post_json(_client(), "/api/auth/login/", opener * 100_000)
    assert response.status_code == 400
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["code"] == "parse_error"


def test_nesting_just_past_the_limit_is_refused_on_an_authenticated_endpoint(user):
    """Not only the RecursionError depth: anything past MAX_DEPTH is refused."""
    body = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    response = _post_json(_client(user), "/api/v1/ideas/", body)
    assert response.status_code == 400
    assert "nested deeper" in response.json()["detail"]


def test_nesting_within_the_limit_reaches_the_serializer(user):
    body = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    response = _post_json(_client(user), "/api/v1/ideas/", body)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"  # the serializer's answer


@pytest.mark.parametrize("number", ["1e309", "-1e309", "1E400", "123e99999"])
def test_an_infinite_number_in_an_id_field_is_a_400(user, number):
    """``1e309`` parses to inf; int(inf) in the ORM was an OverflowError (a 500)."""
    racecourse = open_racecourse()
    for field, value in [("racecourse", number), ("challenge", number)]:
        fields = {
            "racecourse": str(racecourse.pk),
            "title": '"T"',
            "pitch": '"P"',
            "problem": '"Q"',
            "proposal": '"R"',
            field: value,
        }
        body = "{" + ",".join(f'"{k}": {v}' for k, v in fields.items()) + "}"
        response = _post_json(_client(user), "/api/v1/ideas/", body)
        assert response.status_code == 400, (field, response.content)
        assert set(response.json()) == ERROR_KEYS


def test_an_integer_of_too_many_digits_is_a_400(user):
    response = _post_json(
        _client(user), "/api/v1/ballots/", '{"idea": ' + "9" * 5000 + "}"
    )
    assert response.status_code == 400
    assert set(response.json()) == ERROR_KEYS


@pytest.mark.parametrize(
    "text, deep",
    [
        (b"[" * 33, True),
        (b"[" * 32 + b"]" * 32, False),
        (b'["' + b"[" * 100 + b'"]', False),  # brackets inside a string
        (b'["\\"' + b"[" * 100 + b'"]', False),  # after an escaped quote
        (b'{"a": "\\\\"}' + b"[" * 40, True),  # an escaped backslash ends it
        (b'["unterminated' + b"[" * 40, False),
        (b"[]" * 1000, False),
    ],
)
def test_depth_is_measured_outside_strings(text, deep):
    assert json_depth_exceeds(text) is deep


def test_a_body_larger_than_the_upload_limit_is_a_400(user, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = _post_json(_client(user), "/api/v1/ideas/", '"' + "x" * 2000 + '"')
    assert response.status_code == 400
    assert set(response.json()) == ERROR_KEYS
