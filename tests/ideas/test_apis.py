"""The ideas API: ideas, registration, teams, invitations, join requests, users.

State is built through the services; requests use ``force_authenticate``
(``tests/test_api_journey.py`` logs in for real with tokens).
"""

import datetime as dt
import hashlib
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from contests.models import Racecourse, Season
from ideas.models import RequestStatus, Stage, TeamMembership, Visibility
from ideas.services.teams import (
    invitation_accept,
    join_request_create,
    join_request_decline,
    team_invite,
)
from tests.factories import (
    ChallengeFactory,
    RacecourseFactory,
    StageWindowFactory,
    UserFactory,
    idea_draft,
    idea_in_stage,
    open_racecourse,
)

pytestmark = pytest.mark.django_db

HUGE = 99999999999999999999  # wider than any id column


def huge_url(name: str) -> str:
    """The route with an id too long to reverse: ``<id:pk>`` takes 18 digits."""
    return url(name, 1).replace("/1/", f"/{HUGE}/")


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def assert_error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"detail", "code", "errors"}
    assert body["detail"]
    return body


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def url(name: str, *args) -> str:
    return reverse(f"api:{name}", args=args)


def add_member(idea, user):
    invitation = team_invite(idea=idea, actor=idea.author, invitee=user)
    invitation_accept(invitation=invitation, actor=user)


@pytest.fixture
def captain(db):
    return UserFactory(display_name="Captain Ma")


@pytest.fixture
def stranger(db):
    return UserFactory(display_name="Stranger")


@pytest.fixture
def idea(captain):
    return idea_draft(author=captain)


def new_idea_payload(racecourse, **fields) -> dict:
    return {
        "racecourse": racecourse.pk,
        "title": "Shared warehouse robots",
        "pitch": "Rent robots by the hour.",
        "problem": "Robots are expensive.",
        "proposal": "A pool of robots.",
        **fields,
    }


# --- Listing ------------------------------------------------------------------


def test_anonymous_requests_get_401():
    body = assert_error(APIClient().get(url("idea-list")), 401)
    assert body["code"] == "not_authenticated"


def test_list_shows_only_ideas_the_user_may_see(captain, stranger, idea):
    public = idea_in_stage(Stage.REGISTERED)
    confidential = idea_in_stage(Stage.REGISTERED, visibility=Visibility.CONFIDENTIAL)
    assert sorted(ids(client_for(stranger).get(url("idea-list")))) == [public.pk]
    assert sorted(ids(client_for(captain).get(url("idea-list")))) == sorted(
        [public.pk, idea.pk]
    )
    # The evaluator role alone opens nothing confidential (an assignment does).
    evaluator = UserFactory(is_evaluator=True)
    assert sorted(ids(client_for(evaluator).get(url("idea-list")))) == [public.pk]
    assert confidential.pk
    hr = UserFactory(is_hr_admin=True)
    assert len(ids(client_for(hr).get(url("idea-list")))) == 3


