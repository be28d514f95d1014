"""The shared API conventions: pages, OPTIONS, ids, documented errors."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient
from rest_framework.views import APIView

from ideas.models import TeamInvitation
from tests.factories import UserFactory, open_racecourse

pytestmark = pytest.mark.django_db


def _client(user) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    return client


# --- Pagination ---------------------------------------------------------------


@pytest.mark.parametrize("page", ["0", "-1", "abc", "2", "99999999999999999999"])
def test_a_page_that_is_not_there_is_a_400_with_the_error_shape(user, page):
    """It was an undocumented 404, which reads as "no such list"."""
    response = _client(user).get("/api/v1/ideas/", {"page": page})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Invalid page.",
        "code": "invalid",
        "errors": {"page": ["Invalid page."]},
    }


def test_the_first_page_of_an_empty_list_and_the_last_page_are_fine(user):
    client = _client(user)
    assert client.get("/api/v1/ideas/", {"page": "1"}).status_code == 200
    assert client.get("/api/v1/ideas/", {"page": "last"}).status_code == 200


# --- OPTIONS ----------------------------------------------------------------------


def _routes(resolver=None, prefix=""):
    """Every route of the URL conf, as text."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry, route)
        else:
            yield route


def _api_patterns(resolver=None, prefix=""):
    """(path, view class) of every DRF view in the URL conf."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _api_patterns(entry, route)
        elif isinstance(entry, URLPattern):
            cls = getattr(entry.callback, "cls", None)
            if cls is not None and issubclass(cls, APIView):
                yield route, cls


def _fill(route: str, pk: int) -> str:
    return "/" + re.sub(r"<(?:\w+:)?\w+>", str(pk), route).lstrip("^").rstrip("$")


def test_options_is_safe_on_every_api_view(hr_admin):
    """List views without ``serializer_class`` made OPTIONS a 500."""
    racecourse = open_racecourse()
    patterns = list(_api_patterns())
    assert len(patterns) > 50
    for user in (UserFactory(), hr_admin):
        client = _client(user)
        for route, _view in patterns:
            path = _fill(route, racecourse.pk)
            response = client.options(path)
            assert response.status_code < 500, (path, response.content[:200])
            if response["Content-Type"] == "application/json":
                assert response.json()["name"], path
                assert "actions" not in response.json()


# --- Ids --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/invitations/",
        "/api/v1/join-requests/",
        "/api/v1/ballots/",
        "/api/v1/resource-requests/",
        "/api/v1/trainer-assignments/",
    ],
)
@pytest.mark.parametrize("value", ["99999999999999999999999", "-3.98e296", "1.5"])
def test_an_id_filter_out_of_range_is_a_400(user, path, value):
    """``?idea=99999999999999999999999`` was an OverflowError on SQLite."""
    field = "racecourse" if "resource" in path or "trainer" in path else "idea"
    response = _client(user).get(path, {field: value})
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]


def test_an_id_filter_in_range_still_filters(user):
    response = _client(user).get("/api/v1/invitations/", {"idea": "12"})
    assert response.status_code == 200
    assert TeamInvitation.objects.count() == 0


def test_an_id_too_long_for_any_row_in_a_path_is_never_a_500(user, hr_admin):
    """Every URL with an id, in the browser and the API, as employee and HR.

    A 25-digit racecourse id reached the rubric's ``filter(racecourse_id=...)``:
    an OverflowError (a 500) on SQLite. Such a path now matches no URL.
    """
    huge = "9" * 25
    routes = [r for r in _routes() if re.search(r"<(int|id):", r)]
    assert len(routes) > 100
    for who in (user, hr_admin):
        client = Client(raise_request_exception=False)
        client.force_login(who)
        for route in routes:
            path = "/" + re.sub(r"<(?:int|id):\w+>", huge, route)
            for method in (client.get, client.post, client.delete):
                response = method(path)
                assert response.status_code < 500, (method.__name__, path)


def test_every_route_takes_its_ids_through_the_id_converter():
    """``<int:...>`` matches any length: new routes use ``<id:...>``."""
    assert [r for r in _routes() if "<int:" in r] == []


def test_an_id_of_18_digits_still_matches(user):
    client = _client(user)
    assert client.get("/api/v1/ideas/" + "9" * 18 + "/").status_code == 404
    assert client.get("/api/v1/ideas/" + "9" * 19 + "/").status_code == 404


# --- input_validate: a flat serializer's checks without building it -----------

_BALLOT_INPUTS = [
    {"idea": 5, "choice": "support"},
    {"idea": "5", "choice": "oppose", "reason": "  padded  "},
    {"idea": 5, "choice": "support", "reason": None},
    {"idea": 5, "choice": "support", "reason": "x" * 281},
    {"idea": 0, "choice": "maybe"},
    {"idea": 2**63, "choice": "support"},
    {"idea": "abc", "choice": ["support"]},
    {"idea": None, "choice": None, "reason": 7},
    {"idea": 1.5, "choice": "support"},
    {"choice": "support"},
    {},
    {"idea": 5, "choice": "support", "extra": "ignored"},
    [],
    ["idea", 5],
    "text",
    None,
    7,
]


@pytest.mark.parametrize("data", _BALLOT_INPUTS, ids=repr)
def test_input_validate_answers_as_the_serializer_does(data):
    """The ballot's hot path skips building the serializer; what it accepts,
    what it returns and every error (message and code) stay the serializer's."""
    from rest_framework import serializers

    from horserace.common.api import input_validate
    from voting.screening.apis.serializers import BallotInputSerializer

    serializer = BallotInputSerializer(data=data)
    if serializer.is_valid():
        assert input_validate(BallotInputSerializer, data) == dict(
            serializer.validated_data
        )
        return
    with pytest.raises(serializers.ValidationError) as error:
        input_validate(BallotInputSerializer, data)
    assert (
        error.value.get_full_details()
        == serializers.ValidationError(serializer.errors).get_full_details()
    )


def test_input_validate_builds_serializers_that_check_more_the_usual_way():
    """A serializer with its own ``validate`` (or ``validate_<field>``) is not
    taken apart: its checks run."""
    from rest_framework import serializers

    from horserace.common.api import input_validate

    class Both(serializers.Serializer):
        a = serializers.IntegerField()
        b = serializers.IntegerField()

        def validate(self, attrs):
            if attrs["a"] > attrs["b"]:
                raise serializers.ValidationError("a must not exceed b")
            return attrs

    class Field(serializers.Serializer):
        a = serializers.IntegerField()

        def validate_a(self, value):
            raise serializers.ValidationError("never")

    assert input_validate(Both, {"a": 1, "b": 2}) == {"a": 1, "b": 2}
    with pytest.raises(serializers.ValidationError) as error:
        input_validate(Both, {"a": 3, "b": 2})
    assert "non_field_errors" in error.value.detail
    with pytest.raises(serializers.ValidationError) as error:
        input_validate(Field, {"a": 1})
    assert error.value.detail == {"a": ["never"]}
