"""voting/screening/apis/auth.py: the ballot's token and idea in one query.

A cast signed with a token reads the idea it names in the token's query. It
must answer every request exactly as the usual way does (the same status
and body, for every kind of idea and every kind of bad request), in two
queries where the usual way takes three.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from ideas.models import Visibility
from tests.factories import UserFactory, idea_draft
from tests.voting.factories import screening_idea, screening_round
from voting.models import Ballot

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="LATERAL joins: PostgreSQL only"
    ),
]

BALLOTS = "/api/v1/ballots/"


def _token_client(user) -> APIClient:
    _instance, token = AuthToken.objects.create(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def _usual_client(user) -> APIClient:
    """The usual way: authenticated without the token query."""
    client = APIClient()
    client.force_authenticate(user)
    return client


def _body(response) -> dict:
    data = response.json()
    for key in ("id", "created_at", "updated_at"):
        data.pop(key, None)
    return data


@pytest.fixture
def scene():
    window = screening_round()
    voter = UserFactory()
    open_idea = screening_idea(window)
    own = screening_idea(window, author=voter)
    secret = screening_idea(window, visibility=Visibility.CONFIDENTIAL)
    draft = idea_draft(racecourse=window.racecourse)
    return {
        "voter": voter,
        "open": open_idea.pk,
        "own team": own.pk,
        "confidential": secret.pk,
        "draft": draft.pk,
        "unknown": 10**12,
    }


def test_a_cast_takes_two_queries_and_answers_as_the_usual_way(scene):
    voter = scene["voter"]
    token, usual = _token_client(voter), _usual_client(voter)
    body = {"idea": scene["open"], "choice": "support", "reason": "good"}
    token.post(BALLOTS, body, format="json")  # prepares the statements
    with CaptureQueriesContext(connection) as queries:
        read_ahead = token.post(BALLOTS, body | {"choice": "oppose"}, format="json")
    assert read_ahead.status_code == 200
    sqls = [q["sql"] for q in queries.captured_queries]
    assert len(sqls) == 2, sqls
    assert "horserace_token_judging" in sqls[0]
    usual_answer = usual.post(BALLOTS, body | {"choice": "oppose"}, format="json")
    assert usual_answer.status_code == 200
    assert _body(read_ahead) == _body(usual_answer)
    assert Ballot.objects.get(voter=voter).choice == "oppose"


@pytest.mark.parametrize(
    "which", ["open", "own team", "confidential", "draft", "unknown"]
)
def test_every_kind_of_idea_gets_the_usual_answer(scene, which):
    """Readable, own team's (403), confidential and draft (404, never a hint
    that they exist), unknown (404)."""
    voter = scene["voter"]
    body = {"idea": scene[which], "choice": "support"}
    read_ahead = _token_client(voter).post(BALLOTS, body, format="json")
    Ballot.objects.filter(voter=voter).delete()
    usual = _usual_client(voter).post(BALLOTS, body, format="json")
    assert read_ahead.status_code == usual.status_code
    assert _body(read_ahead) == _body(usual)
    expected = {"open": 201, "own team": 403}.get(which, 404)
    assert read_ahead.status_code == expected


@pytest.mark.parametrize(
    "raw",
    [
        b'{"idea": "abc", "choice": "support"}',
        b'{"idea": true, "choice": "support"}',
        b'{"idea": 1.5, "choice": "support"}',
        b'{"idea": -3, "choice": "support"}',
        b'{"idea": 99999999999999999999999, "choice": "support"}',
        b'{"choice": "support"}',
        b'{"idea": 5, "choice": "support"',
        b"[1, 2]",
        b"[" * 5000,
        b"",
    ],
    ids=repr,
)
def test_bad_bodies_get_the_usual_400(scene, raw):
    voter = scene["voter"]
    read_ahead = _token_client(voter).post(
        BALLOTS, raw, content_type="application/json"
    )
    usual = _usual_client(voter).post(BALLOTS, raw, content_type="application/json")
    assert read_ahead.status_code == usual.status_code == 400
    assert read_ahead.json() == usual.json()


@pytest.mark.parametrize("who", ["HR", "racecourse admin", "team member"])
@pytest.mark.parametrize("which", ["open", "own team", "confidential", "draft"])
def test_every_role_gets_the_usual_answer(scene, who, which):
    """The visibility and team role are decided for whoever the token is:
    HR, the racecourse's admin (who open a confidential idea before reading
    it) and the confidential idea's own team member."""
    from ideas.models import Idea

    secret = Idea.objects.get(pk=scene["confidential"])
    if who == "HR":
        person = UserFactory(is_hr_admin=True)
    elif who == "racecourse admin":
        person = UserFactory()
        secret.racecourse.admins.add(person)
    else:
        person = secret.memberships.get().user
    body = {"idea": scene[which], "choice": "oppose"}
    read_ahead = _token_client(person).post(BALLOTS, body, format="json")
    Ballot.objects.filter(voter=person).delete()
    usual = _usual_client(person).post(BALLOTS, body, format="json")
    assert (read_ahead.status_code, _body(read_ahead)) == (
        usual.status_code,
        _body(usual),
    )


def test_a_bad_token_is_a_401_whatever_the_body(scene):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 64)
    assert (
        client.post(
            BALLOTS, {"idea": scene["open"], "choice": "support"}, format="json"
        ).status_code
        == 401
    )
    assert (
        client.post(BALLOTS, b'{"idea": ', content_type="application/json").status_code
        == 401
    )
    assert not Ballot.objects.exists()


def test_expired_tokens_and_inactive_voters_are_refused_as_before(scene):
    voter = scene["voter"]
    instance, token = AuthToken.objects.create(voter)
    instance.expiry = timezone.now() - dt.timedelta(minutes=1)
    instance.save(update_fields=["expiry"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    body = {"idea": scene["open"], "choice": "support"}
    assert client.post(BALLOTS, body, format="json").status_code == 401
    assert not AuthToken.objects.filter(pk=instance.pk).exists()  # deleted
    live = _token_client(voter)
    voter.is_active = False
    voter.save(update_fields=["is_active"])
    assert live.post(BALLOTS, body, format="json").status_code == 401
    assert not Ballot.objects.exists()


def test_another_voters_token_reads_the_idea_as_that_voter(scene):
    """The team role and the visibility are the token's user's: the author
    of the own-team idea is refused, another voter may judge it."""
    other = UserFactory()
    body = {"idea": scene["own team"], "choice": "support"}
    assert (
        _token_client(scene["voter"]).post(BALLOTS, body, format="json").status_code
        == 403
    )
    assert _token_client(other).post(BALLOTS, body, format="json").status_code == 201
