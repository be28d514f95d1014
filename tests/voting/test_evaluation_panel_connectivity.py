"""The panel reports whether calibrated scores compare across the whole panel.

Calibration (``voting.evaluation.aggregation``) only determines differences
inside one connected part of the evaluator–project graph. The panel page and
the panel API say how many parts there are, what that means, and which part
each project is in.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import UserFactory
from tests.factories_evaluation import evaluator, racecourse_with_pool
from tests.factories_scoring import project, rubric_for, scored
from voting.evaluation.aggregation import calibrate
from voting.evaluation.panel.board import panel_board

pytestmark = pytest.mark.django_db


@pytest.fixture
def racecourse():
    racecourse = racecourse_with_pool(0)
    rubric_for(racecourse)
    return racecourse


@pytest.fixture
def chair(racecourse):
    user = UserFactory()
    racecourse.admins.add(user)
    return user


def _two_groups(racecourse):
    """P1 and P2 share evaluator A; P3 is judged by B alone: two groups."""
    a, b = evaluator(), evaluator()
    p1, p2, p3 = (project(racecourse, title=f"P{i}") for i in (1, 2, 3))
    scored(p1, a, (3, 3, 5))
    scored(p2, a, (5, 5, 10))
    scored(p3, b, (2, 2, 2))
    return p1, p2, p3


def test_calibration_numbers_the_groups():
    """Groups are numbered from 1 in the order of their first project."""
    result = calibrate([("a", 1, 50), ("a", 3, 60), ("b", 2, 40), ("c", 4, 30)])
    assert result.components == 3 and not result.connected
    assert result.groups == {1: 1, 3: 1, 2: 2, 4: 3}
    assert calibrate([("a", 1, 50), ("b", 1, 60)]).connected


def test_board_reports_two_groups_and_each_projects_group(racecourse, chair):
    p1, p2, p3 = _two_groups(racecourse)
    board = panel_board(racecourse=racecourse, user=chair)
    assert board.components == 2 and not board.connected
    groups = {row.idea.pk: row.group for row in board.rows}
    assert groups[p1.pk] == groups[p2.pk] != groups[p3.pk]
    assert board.connectivity == (
        "The panel's evaluators and projects form 2 separate groups: calibrated "
        "scores are comparable only within a group. Assign evaluators across "
        "groups to connect them."
    )


def test_board_reports_a_connected_panel(racecourse, chair):
    a, b = evaluator(), evaluator()
    p1, p2 = project(racecourse), project(racecourse)
    scored(p1, a)
    scored(p2, a)
    scored(p2, b)
    board = panel_board(racecourse=racecourse, user=chair)
    assert board.connected and board.components == 1
    assert "one connected group" in board.connectivity
    assert {row.group for row in board.rows} == {1}


def test_panel_page_shows_the_groups(client, racecourse, chair):
    _two_groups(racecourse)
    client.force_login(chair)
    html = client.get(reverse("evaluation:panel", args=[racecourse.pk])).content
    html = html.decode().replace("&#x27;", "'")
    assert "form 2 separate groups: calibrated scores are comparable only" in html
    assert "group 1" in html and "group 2" in html


def test_panel_api_reports_connectivity_and_groups(racecourse, chair):
    p1, p2, p3 = _two_groups(racecourse)
    client = APIClient()
    client.force_authenticate(chair)
    body = client.get(f"/api/v1/racecourses/{racecourse.pk}/panel/").json()
    assert body["components"] == 2 and body["connected"] is False
    assert "2 separate groups" in body["connectivity"]
    groups = {row["idea"]["id"]: row["group"] for row in body["rows"]}
    assert groups[p1.pk] == groups[p2.pk] != groups[p3.pk]
