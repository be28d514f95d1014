"""The screening API: ballots, batches, queues, impressions, leaderboards, tallies.

State is built through the services; requests use ``force_authenticate``.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from ideas.models import Stage, Visibility
from tests.factories import DepartmentFactory, UserFactory, idea_in_stage
from voting.models import Ballot, Choice, Impression
from voting.screening.selectors.queue import judging_queue
from voting.screening.services.ballots import ballot_cast
from voting.screening.services.tallies import tally_round

from .factories import (
    closed_round,
    department_racecourse,
    during,
    screening_idea,
    screening_round,
    voters,
    waiting_idea,
)

pytestmark = pytest.mark.django_db

SUP, OPP = Choice.SUPPORT, Choice.OPPOSE
HUGE = 99999999999999999999


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(name: str, *args) -> str:
    return reverse(f"api:{name}", args=args)


def assert_error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"detail", "code", "errors"}
    assert body["detail"]
    return body


@pytest.fixture
def window():
    return screening_round()


@pytest.fixture
def idea(window):
    return screening_idea(window)


@pytest.fixture
def voter(db):
    return UserFactory()


@pytest.fixture
def api(voter):
    return client_for(voter)


# --- POST /ballots/ ----------------------------------------------------------------------


def test_cast_is_201_then_change_is_200(api, idea, window, voter):
    response = api.post(
        url("ballot-list"), {"idea": idea.pk, "choice": SUP, "reason": "Yes"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["idea"] == {"id": idea.pk, "title": idea.title}
    assert (body["choice"], body["reason"], body["window"]) == (SUP, "Yes", window.pk)
    assert body["racecourse"] == window.racecourse_id

    response = api.post(url("ballot-list"), {"idea": idea.pk, "choice": OPP})
    assert response.status_code == 200
    assert response.json()["id"] == body["id"]
    assert response.json()["reason"] == ""
    assert Ballot.objects.get(voter=voter).choice == OPP


@pytest.mark.parametrize("idea_id", [999_999_999, HUGE, "abc", None])
def test_cast_on_an_unknown_idea(api, idea_id):
    response = api.post(
        url("ballot-list"), {"idea": idea_id, "choice": SUP}, format="json"
    )
    if idea_id == 999_999_999:
        assert_error(response, 404)
    else:
        assert "idea" in assert_error(response, 400)["errors"]


def test_cast_on_an_idea_you_may_not_see_is_404(api, window):
    hidden = screening_idea(window, visibility=Visibility.CONFIDENTIAL)
    assert_error(api.post(url("ballot-list"), {"idea": hidden.pk, "choice": SUP}), 404)


def test_cast_refusals_are_400_or_403_with_a_message(window, idea):
    api = client_for(idea.author)
    body = assert_error(
        api.post(url("ballot-list"), {"idea": idea.pk, "choice": SUP}), 403
    )
    assert "own team" in body["detail"]

    registered = waiting_idea(window)
    other = client_for(UserFactory())
    assert_error(
        other.post(url("ballot-list"), {"idea": registered.pk, "choice": SUP}), 400
    )
    body = assert_error(
        other.post(url("ballot-list"), {"idea": idea.pk, "choice": "maybe"}), 400
    )
    assert "choice" in body["errors"]
    body = assert_error(
        other.post(
            url("ballot-list"), {"idea": idea.pk, "choice": SUP, "reason": "x" * 281}
        ),
        400,
    )
    assert "reason" in body["errors"]
    assert not Ballot.objects.exists()


def test_cast_in_a_closed_round_is_400(voter, api):
    window = closed_round()
    idea = screening_idea(window)
    body = assert_error(
        api.post(url("ballot-list"), {"idea": idea.pk, "choice": SUP}), 400
    )
    assert "closed" in body["detail"]


def test_cast_outside_the_audience_is_403():
    home = DepartmentFactory()
    window = screening_round(racecourse=department_racecourse(department=home))
    idea = screening_idea(window, author=UserFactory(department=home))
    outsider = client_for(UserFactory(department=DepartmentFactory()))
    assert_error(
        outsider.post(url("ballot-list"), {"idea": idea.pk, "choice": SUP}), 403
    )


def test_cast_over_budget_is_400(api, voter):
    window = screening_round(support_budget=1)
    a, b = screening_idea(window), screening_idea(window)
    assert (
        api.post(url("ballot-list"), {"idea": a.pk, "choice": SUP}).status_code == 201
    )
    body = assert_error(
        api.post(url("ballot-list"), {"idea": b.pk, "choice": SUP}), 400
    )
    assert "support" in body["detail"]


def test_ballots_need_a_login(idea):
    assert (
        APIClient()
        .post(url("ballot-list"), {"idea": idea.pk, "choice": SUP})
        .status_code
        == 401
    )
    assert APIClient().get(url("ballot-list")).status_code == 401


# --- GET /ballots/ and /ballots/{idea_id}/ ----------------------------------------------


def test_list_is_mine_only_and_filters_by_window_and_idea(api, voter, window, idea):
    second = screening_idea(window)
    other_round = screening_round()
    elsewhere = screening_idea(other_round)
    for target in (idea, second, elsewhere):
        ballot_cast(voter=voter, idea=target, choice=SUP)
    ballot_cast(voter=UserFactory(), idea=idea, choice=OPP)

    def ideas(**params):
        response = api.get(url("ballot-list"), params)
        assert response.status_code == 200, response.content
        return {row["idea"]["id"] for row in response.json()["results"]}

    assert ideas() == {idea.pk, second.pk, elsewhere.pk}
    assert ideas(window=window.pk) == {idea.pk, second.pk}
    assert ideas(idea=elsewhere.pk) == {elsewhere.pk}
    assert ideas(choice=OPP) == set()
    assert ideas(window=999_999) == set()


def test_list_reads_in_a_fixed_number_of_queries(
    api, voter, window, django_assert_max_num_queries
):
    for _ in range(6):
        ballot_cast(voter=voter, idea=screening_idea(window), choice=SUP)
    with django_assert_max_num_queries(4):
        assert len(api.get(url("ballot-list")).json()["results"]) == 6


def test_read_my_ballot_on_an_idea(api, voter, idea):
    assert_error(api.get(url("ballot-detail", idea.pk)), 404)
    ballot_cast(voter=voter, idea=idea, choice=OPP, reason="no")
    body = api.get(url("ballot-detail", idea.pk)).json()
    assert (body["choice"], body["reason"]) == (OPP, "no")
    assert_error(api.get(url("ballot-detail", 999_999_999)), 404)


def test_withdraw_is_204_then_404(api, voter, idea):
    ballot_cast(voter=voter, idea=idea, choice=SUP)
    assert api.delete(url("ballot-detail", idea.pk)).status_code == 204
    assert not Ballot.objects.exists()
    body = assert_error(api.delete(url("ballot-detail", idea.pk)), 404)
    assert "no ballot" in body["detail"]
    assert_error(api.delete(url("ballot-detail", 999_999_999)), 404)


def test_withdraw_after_the_close_is_400(voter, api):
    window = closed_round()
    idea = screening_idea(window)
    ballot_cast(voter=voter, idea=idea, choice=SUP, when=during(window))
    assert_error(api.delete(url("ballot-detail", idea.pk)), 400)
    assert Ballot.objects.count() == 1


# --- POST /ballots/batch/ ---------------------------------------------------------------


def test_batch_returns_a_result_per_item(api, voter, window, idea):
    own = screening_idea(window, author=voter)
    response = api.post(
        url("ballot-batch"),
        {
            "judgments": [
                {"idea": idea.pk, "choice": SUP, "reason": "yes"},
                {"idea": own.pk, "choice": SUP},
                {"idea": 999_999_999, "choice": SUP},
                {"idea": idea.pk, "choice": "nah"},
                {"idea": idea.pk, "choice": OPP},
            ]
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [r["status"] for r in results] == [201, 403, 404, 400, 200]
    assert [r["ok"] for r in results] == [True, False, False, False, True]
    assert results[3]["choice"] == SUP  # still what the first item cast
    assert Ballot.objects.get(voter=voter).choice == OPP


def test_batch_rejects_more_than_100_or_a_non_list(api, idea):
    too_many = [{"idea": idea.pk, "choice": SUP}] * 101
    body = assert_error(
        api.post(url("ballot-batch"), {"judgments": too_many}, format="json"), 400
    )
    assert "100" in body["detail"]
    assert_error(
        api.post(url("ballot-batch"), {"judgments": {"idea": 1}}, format="json"), 400
    )
    assert_error(api.post(url("ballot-batch"), {}, format="json"), 400)
    assert not Ballot.objects.exists()


# --- GET /racecourses/{id}/queue/ and POST …/impressions/ ---------------------------------


def test_queue_lists_what_is_left_to_judge_with_progress(api, voter, window):
    ideas = [screening_idea(window) for _ in range(5)]
    anonymous = screening_idea(window, anonymous=True)
    screening_idea(window, author=voter)
    ballot_cast(voter=voter, idea=ideas[0], choice=SUP)

    response = api.get(url("racecourse-queue", window.racecourse_id))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["progress"] == {"judged": 1, "total": 6}
    assert body["window"]["id"] == window.pk and body["window"]["is_open"]
    assert body["supports_used"] == 1
    ids = [card["id"] for card in body["results"]]
    assert sorted(ids) == sorted([i.pk for i in ideas[1:]] + [anonymous.pk])
    assert ids == [
        i.pk for i in judging_queue(user=voter, window=window) if i.my_choice is None
    ]
    cards = {card["id"]: card for card in body["results"]}
    assert cards[anonymous.pk]["team"] is None
    assert cards[ideas[1].pk]["team"] == [
        {"id": ideas[1].author_id, "display_name": ideas[1].author.display_name}
    ]
    assert cards[ideas[1].pk]["pitch"] == ideas[1].pitch
    assert cards[ideas[1].pk]["choice"] is None

    again = api.get(url("racecourse-queue", window.racecourse_id)).json()
    assert [c["id"] for c in again["results"]] == ids

    everything = api.get(
        url("racecourse-queue", window.racecourse_id),
        {"include_judged": "true", "limit": 2},
    ).json()
    assert len(everything["results"]) == 2


def test_queue_is_empty_after_the_close(api, voter):
    window = closed_round()
    screening_idea(window)
    body = api.get(url("racecourse-queue", window.racecourse_id)).json()
    assert body["results"] == [] and not body["window"]["is_open"]
    assert body["progress"] == {"judged": 0, "total": 1}


def test_queue_errors(api, voter):
    assert_error(api.get(url("racecourse-queue", 999_999)), 404)
    no_round = idea_in_stage(Stage.SCREENING).racecourse
    body = assert_error(api.get(url("racecourse-queue", no_round.pk)), 404)
    assert "screening" in body["detail"]
    home = DepartmentFactory()
    window = screening_round(racecourse=department_racecourse(department=home))
    outsider = client_for(UserFactory(department=DepartmentFactory()))
    assert_error(outsider.get(url("racecourse-queue", window.racecourse_id)), 403)
    assert_error(
        api.get(url("racecourse-queue", window.racecourse_id), {"limit": 0}), 400
    )


def test_queue_query_count_does_not_grow_with_ideas(
    api, window, django_assert_max_num_queries
):
    for _ in range(8):
        screening_idea(window)
    with django_assert_max_num_queries(8):
        assert (
            len(
                api.get(url("racecourse-queue", window.racecourse_id)).json()["results"]
            )
            == 8
        )


def test_impressions_are_recorded_once(api, voter, window, idea):
    path = url("racecourse-impressions", window.racecourse_id)
    for _ in range(2):
        assert api.post(path, {"idea": idea.pk}).status_code == 204
    assert Impression.objects.filter(voter=voter, idea=idea).count() == 1
    assert_error(api.post(path, {"idea": 999_999_999}), 404)
    assert_error(api.post(path, {}), 400)
    elsewhere = screening_idea(screening_round())
    assert_error(api.post(path, {"idea": elsewhere.pk}), 400)
    assert_error(client_for(idea.author).post(path, {"idea": idea.pk}), 403)


# --- Leaderboard and tallies ---------------------------------------------------------------


@pytest.fixture
def tallied(window):
    """Three ideas with 3, 2 and 1 supports, tallied."""
    ideas = [screening_idea(window) for _ in range(3)]
    people = voters(3)
    for n, idea in enumerate(ideas):
        for person in people[: 3 - n]:
            ballot_cast(voter=person, idea=idea, choice=SUP)
    tally_round(window=window)
    return ideas


def test_leaderboard_is_hidden_from_voters_while_open(voter, window, tallied):
    body = assert_error(
        client_for(voter).get(url("racecourse-leaderboard", window.racecourse_id)),
        403,
    )
    assert "hidden" in body["detail"]
    assert_error(client_for(voter).get(url("tally-list"), {"window": window.pk}), 403)


@pytest.mark.parametrize("who", ["hr", "admin"])
def test_hr_and_racecourse_admins_see_live_results(who, window, tallied):
    person = UserFactory(is_hr_admin=who == "hr")
    if who == "admin":
        window.racecourse.admins.add(person)
    response = client_for(person).get(
        url("racecourse-leaderboard", window.racecourse_id)
    )
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert [r["idea"]["id"] for r in rows] == [i.pk for i in tallied]
    assert [r["rank"] for r in rows] == [1, 2, 3]
    assert [r["supports"] for r in rows] == [3, 2, 1]
    assert rows[0]["wilson_lower"] == pytest.approx(0.4385, abs=1e-4)


def test_results_are_open_to_everyone_when_counts_are_not_hidden(voter):
    window = screening_round(hide_counts=False)
    idea = screening_idea(window)
    hidden = screening_idea(window, visibility=Visibility.CONFIDENTIAL)
    tally_round(window=window)
    rows = (
        client_for(voter)
        .get(url("racecourse-leaderboard", window.racecourse_id))
        .json()["results"]
    )
    by_id = {r["idea_id"]: r for r in rows}
    assert by_id[idea.pk]["idea"]["title"] == idea.title
    assert by_id[hidden.pk]["idea"] is None  # ranked, but not named to you


def test_results_are_open_after_the_close(voter):
    window = closed_round()
    idea = screening_idea(window)
    ballot_cast(voter=UserFactory(), idea=idea, choice=OPP, when=during(window))
    tally_round(window=window)
    api = client_for(voter)
    rows = api.get(url("racecourse-leaderboard", window.racecourse_id)).json()[
        "results"
    ]
    assert [(r["idea_id"], r["opposes"]) for r in rows] == [(idea.pk, 1)]
    rows = api.get(url("tally-list"), {"window": window.pk, "idea": idea.pk}).json()[
        "results"
    ]
    assert [r["idea_id"] for r in rows] == [idea.pk]


def test_tallies_need_a_screening_window(voter, idea):
    api = client_for(UserFactory(is_hr_admin=True))
    assert "window" in assert_error(api.get(url("tally-list")), 400)["errors"]
    assert_error(api.get(url("tally-list"), {"window": 999_999}), 404)
    registration = idea.racecourse.windows.get(stage="registration")
    assert_error(api.get(url("tally-list"), {"window": registration.pk}), 404)
    assert_error(api.get(url("racecourse-leaderboard", 999_999)), 404)


def test_leaderboard_query_count_does_not_grow_with_ideas(
    window, tallied, django_assert_max_num_queries
):
    for _ in range(5):
        screening_idea(window)
    tally_round(window=window)
    api = client_for(UserFactory(is_hr_admin=True))
    with django_assert_max_num_queries(6):
        rows = api.get(url("racecourse-leaderboard", window.racecourse_id)).json()
    assert rows["count"] == 8


@pytest.mark.parametrize(
    "query", ["window=99999999999999999999", "idea=1e40", "idea=2.5"]
)
def test_malformed_ballot_filters_are_a_400(query):
    """Ids out of range or not whole are bad input, not a server error."""
    from rest_framework.test import APIClient

    from tests.factories import UserFactory

    client = APIClient()
    client.force_authenticate(UserFactory())
    response = client.get(f"/api/v1/ballots/?{query}")
    assert response.status_code == 400
    assert "errors" in response.json()


# --- One ballot path: the single and the batch cast agree ------------------------------


def _judgment_for(case: str, voter, window) -> dict:
    """A judgment by ``voter`` that ``case`` makes fail (or pass: ``ok``)."""
    judgment = {"idea": screening_idea(window).pk, "choice": SUP}
    if case == "own_team":
        judgment["idea"] = screening_idea(window, author=voter).pk
    elif case == "not_screening":
        registered = waiting_idea(window)
        judgment["idea"] = registered.pk
    elif case == "hidden":
        hidden = screening_idea(window, visibility=Visibility.CONFIDENTIAL)
        judgment["idea"] = hidden.pk
    elif case == "own_confidential":  # readable through the rules, not the row
        own = screening_idea(window, author=voter, visibility=Visibility.CONFIDENTIAL)
        judgment["idea"] = own.pk
    elif case == "racecourse_level":
        idea = screening_idea(window, visibility=Visibility.RACECOURSE)
        judgment["idea"] = idea.pk
    elif case == "unknown":
        judgment["idea"] = 999_999_999
    elif case == "closed":
        judgment["idea"] = screening_idea(closed_round()).pk
    elif case == "audience":
        home = DepartmentFactory()
        elsewhere = screening_round(racecourse=department_racecourse(department=home))
        idea = screening_idea(elsewhere, author=UserFactory(department=home))
        judgment["idea"] = idea.pk
    elif case == "over_budget":
        ballot_cast(voter=voter, idea=screening_idea(window), choice=SUP)
    elif case == "long_reason":
        judgment["reason"] = "x" * 281
    return judgment


@pytest.mark.parametrize(
    "case",
    [
        "ok",
        "own_team",
        "not_screening",
        "hidden",
        "own_confidential",
        "racecourse_level",
        "unknown",
        "closed",
        "audience",
        "over_budget",
        "long_reason",
    ],
)
def test_single_and_batch_cast_refuse_alike(case):
    """The same judgment gets the same status (and refusal) either way."""
    window = screening_round(support_budget=1)
    voter = UserFactory(department=DepartmentFactory())
    judgment = _judgment_for(case, voter, window)
    # The batch first and rolled back by a second voter would differ in state:
    # cast it singly, undo any ballot, then in a batch of one.
    single = client_for(voter).post(url("ballot-list"), judgment, format="json")
    Ballot.objects.filter(voter=voter, idea_id=judgment["idea"]).delete()
    batch = client_for(voter).post(
        url("ballot-batch"), {"judgments": [judgment]}, format="json"
    )
    [result] = batch.json()["results"]
    assert single.status_code == result["status"], (single.json(), result)
    passes = case in ("ok", "racecourse_level")
    assert result["ok"] == passes
    if not passes and case != "long_reason":  # the serializer words that one itself
        assert single.json()["detail"] == result["error"]


def test_one_ballot_cast_runs_a_fixed_number_of_queries(
    idea, window, voter, django_assert_num_queries
):
    """The token with the idea (its round, visibility and team role), then
    the upsert: on PostgreSQL the token's query reads the idea ahead
    (``voting.screening.apis.auth``); elsewhere they are two queries."""
    from django.db import connection
    from knox.models import AuthToken

    _token, key = AuthToken.objects.create(user=voter)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    # The upsert writes the impression in the same statement on PostgreSQL.
    queries = 2 if connection.vendor == "postgresql" else 4
    # The first ballot on a connection prepares its statements (PostgreSQL).
    warm = screening_idea(window)
    client.post(url("ballot-list"), {"idea": warm.pk, "choice": SUP}, format="json")
    for choice, status in ((SUP, 201), (OPP, 200)):
        with django_assert_num_queries(queries):
            response = client.post(
                url("ballot-list"), {"idea": idea.pk, "choice": choice}, format="json"
            )
        assert response.status_code == status, response.content


def test_ballot_response_is_the_output_serializers(api, idea):
    """The hot path writes the response out; it is the serializer's, exactly."""
    from voting.screening.apis.serializers import BallotOutputSerializer

    response = api.post(
        url("ballot-list"), {"idea": idea.pk, "choice": SUP, "reason": "Yes"}
    )
    ballot = Ballot.objects.select_related("idea", "window").get()
    assert response.json() == BallotOutputSerializer(ballot).data
    assert list(response.json()) == list(BallotOutputSerializer(ballot).data)