def test_list_is_paginated(stranger):
    for _ in range(3):
        idea_in_stage(Stage.REGISTERED)
    body = client_for(stranger).get(url("idea-list"), {"page_size": 2}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3 and len(body["results"]) == 2
    row = body["results"][0]
    assert set(row) == {
        "id",
        "title",
        "pitch",
        "stage",
        "visibility",
        "anonymous",
        "racecourse",
        "season",
        "challenge",
        "author",
        "team_size",
        "registration",
        "trending",
        "created_at",
        "updated_at",
    }
    assert row["registration"]["code"].startswith("HR-2026-")
    assert row["team_size"] == 1


def test_list_filters(stranger):
    racecourse = open_racecourse()
    challenge = ChallengeFactory(racecourse=racecourse)
    a = idea_in_stage(Stage.REGISTERED, racecourse=racecourse, challenge=challenge)
    b = idea_in_stage(Stage.SCREENING, racecourse=racecourse, title="Robot pool")
    c = idea_in_stage(Stage.REGISTERED, title="Zebra crossing")
    api = client_for(stranger)
    assert sorted(ids(api.get(url("idea-list"), {"racecourse": racecourse.pk}))) == (
        sorted([a.pk, b.pk])
    )
    assert ids(api.get(url("idea-list"), {"season": c.racecourse.season_id})) == [c.pk]
    assert ids(api.get(url("idea-list"), {"stage": "screening"})) == [b.pk]
    assert sorted(
        ids(api.get(url("idea-list"), {"stage": ["screening", "registered"]}))
    ) == sorted([a.pk, b.pk, c.pk])
    assert ids(api.get(url("idea-list"), {"challenge": challenge.pk})) == [a.pk]
    assert ids(api.get(url("idea-list"), {"search": "robot"})) == [b.pk]
    assert ids(api.get(url("idea-list"), {"ordering": "-title"})) == [c.pk, b.pk, a.pk]
    assert ids(api.get(url("idea-list"))) == [c.pk, b.pk, a.pk]  # newest first


@pytest.mark.parametrize(
    "params",
    [
        {"stage": "nowhere"},
        {"racecourse": 999999},
        {"season": "x"},
        {"challenge": HUGE},
    ],
)
def test_list_rejects_bad_filters(stranger, params):
    body = assert_error(client_for(stranger).get(url("idea-list"), params), 400)
    assert set(body["errors"]) == set(params)


def test_list_hides_who_is_behind_an_anonymous_idea(captain, stranger):
    anonymous = idea_in_stage(Stage.REGISTERED, author=captain, anonymous=True)
    row = client_for(stranger).get(url("idea-list")).json()["results"][0]
    assert row["id"] == anonymous.pk and row["author"] is None
    row = client_for(captain).get(url("idea-list")).json()["results"][0]
    assert row["author"] == {"id": captain.pk, "display_name": "Captain Ma"}


def test_list_asks_the_database_a_fixed_number_of_times(
    stranger, django_assert_max_num_queries
):
    for _ in range(8):
        idea_in_stage(Stage.REGISTERED, anonymous=True)
    # Session, user, count, page, and the viewer's sets (team, blind pools,
    # access grants) once each, and the page's trending marks: nothing per idea.
    with django_assert_max_num_queries(6):
        assert len(ids(client_for(stranger).get(url("idea-list")))) == 8


# --- Creating -----------------------------------------------------------------


def test_create_makes_a_draft_with_the_author_as_captain(captain):
    racecourse = open_racecourse()
    response = client_for(captain).post(
        url("idea-list"), new_idea_payload(racecourse), format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["stage"] == "draft"
    assert body["author"]["id"] == captain.pk
    assert body["my_role"] == "captain"
    assert body["registration"] is None
    assert body["visibility"] == "everyone" and body["anonymous"] is False
    assert [m["user"]["id"] for m in body["team"]] == [captain.pk]
    assert body["permissions"]["register"] is True
    assert body["transitions"] == []


@pytest.mark.parametrize(
    "change, field",
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"visibility": "everybody"}, "visibility"),
        ({"racecourse": 999999}, "racecourse"),
        ({"racecourse": HUGE}, "racecourse"),
        ({"challenge": 999999}, "challenge"),
    ],
)
def test_create_rejects_bad_input(captain, change, field):
    payload = new_idea_payload(open_racecourse()) | change
    body = assert_error(
        client_for(captain).post(url("idea-list"), payload, format="json"), 400
    )
    assert field in body["errors"]


def test_create_rejects_missing_fields(captain):
    body = assert_error(
        client_for(captain).post(url("idea-list"), {}, format="json"), 400
    )
    assert {"racecourse", "title", "pitch", "problem", "proposal"} <= set(
        body["errors"]
    )


def test_malformed_json_is_a_400_not_a_500(captain):
    response = client_for(captain).post(
        url("idea-list"), "{not json", content_type="application/json"
    )
    assert assert_error(response, 400)["code"] == "parse_error"


