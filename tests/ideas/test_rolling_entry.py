"""Rolling entry: an idea registered while screening is open joins it at once.

And the idea's page and API payload say where it stands: joined (which
round, since when) or waiting (for which screening, until when).
"""

import datetime as dt

import pytest
from django.utils import timezone

from contests.models import StageWindow, WindowStage
from ideas.models import Stage, StageTransition
from ideas.screening_entry import idea_screening_entry
from ideas.services.registration import idea_register
from tests.factories import (
    RacecourseFactory,
    StageWindowFactory,
    UserFactory,
    idea_draft,
    open_racecourse,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now


def _screening(racecourse, *, opens, closes, **fields):
    return StageWindowFactory(
        racecourse=racecourse,
        stage=WindowStage.SCREENING,
        opens_at=NOW() + dt.timedelta(days=opens),
        closes_at=NOW() + dt.timedelta(days=closes),
        **fields,
    )


def _register(racecourse):
    idea = idea_draft(racecourse=racecourse)
    idea_register(idea=idea, actor=idea.author)
    return idea


def test_registered_while_screening_is_open_joins_it_at_once():
    racecourse = open_racecourse()
    window = _screening(racecourse, opens=-1, closes=5)
    idea = _register(racecourse)
    assert idea.stage == Stage.SCREENING
    move = StageTransition.objects.get(idea=idea, to_stage=Stage.SCREENING)
    assert move.from_stage == Stage.REGISTERED and move.actor == idea.author
    entry = idea_screening_entry(idea=idea)
    assert entry.state == "joined" and entry.window == window.pk
    assert entry.joined_at == move.created_at
    assert entry.closes_at == window.closes_at


def test_registered_before_screening_opens_waits_for_the_registration_close():
    racecourse = open_racecourse()  # registration closes in a week
    window = _screening(racecourse, opens=8, closes=20)
    idea = _register(racecourse)
    assert idea.stage == Stage.REGISTERED
    entry = idea_screening_entry(idea=idea)
    registration = StageWindow.objects.get(
        racecourse=racecourse, stage=WindowStage.REGISTRATION
    )
    assert entry.state == "waiting"
    assert entry.window == window.pk and entry.opens_at == window.opens_at
    assert entry.waits_until == registration.closes_at


def test_a_closed_screening_takes_no_one():
    racecourse = open_racecourse()
    _screening(racecourse, opens=-5, closes=-1)
    idea = _register(racecourse)
    assert idea.stage == Stage.REGISTERED
    assert idea_screening_entry(idea=idea).window is None


def test_no_screening_on_the_racecourse_leaves_the_idea_registered():
    idea = _register(open_racecourse())
    assert idea.stage == Stage.REGISTERED
    entry = idea_screening_entry(idea=idea)
    assert entry.state == "waiting" and entry.opens_at is None


def test_a_refused_registration_joins_nothing():
    racecourse = open_racecourse()
    _screening(racecourse, opens=-1, closes=5)
    idea = idea_draft(racecourse=racecourse)
    with pytest.raises(Exception):  # noqa: B017 (not the captain)
        idea_register(idea=idea, actor=UserFactory())
    idea.refresh_from_db()
    assert idea.stage == Stage.DRAFT
    assert not StageTransition.objects.filter(idea=idea).exists()


def test_the_idea_page_says_it_joined(client):
    racecourse = open_racecourse()
    _screening(racecourse, opens=-1, closes=5)
    idea = _register(racecourse)
    client.force_login(idea.author)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert 'id="screening-entry"' in page
    assert "In online screening until" in page


def test_the_idea_page_says_what_it_waits_for(client):
    racecourse = open_racecourse()
    _screening(racecourse, opens=8, closes=20)
    idea = _register(racecourse)
    client.force_login(idea.author)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Waits for the online screening that opens on" in page


def test_the_api_payload_carries_the_screening_object(client):
    racecourse = open_racecourse()
    window = _screening(racecourse, opens=-1, closes=5)
    idea = _register(racecourse)
    client.force_login(idea.author)
    data = client.get(f"/api/v1/ideas/{idea.pk}/").json()
    assert data["screening"]["state"] == "joined"
    assert data["screening"]["window"] == window.pk
    assert data["screening"]["joined_at"] is not None
    draft = idea_draft(racecourse=racecourse, author=idea.author)
    assert client.get(f"/api/v1/ideas/{draft.pk}/").json()["screening"] is None


def test_the_api_says_a_waiting_idea_waits(client):
    racecourse = open_racecourse()
    window = _screening(racecourse, opens=8, closes=20)
    idea = _register(racecourse)
    client.force_login(idea.author)
    data = client.get(f"/api/v1/ideas/{idea.pk}/").json()["screening"]
    assert data["state"] == "waiting" and data["window"] == window.pk
    assert data["joined_at"] is None and data["waits_until"] is not None


def test_a_department_racecourse_joins_its_own_open_screening():
    racecourse = RacecourseFactory()
    StageWindowFactory(racecourse=racecourse, stage=WindowStage.REGISTRATION)
    window = _screening(racecourse, opens=-1, closes=5)
    idea = _register(racecourse)
    assert idea.stage == Stage.SCREENING
    assert idea_screening_entry(idea=idea).window == window.pk
