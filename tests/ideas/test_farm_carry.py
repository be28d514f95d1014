"""Carry-over from the Innovation Farm into a season, and back to the farm.

``ideas.services.farm``: a farm idea that passed a round (gestation on the
farm) is carried by its captain or HR into a season's racecourse, where it
re-enters as registered and joins the open screening; it keeps its
registration, history and farm ballots. An idea eliminated in a season goes
back to the farm. Both through the services, the buttons and the API.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from contests import tasks
from contests.models import Season
from ideas.models import Stage, StageTransition
from ideas.services.farm import idea_carry, idea_to_farm
from tests.contests.test_closing import end, judge, stage_of
from tests.contests.test_farm_rounds import farm_with_round, plant
from tests.factories import (
    SeasonFactory,
    UserFactory,
    idea_in_stage,
    open_racecourse,
)
from tests.voting.factories import screening_round
from voting.models import Ballot

pytestmark = pytest.mark.django_db


@pytest.fixture
def passed():
    """An idea that passed farm round 1 (two supports), in gestation there."""
    farm, round_1 = farm_with_round()
    idea = plant(farm)
    judge(idea, "++")
    end(round_1)
    tasks.close_due_windows()
    assert stage_of(idea) == Stage.GESTATION
    idea.round_1 = round_1
    return idea


@pytest.fixture
def season_main():
    """The main racecourse of an open season, registration and screening open."""
    return screening_round(racecourse=open_racecourse()).racecourse


def test_carry_keeps_registration_history_and_farm_ballots(passed, season_main):
    registration = passed.registration
    history = list(
        StageTransition.objects.filter(idea=passed).values_list("pk", flat=True)
    )
    idea_carry(idea=passed, racecourse=season_main, actor=passed.author)

    passed.refresh_from_db()
    assert passed.racecourse == season_main
    # Registered there, and straight into its open screening (rolling entry).
    assert passed.stage == Stage.SCREENING
    moves = StageTransition.objects.filter(idea=passed).exclude(pk__in=history)
    assert [(m.from_stage, m.to_stage) for m in moves] == [
        (Stage.GESTATION, Stage.REGISTERED),
        (Stage.REGISTERED, Stage.SCREENING),
    ]
    assert "Carried from" in moves[0].reason and moves[0].actor == passed.author
    assert StageTransition.objects.filter(pk__in=history).count() == len(history)
    assert passed.registration.pk == registration.pk
    assert passed.registration.number == registration.number
    assert passed.registration.fingerprint == registration.fingerprint
    assert Ballot.objects.filter(idea=passed, window=passed.round_1).count() == 2
    assert passed.history.first().racecourse_id == season_main.pk


def test_hr_may_carry_and_a_stranger_may_not(passed, season_main):
    with pytest.raises(PermissionDenied):
        idea_carry(idea=passed, racecourse=season_main, actor=UserFactory())
    assert stage_of(passed) == Stage.GESTATION
    idea_carry(idea=passed, racecourse=season_main, actor=UserFactory(is_hr_admin=True))
    assert stage_of(passed) == Stage.SCREENING


def test_only_an_idea_that_passed_on_the_farm_is_carried(season_main):
    farm, _round = farm_with_round()
    waiting = plant(farm)  # in screening on the farm, not passed
    with pytest.raises(PermissionDenied):
        idea_carry(idea=waiting, racecourse=season_main, actor=waiting.author)
    season_idea = idea_in_stage(Stage.GESTATION)  # gestation, not on the farm
    with pytest.raises(PermissionDenied):
        idea_carry(idea=season_idea, racecourse=season_main, actor=season_idea.author)


def test_carry_refuses_the_farm_a_closed_season_and_a_finished_screening(passed):
    closed = open_racecourse(season=SeasonFactory(status=Season.Status.CLOSED))
    screening_round(racecourse=closed)
    no_screening = open_racecourse()
    for target in (passed.racecourse, closed, no_screening):
        with pytest.raises(ValidationError):
            idea_carry(idea=passed, racecourse=target, actor=passed.author)
    assert stage_of(passed) == Stage.GESTATION


def test_a_carried_idea_waits_when_registration_is_open_and_screening_ahead(passed):
    from contests.models import WindowStage
    from tests.factories import StageWindowFactory

    main = open_racecourse()
    window = StageWindowFactory(racecourse=main, stage=WindowStage.SCREENING)
    StageWindowFactory._meta.model.objects.filter(pk=window.pk).update(
        opens_at=window.closes_at - (window.closes_at - window.opens_at) / 4
    )
    idea_carry(idea=passed, racecourse=main, actor=passed.author)
    assert stage_of(passed) == Stage.REGISTERED


def test_back_to_the_farm(passed):
    eliminated = idea_in_stage(Stage.ELIMINATED)
    farm = passed.racecourse
    idea_to_farm(idea=eliminated, actor=eliminated.author)
    eliminated.refresh_from_db()
    assert eliminated.racecourse == farm
    assert eliminated.stage == Stage.SCREENING  # the farm's round 2 is open
    last = StageTransition.objects.filter(idea=eliminated).order_by("pk")
    assert [(m.from_stage, m.to_stage) for m in last][-2:] == [
        (Stage.ELIMINATED, Stage.REGISTERED),
        (Stage.REGISTERED, Stage.SCREENING),
    ]


def test_back_to_the_farm_refuses_strangers_live_ideas_and_no_farm():
    eliminated = idea_in_stage(Stage.ELIMINATED)
    with pytest.raises(ValidationError):  # there is no farm
        idea_to_farm(idea=eliminated, actor=eliminated.author)
    farm_with_round()
    with pytest.raises(PermissionDenied):
        idea_to_farm(idea=eliminated, actor=UserFactory())
    live = idea_in_stage(Stage.GESTATION)
    with pytest.raises(PermissionDenied):
        idea_to_farm(idea=live, actor=live.author)
    idea_to_farm(idea=eliminated, actor=UserFactory(is_hr_admin=True))
    assert stage_of(eliminated) == Stage.SCREENING


# --- The API and the page ----------------------------------------------------------


def test_api_carry(client, passed, season_main):
    client.force_login(passed.author)
    url = f"/api/v1/ideas/{passed.pk}/carry/"
    response = client.post(url, {"racecourse": season_main.pk})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["stage"] == "screening"
    assert data["screening"]["state"] == "joined"
    assert data["registration"]["number"] == passed.registration.number


@pytest.mark.parametrize(
    "body", [{}, {"racecourse": "x"}, {"racecourse": 0}, {"racecourse": 2**70}]
)
def test_api_carry_bad_input_is_400(client, passed, body):
    client.force_login(passed.author)
    response = client.post(
        f"/api/v1/ideas/{passed.pk}/carry/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert stage_of(passed) == Stage.GESTATION


def test_api_carry_to_an_unknown_or_wrong_racecourse_is_400(client, passed):
    client.force_login(passed.author)
    url = f"/api/v1/ideas/{passed.pk}/carry/"
    assert client.post(url, {"racecourse": 987654}).status_code == 400
    assert client.post(url, {"racecourse": passed.racecourse_id}).status_code == 400


def test_api_carry_by_a_stranger_is_403(client, passed, season_main):
    client.force_login(UserFactory())
    response = client.post(
        f"/api/v1/ideas/{passed.pk}/carry/", {"racecourse": season_main.pk}
    )
    assert response.status_code == 403


def test_api_to_farm(client, passed):
    eliminated = idea_in_stage(Stage.ELIMINATED)
    client.force_login(eliminated.author)
    data = client.get(f"/api/v1/ideas/{eliminated.pk}/").json()
    assert data["permissions"]["to_farm"] is True
    response = client.post(f"/api/v1/ideas/{eliminated.pk}/to-farm/")
    assert response.status_code == 200, response.content
    assert response.json()["racecourse"] == passed.racecourse_id
    assert client.post(f"/api/v1/ideas/{eliminated.pk}/to-farm/").status_code == 403


def test_the_page_offers_carry_and_the_button_works(client, passed, season_main):
    client.force_login(passed.author)
    page = client.get(passed.get_absolute_url()).content.decode()
    assert 'id="farm-actions"' in page and f'value="{season_main.pk}"' in page
    response = client.post(f"/ideas/{passed.pk}/carry/", {"racecourse": season_main.pk})
    assert response.status_code == 302
    assert stage_of(passed) == Stage.SCREENING
    page = client.get(passed.get_absolute_url()).content.decode()
    assert 'id="farm-actions"' not in page


def test_the_page_offers_back_to_the_farm(client, passed):
    eliminated = idea_in_stage(Stage.ELIMINATED)
    client.force_login(eliminated.author)
    page = client.get(eliminated.get_absolute_url()).content.decode()
    assert "Back to the farm" in page
    client.post(f"/ideas/{eliminated.pk}/to-farm/")
    eliminated.refresh_from_db()
    assert eliminated.racecourse_id == passed.racecourse_id