@pytest.mark.parametrize(
    "change",
    [
        {"racecourse": "abc"},
        {"racecourse": [1]},
        {"anonymous": "maybe"},
    ],
)
def test_wrongly_typed_input_is_a_400(captain, change):
    payload = new_idea_payload(open_racecourse()) | change
    response = client_for(captain).post(url("idea-list"), payload, format="json")
    assert set(change) <= set(assert_error(response, 400)["errors"])


def test_create_rejects_a_challenge_of_another_racecourse(captain):
    payload = new_idea_payload(open_racecourse(), challenge=ChallengeFactory().pk)
    body = assert_error(
        client_for(captain).post(url("idea-list"), payload, format="json"), 400
    )
    assert "challenge" in body["errors"]


def test_create_refuses_a_closed_season(captain):
    racecourse = open_racecourse(season__status=Season.Status.CLOSED)
    body = assert_error(
        client_for(captain).post(
            url("idea-list"), new_idea_payload(racecourse), format="json"
        ),
        400,
    )
    assert "racecourse" in body["errors"]


# --- Reading ------------------------------------------------------------------


def test_detail_shows_registration_team_and_history(captain):
    idea = idea_in_stage(Stage.SCREENING, author=captain)
    member = UserFactory()
    add_member(idea, member)
    body = client_for(member).get(url("idea-detail", idea.pk)).json()
    assert body["stage"] == "screening"
    assert body["my_role"] == "member"
    assert body["team_size"] == 2
    assert [(m["user"]["id"], m["role"]) for m in body["team"]] == [
        (captain.pk, "captain"),
        (member.pk, "member"),
    ]
    assert body["registration"]["code"] == "HR-2026-0001"
    assert body["registration"]["changed_since_registration"] is False
    assert [(t["from_stage"], t["to_stage"]) for t in body["transitions"]] == [
        ("draft", "registered"),
        ("registered", "screening"),
    ]
    assert body["transitions"][0]["actor"]["id"] == captain.pk
    assert body["permissions"] == {
        "edit": False,
        "register": False,
        "withdraw": False,
        "manage_team": False,
        "request_join": False,
        "leave_team": True,
        "carry": False,
        "to_farm": False,
    }


def test_a_draft_is_invisible_to_others(stranger, idea):
    body = assert_error(client_for(stranger).get(url("idea-detail", idea.pk)), 404)
    assert body["code"] == "not_found"


def test_a_confidential_idea_is_sealed_until_hr_opens_it_with_a_reason(stranger):
    """Strangers and unassigned evaluators get 404; HR knows it exists (403
    ``sealed``) and reads it only after opening it, which the team sees."""
    idea = idea_in_stage(Stage.REGISTERED, visibility=Visibility.CONFIDENTIAL)
    captain = idea.author
    assert_error(client_for(stranger).get(url("idea-detail", idea.pk)), 404)
    evaluator = UserFactory(is_evaluator=True)
    assert_error(client_for(evaluator).get(url("idea-detail", idea.pk)), 404)
    hr = client_for(UserFactory(is_hr_admin=True))
    assert assert_error(hr.get(url("idea-detail", idea.pk)), 403)["code"] == "sealed"
    short = hr.post(url("idea-access", idea.pk), {"kind": "open", "reason": "x"})
    assert "reason" in assert_error(short, 400)["errors"]
    assert_error(
        client_for(stranger).post(
            url("idea-access", idea.pk),
            {"kind": "open", "reason": "I would like to read it."},
        ),
        404,
    )
    opened = hr.post(
        url("idea-access", idea.pk),
        {"kind": "open", "reason": "A complaint names this project."},
        format="json",
    )
    assert opened.status_code == 201, opened.content
    assert hr.get(url("idea-detail", idea.pk)).json()["problem"] == idea.problem
    log = client_for(captain).get(url("idea-access", idea.pk)).json()
    assert [(r["kind"], r["reason"]) for r in log] == [
        ("open", "A complaint names this project.")
    ]
    assert (
        client_for(UserFactory(is_hr_admin=True)).get(url("access-log")).json()["count"]
        == 1
    )
    assert_error(client_for(captain).get(url("access-log")), 404)


