"""Blind evaluation hides the team from the racecourse's evaluators everywhere."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from horserace.common.permissions import can
from ideas.models import Stage
from tests.factories import UserFactory, idea_in_stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def blind():
    idea = idea_in_stage(Stage.EVALUATION, title="Smart shelves")
    racecourse = idea.racecourse
    racecourse.blind_evaluation = True
    racecourse.save(update_fields=["blind_evaluation"])
    judge = UserFactory(is_evaluator=True)
    racecourse.evaluators.add(judge)
    return idea, judge


def test_pool_evaluators_of_a_blind_racecourse_do_not_see_the_team(blind):
    """The rule, the idea page and the API agree: no names for the pool."""
    idea, judge = blind
    assert not can(judge, "ideas.see_team", idea)
    api = APIClient()
    api.force_authenticate(judge)
    body = api.get(reverse("api:idea-detail", args=[idea.pk])).json()
    assert body["author"] is None
    assert not body["team"]


def test_others_still_see_the_team_of_a_blind_racecourse(blind, client):
    """Blindness is for the panel: colleagues, the team and HR see names."""
    idea, _ = blind
    colleague = UserFactory()
    hr = UserFactory(is_hr_admin=True)
    assert can(colleague, "ideas.see_team", idea)
    assert can(hr, "ideas.see_team", idea)
    assert can(idea.author, "ideas.see_team", idea)
    client.force_login(colleague)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert idea.author.display_name in page


def test_an_evaluator_outside_the_pool_sees_names(blind):
    idea, _ = blind
    assert can(UserFactory(is_evaluator=True), "ideas.see_team", idea)


def test_the_idea_page_hides_names_from_the_pool(blind, client):
    idea, judge = blind
    client.force_login(judge)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert idea.author.display_name not in page