def test_unknown_idea_is_404(stranger):
    assert_error(client_for(stranger).get(url("idea-detail", 999999)), 404)
    assert_error(client_for(stranger).get(huge_url("idea-detail")), 404)


def test_an_anonymous_idea_hides_its_people_from_outsiders(captain, stranger):
    idea = idea_in_stage(Stage.REGISTERED, author=captain, anonymous=True)
    body = client_for(stranger).get(url("idea-detail", idea.pk)).json()
    assert body["author"] is None
    assert body["team"] is None
    assert body["transitions"][0]["actor"] is None
    assert body["my_role"] is None
    hr = client_for(UserFactory(is_hr_admin=True))
    assert hr.get(url("idea-detail", idea.pk)).json()["author"] is None
    unmasked = hr.post(
        url("idea-access", idea.pk),
        {"kind": "unmask", "reason": "Paying out the team's prize."},
    )
    assert unmasked.status_code == 201, unmasked.content
    for insider in (client_for(captain), hr):
        body = insider.get(url("idea-detail", idea.pk)).json()
        assert body["author"]["id"] == captain.pk
        assert body["team"][0]["user"]["id"] == captain.pk
        assert body["transitions"][0]["actor"]["id"] == captain.pk


# --- Editing ------------------------------------------------------------------


def test_captain_edits_and_the_registration_notices(captain):
    idea = idea_in_stage(Stage.REGISTERED, author=captain)
    response = client_for(captain).patch(
        url("idea-detail", idea.pk), {"title": "A better title"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["title"] == "A better title"
    assert body["registration"]["changed_since_registration"] is True
    assert body["registration"]["fingerprint"] == idea.registration.fingerprint


def test_put_replaces_the_content(captain, idea):
    payload = {
        "title": "New",
        "pitch": "New pitch",
        "problem": "New problem",
        "proposal": "New proposal",
        "visibility": "confidential",
    }
    response = client_for(captain).put(
        url("idea-detail", idea.pk), payload, format="json"
    )
    assert response.status_code == 200, response.content
    assert {k: response.json()[k] for k in payload} == payload


def test_put_needs_every_text_field(captain, idea):
    body = assert_error(
        client_for(captain).put(
            url("idea-detail", idea.pk), {"title": "x"}, format="json"
        ),
        400,
    )
    assert {"pitch", "problem", "proposal"} <= set(body["errors"])


@pytest.mark.parametrize(
    "change, field",
    [
        ({"title": ""}, "title"),
        ({"visibility": "nobody"}, "visibility"),
        ({"challenge": 999999}, "challenge"),
    ],
)
def test_edit_rejects_bad_input(captain, idea, change, field):
    body = assert_error(
        client_for(captain).patch(url("idea-detail", idea.pk), change, format="json"),
        400,
    )
    assert field in body["errors"]


def test_edit_rejects_a_challenge_of_another_racecourse(captain, idea):
    change = {"challenge": ChallengeFactory().pk}
    body = assert_error(
        client_for(captain).patch(url("idea-detail", idea.pk), change, format="json"),
        400,
    )
    assert "challenge" in body["errors"]


def test_only_the_captain_edits(captain, stranger):
    idea = idea_in_stage(Stage.REGISTERED, author=captain)
    member = UserFactory()
    add_member(idea, member)
    for user in (member, stranger):
        response = client_for(user).patch(
            url("idea-detail", idea.pk), {"title": "Mine now"}, format="json"
        )
        assert_error(response, 403)


def test_editing_an_invisible_idea_is_404(stranger, idea):
    response = client_for(stranger).patch(
        url("idea-detail", idea.pk), {"title": "x"}, format="json"
    )
    assert_error(response, 404)


def test_a_withdrawn_idea_cannot_be_edited(captain):
    idea = idea_in_stage(Stage.WITHDRAWN, author=captain)
    response = client_for(captain).patch(
        url("idea-detail", idea.pk), {"title": "Back"}, format="json"
    )
    assert_error(response, 403)


# --- Registering --------------------------------------------------------------


def test_register_claims_authorship_once(captain, idea):
    api = client_for(captain)
    response = api.post(url("idea-register", idea.pk))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"] == "HR-2026-0001" and body["number"] == 1
    assert body["season"] == idea.racecourse.season_id
    content = {k: getattr(idea, k) for k in ("title", "pitch", "problem", "proposal")}
    canonical = json.dumps(
        content, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    assert body["fingerprint"] == hashlib.sha256(canonical.encode()).hexdigest()
    assert body["changed_since_registration"] is False
    assert body["registered_at"]

    again = api.post(url("idea-register", idea.pk))
    assert again.status_code == 200
    assert again.json() == body
    assert api.get(url("idea-detail", idea.pk)).json()["stage"] == "registered"


def test_register_outside_the_window_is_refused(captain):
    racecourse = RacecourseFactory(kind=Racecourse.Kind.MAIN)
    StageWindowFactory(
        racecourse=racecourse,
        opens_at=timezone.now() + dt.timedelta(days=1),
        closes_at=timezone.now() + dt.timedelta(days=5),
    )
    idea = idea_draft(author=captain, racecourse=racecourse)
    body = assert_error(client_for(captain).post(url("idea-register", idea.pk)), 400)
    assert "Registration is not open" in body["detail"]


def test_only_the_captain_registers(captain, idea):
    member = UserFactory()
    add_member(idea, member)
    assert_error(client_for(member).post(url("idea-register", idea.pk)), 403)


def test_registering_an_invisible_idea_is_404(stranger, idea):
    assert_error(client_for(stranger).post(url("idea-register", idea.pk)), 404)


# --- Withdrawing --------------------------------------------------------------


def test_captain_withdraws_with_a_reason(captain):
    idea = idea_in_stage(Stage.REGISTERED, author=captain)
    response = client_for(captain).post(
        url("idea-withdraw", idea.pk), {"reason": "Found a better idea"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["stage"] == "withdrawn"
    assert body["transitions"][-1]["reason"] == "Found a better idea"


def test_withdraw_refusals(captain, stranger):
    idea = idea_in_stage(Stage.REGISTERED, author=captain)
    member = UserFactory()
    add_member(idea, member)
    assert_error(client_for(member).post(url("idea-withdraw", idea.pk)), 403)
    assert_error(client_for(stranger).post(url("idea-withdraw", idea.pk)), 403)
    too_long = {"reason": "x" * 2001}
    response = client_for(captain).post(url("idea-withdraw", idea.pk), too_long)
    assert "reason" in assert_error(response, 400)["errors"]
    assert_error(client_for(captain).post(url("idea-withdraw", 999999)), 404)


# --- Team ---------------------------------------------------------------------


def test_team_lists_members_captain_first(captain, idea):
    member = UserFactory(display_name="Member Li")
    add_member(idea, member)
    body = client_for(member).get(url("idea-team", idea.pk)).json()
    assert [(m["user"]["display_name"], m["role"]) for m in body] == [
        ("Captain Ma", "captain"),
        ("Member Li", "member"),
    ]
    assert set(body[0]["user"]) == {"id", "display_name", "department"}


def test_team_of_an_anonymous_idea_is_hidden_from_outsiders(captain, stranger):
    idea = idea_in_stage(Stage.REGISTERED, author=captain, anonymous=True)
    assert_error(client_for(stranger).get(url("idea-team", idea.pk)), 403)
    assert client_for(captain).get(url("idea-team", idea.pk)).status_code == 200


def test_team_of_an_invisible_idea_is_404(stranger, idea):
    assert_error(client_for(stranger).get(url("idea-team", idea.pk)), 404)


def test_captain_removes_a_member(captain, idea):
    member = UserFactory()
    add_member(idea, member)
    response = client_for(captain).delete(url("idea-team-member", idea.pk, member.pk))
    assert response.status_code == 204
    assert not idea.memberships.filter(user=member).exists()


def test_a_member_leaves(captain, idea):
    member = UserFactory()
    add_member(idea, member)
    response = client_for(member).delete(url("idea-team-member", idea.pk, member.pk))
    assert response.status_code == 204
    assert list(idea.memberships.values_list("user", flat=True)) == [captain.pk]


def test_team_removal_refusals(captain, idea):
    member, other = UserFactory(), UserFactory()
    add_member(idea, member)
    add_member(idea, other)
    # A member cannot remove someone else.
    assert_error(
        client_for(member).delete(url("idea-team-member", idea.pk, other.pk)), 403
    )
    # The captain cannot leave without handing over.
    assert_error(
        client_for(captain).delete(url("idea-team-member", idea.pk, captain.pk)), 400
    )
    # Someone not on the team, and someone who does not exist.
    outsider = UserFactory()
    assert_error(
        client_for(captain).delete(url("idea-team-member", idea.pk, outsider.pk)), 400
    )
    assert_error(
        client_for(captain).delete(url("idea-team-member", idea.pk, 999999)), 404
    )
    assert_error(
        client_for(captain).delete(url("idea-team-member", 999999, member.pk)), 404
    )


def test_captain_hands_over_captaincy(captain, idea):
    member = UserFactory()
    add_member(idea, member)
    response = client_for(captain).post(
        url("idea-team-transfer", idea.pk), {"user": member.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    assert {m["user"]["id"]: m["role"] for m in response.json()} == {
        member.pk: "captain",
        captain.pk: "member",
    }


def test_transfer_refusals(captain, idea):
    member, outsider = UserFactory(), UserFactory()
    add_member(idea, member)
    api = client_for(captain)
    transfer = url("idea-team-transfer", idea.pk)
    assert (
        "user" in assert_error(api.post(transfer, {"user": outsider.pk}), 400)["errors"]
    )
    assert "user" in assert_error(api.post(transfer, {"user": 999999}), 400)["errors"]
    assert "user" in assert_error(api.post(transfer, {}), 400)["errors"]
    assert_error(client_for(member).post(transfer, {"user": member.pk}), 403)


# --- Invitations --------------------------------------------------------------


def test_captain_invites_by_id_or_email(captain, idea):
    api = client_for(captain)
    by_id, by_email = UserFactory(), UserFactory(email="colleague@example.com")
    response = api.post(
        url("idea-invitations", idea.pk),
        {"invitee": str(by_id.pk), "message": "Join us"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["invitee"]["id"] == by_id.pk
    assert body["invited_by"]["id"] == captain.pk
    assert body["idea"] == {"id": idea.pk, "title": idea.title}
    assert body["status"] == "pending" and body["message"] == "Join us"
    response = api.post(
        url("idea-invitations", idea.pk), {"invitee": "Colleague@Example.com"}
    )
    assert response.status_code == 201
    assert response.json()["invitee"]["id"] == by_email.pk


@pytest.mark.parametrize(
    "invitee", ["nobody@example.com", "999999", str(HUGE), "", "١٢"]
)
def test_invite_rejects_unknown_people(captain, idea, invitee):
    response = client_for(captain).post(
        url("idea-invitations", idea.pk), {"invitee": invitee}, format="json"
    )
    assert "invitee" in assert_error(response, 400)["errors"]


def test_invite_refusals(captain, idea):
    api = client_for(captain)
    colleague = UserFactory()
    invite = url("idea-invitations", idea.pk)
    assert (
        "invitee"
        in assert_error(api.post(invite, {"invitee": captain.pk}), 400)["errors"]
    )
    assert api.post(invite, {"invitee": colleague.pk}).status_code == 201
    assert (
        "invitee"
        in assert_error(api.post(invite, {"invitee": colleague.pk}), 400)["errors"]
    )
    inactive = UserFactory(is_active=False)
    assert_error(api.post(invite, {"invitee": inactive.pk}), 400)
    member = UserFactory()
    add_member(idea, member)
    assert_error(client_for(member).post(invite, {"invitee": UserFactory().pk}), 403)
    assert_error(client_for(UserFactory()).post(invite, {"invitee": colleague.pk}), 404)


def test_invite_refuses_a_full_team(captain):
    idea = idea_draft(author=captain, racecourse=open_racecourse(team_size_limit=1))
    response = client_for(captain).post(
        url("idea-invitations", idea.pk), {"invitee": UserFactory().pk}
    )
    assert assert_error(response, 400)["code"] == "invalid"


def test_invitation_list_shows_each_side_its_own(captain, stranger, idea):
    invitee = UserFactory()
    invitation = team_invite(idea=idea, actor=captain, invitee=invitee)
    assert ids(client_for(invitee).get(url("invitation-list"))) == [invitation.pk]
    assert ids(client_for(captain).get(url("invitation-list"))) == [invitation.pk]
    assert ids(client_for(stranger).get(url("invitation-list"))) == []
    api = client_for(invitee)
    assert ids(api.get(url("invitation-list"), {"received": "true"})) == [invitation.pk]
    assert ids(api.get(url("invitation-list"), {"received": "false"})) == []
    assert ids(api.get(url("invitation-list"), {"status": "accepted"})) == []
    assert ids(api.get(url("invitation-list"), {"idea": idea.pk})) == [invitation.pk]
    assert_error(api.get(url("invitation-list"), {"status": "maybe"}), 400)


def test_invitee_accepts(captain, idea):
    invitee = UserFactory()
    invitation = team_invite(idea=idea, actor=captain, invitee=invitee)
    api = client_for(invitee)
    # A pending invitation lets the invitee read even a draft.
    assert api.get(url("idea-detail", idea.pk)).status_code == 200
    response = api.post(url("invitation-accept", invitation.pk))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"
    assert response.json()["responded_at"]
    assert idea.memberships.get(user=invitee).role == TeamMembership.Role.MEMBER
    body = assert_error(api.post(url("invitation-accept", invitation.pk)), 400)
    assert "already been answered" in body["detail"]


def test_invitation_answer_refusals(captain, stranger, idea):
    invitee = UserFactory()
    invitation = team_invite(idea=idea, actor=captain, invitee=invitee)
    assert_error(client_for(captain).post(url("invitation-accept", invitation.pk)), 403)
    assert_error(
        client_for(captain).post(url("invitation-decline", invitation.pk)), 403
    )
    assert_error(client_for(invitee).post(url("invitation-cancel", invitation.pk)), 403)
    for name in ("invitation-accept", "invitation-decline", "invitation-cancel"):
        assert_error(client_for(stranger).post(url(name, invitation.pk)), 404)
        assert_error(client_for(invitee).post(url(name, 999999)), 404)


def test_invitee_declines_and_captain_cancels(captain, idea):
    first, second = UserFactory(), UserFactory()
    declined = team_invite(idea=idea, actor=captain, invitee=first)
    cancelled = team_invite(idea=idea, actor=captain, invitee=second)
    response = client_for(first).post(url("invitation-decline", declined.pk))
    assert response.status_code == 200 and response.json()["status"] == "declined"
    response = client_for(captain).post(url("invitation-cancel", cancelled.pk))
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert idea.memberships.count() == 1


# --- Join requests ------------------------------------------------------------


@pytest.fixture
def open_idea(captain):
    return idea_in_stage(Stage.REGISTERED, author=captain)


def test_colleague_asks_to_join(captain, stranger, open_idea):
    response = client_for(stranger).post(
        url("idea-join-requests", open_idea.pk), {"message": "I know robots"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["requester"]["id"] == stranger.pk
    assert body["status"] == "pending" and body["decided_by"] is None
    assert body["message"] == "I know robots"


def test_join_request_refusals(captain, stranger, open_idea, idea):
    api = client_for(stranger)
    join = url("idea-join-requests", open_idea.pk)
    assert api.post(join).status_code == 201
    assert_error(api.post(join), 400)  # already asked
    assert_error(client_for(captain).post(join), 403)  # already on the team
    assert_error(api.post(url("idea-join-requests", idea.pk)), 404)  # a draft
    response = api.post(join, {"message": "x" * 1001}, format="json")
    assert "message" in assert_error(response, 400)["errors"]


def test_join_request_list_shows_each_side_its_own(captain, stranger, open_idea):
    join_request = join_request_create(idea=open_idea, actor=stranger)
    assert ids(client_for(stranger).get(url("join-request-list"))) == [join_request.pk]
    assert ids(client_for(captain).get(url("join-request-list"))) == [join_request.pk]
    assert ids(client_for(UserFactory()).get(url("join-request-list"))) == []
    api = client_for(captain)
    assert ids(api.get(url("join-request-list"), {"mine": "false"})) == [
        join_request.pk
    ]
    assert ids(api.get(url("join-request-list"), {"mine": "true"})) == []
    assert ids(api.get(url("join-request-list"), {"status": "pending"})) == [
        join_request.pk
    ]


def test_captain_accepts_a_join_request(captain, stranger, open_idea):
    join_request = join_request_create(idea=open_idea, actor=stranger)
    response = client_for(captain).post(url("join-request-accept", join_request.pk))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"
    assert response.json()["decided_by"]["id"] == captain.pk
    assert open_idea.memberships.filter(user=stranger).exists()


def test_captain_declines_and_requester_withdraws(captain, stranger, open_idea):
    declined = join_request_create(idea=open_idea, actor=stranger)
    response = client_for(captain).post(url("join-request-decline", declined.pk))
    assert response.status_code == 200 and response.json()["status"] == "declined"
    other = UserFactory()
    withdrawn = join_request_create(idea=open_idea, actor=other)
    response = client_for(other).post(url("join-request-withdraw", withdrawn.pk))
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert open_idea.memberships.count() == 1


def test_join_request_answer_refusals(captain, stranger, open_idea):
    join_request = join_request_create(idea=open_idea, actor=stranger)
    requester = client_for(stranger)
    assert_error(requester.post(url("join-request-accept", join_request.pk)), 403)
    assert_error(requester.post(url("join-request-decline", join_request.pk)), 403)
    assert_error(
        client_for(captain).post(url("join-request-withdraw", join_request.pk)), 403
    )
    outsider = client_for(UserFactory())
    for name in (
        "join-request-accept",
        "join-request-decline",
        "join-request-withdraw",
    ):
        assert_error(outsider.post(url(name, join_request.pk)), 404)
        assert_error(requester.post(huge_url(name)), 404)


def test_join_request_to_an_anonymous_idea_keeps_the_captain_hidden(captain, stranger):
    idea = idea_in_stage(Stage.REGISTERED, author=captain, anonymous=True)
    join_request = join_request_create(idea=idea, actor=stranger)
    join_request_decline(join_request=join_request, actor=captain)
    row = client_for(stranger).get(url("join-request-list")).json()["results"][0]
    assert row["status"] == RequestStatus.DECLINED and row["decided_by"] is None


# --- The directory ------------------------------------------------------------


def test_directory_finds_colleagues(stranger):
    wang = UserFactory(display_name="Wang Fang", email="wang.fang@example.com")
    UserFactory(display_name="Wang Gone", is_active=False)
    api = client_for(stranger)
    response = api.get(url("user-list"), {"search": "wang"})
    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "id": wang.pk,
            "display_name": "Wang Fang",
            "email": "wang.fang@example.com",
            "department": None,
            "department_id": None,  # the directory's id, for integrations
        }
    ]
    assert ids(api.get(url("user-list"), {"search": "wang.fang@"})) == [wang.pk]
    assert set(response.json()) == {"count", "next", "previous", "results"}
    assert_error(api.get(url("user-list"), {"department": 999999}), 400)
    assert_error(APIClient().get(url("user-list")), 401)
