"""The evaluation API: pool, settings, loads, assignments, conflicts, preferences.

Every refusal is a JSON ``{detail, code, errors}`` with a 4xx.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from ideas.models import Stage, Visibility
from tests.factories import UserFactory, idea_in_stage
from tests.factories_evaluation import (
    assign,
    evaluator,
    idea_in_evaluation,
    pool_of,
    racecourse_with_pool,
    scorecard,
)
from voting.evaluation.conflicts.declared import conflict_declare
from voting.models import Assignment, Conflict, EvaluatorPreference

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
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
def racecourse():
    return racecourse_with_pool(
        3, evaluators_per_project=2, max_projects_per_evaluator=2
    )


@pytest.fixture
def project(racecourse):
    return idea_in_evaluation(racecourse=racecourse)


@pytest.fixture
def hr():
    return UserFactory(is_hr_admin=True)


@pytest.fixture
def admin(racecourse):
    user = UserFactory()
    racecourse.admins.add(user)
    return user


# --- Racecourse endpoints: who may --------------------------------------------


@pytest.mark.parametrize(
    "name,method",
    [
        ("evaluation-pool", "get"),
        ("evaluation-settings", "get"),
        ("evaluation-loads", "get"),
        ("evaluation-assignments", "get"),
        ("evaluation-racecourse-conflicts", "get"),
        ("evaluation-assign-auto", "post"),
    ],
)
def test_racecourse_endpoints_are_for_hr_and_its_admins(
    racecourse, admin, hr, name, method
):
    """HR and the admin: 200; an evaluator of the pool: 403; anonymous: 401;
    an unknown racecourse: 404."""
    for user in (hr, admin):
        response = getattr(client_for(user), method)(url(name, racecourse.pk))
        assert response.status_code == 200, response.content
    assert_error(
        getattr(client_for(pool_of(racecourse)[0]), method)(url(name, racecourse.pk)),
        403,
    )
    assert_error(getattr(client_for(None), method)(url(name, racecourse.pk)), 401)
    assert_error(getattr(client_for(hr), method)(url(name, 999999)), 404)


# --- Pool ------------------------------------------------------------------------


def test_pool_list_add_and_remove(racecourse, admin, project):
    client = client_for(admin)
    judge = pool_of(racecourse)[0]
    assign(project, judge)
    rows = client.get(url("evaluation-pool", racecourse.pk)).json()
    assert {r["id"]: r["load"] for r in rows}[judge.pk] == 1
    newcomer = evaluator()
    response = client.post(url("evaluation-pool", racecourse.pk), {"user": newcomer.pk})
    assert response.status_code == 201
    assert newcomer.pk in [r["id"] for r in response.json()]
    body = assert_error(
        client.post(url("evaluation-pool", racecourse.pk), {"user": newcomer.pk}), 400
    )
    assert "user" in body["errors"]
    body = assert_error(
        client.post(url("evaluation-pool", racecourse.pk), {"user": UserFactory().pk}),
        400,
    )
    assert "user" in body["errors"]
    assert_error(client.post(url("evaluation-pool", racecourse.pk), {"user": 0}), 400)

    member = url("evaluation-pool-member", racecourse.pk, judge.pk)
    assert client.delete(member).status_code == 204
    assert not Assignment.objects.exists()
    assert_error(client.delete(member), 404)


def test_pool_remove_refused_after_scoring(racecourse, hr, project):
    judge = pool_of(racecourse)[0]
    scorecard(assign(project, judge), submitted=True)
    body = assert_error(
        client_for(hr).delete(url("evaluation-pool-member", racecourse.pk, judge.pk)),
        400,
    )
    assert "submitted" in body["detail"]


# --- Settings and loads ------------------------------------------------------------


def test_settings_read_and_patch(racecourse, admin):
    client = client_for(admin)
    assert client.get(url("evaluation-settings", racecourse.pk)).json() == {
        "evaluators_per_project": 2,
        "max_projects_per_evaluator": 2,
        "conflict_same_department": False,
        "conflict_manager_depth": 2,
        "blind_evaluation": False,
    }
    response = client.patch(
        url("evaluation-settings", racecourse.pk),
        {"max_projects_per_evaluator": 5, "blind_evaluation": True},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["max_projects_per_evaluator"] == 5
    assert response.json()["blind_evaluation"] is True
    body = assert_error(
        client.patch(
            url("evaluation-settings", racecourse.pk),
            {"evaluators_per_project": 0},
            format="json",
        ),
        400,
    )
    assert "evaluators_per_project" in body["errors"]


def test_loads(racecourse, hr, project):
    judge = pool_of(racecourse)[0]
    assign(project, judge)
    rows = client_for(hr).get(url("evaluation-loads", racecourse.pk)).json()
    mine = next(r for r in rows if r["evaluator"]["id"] == judge.pk)
    assert mine == {
        "evaluator": {"id": judge.pk, "display_name": judge.display_name},
        "load": 1,
        "limit": 2,
        "submitted": 0,
        "full": False,
    }


# --- Assignments -----------------------------------------------------------------


def test_auto_assign_reports(racecourse, hr):
    for _ in range(2):
        idea_in_evaluation(racecourse=racecourse)
    client = client_for(hr)
    body = client.post(url("evaluation-assign-auto", racecourse.pk)).json()
    assert body["created"] == 4 and body["connected"] and body["short"] == []
    assert len(body["loads"]) == 3
    assert (
        client.post(url("evaluation-assign-auto", racecourse.pk)).json()["created"] == 0
    )


def test_auto_assign_reports_short_projects(hr):
    racecourse = racecourse_with_pool(1, evaluators_per_project=2)
    project = idea_in_evaluation(racecourse=racecourse)
    body = client_for(hr).post(url("evaluation-assign-auto", racecourse.pk)).json()
    assert body["short"] == [
        {
            "idea": project.pk,
            "title": project.title,
            "assigned": 1,
            "needed": 2,
            "reason": "pool",
        }
    ]


def test_assignments_list_add_and_remove(racecourse, admin, project):
    client = client_for(admin)
    judge = pool_of(racecourse)[0]
    response = client.post(
        url("evaluation-assignments", racecourse.pk),
        {"idea": project.pk, "evaluator": judge.pk},
    )
    assert response.status_code == 201
    created = response.json()
    assert created["source"] == "manual" and created["scorecard_status"] is None
    assert created["assigned_by"]["id"] == admin.pk
    listing = client.get(url("evaluation-assignments", racecourse.pk)).json()
    assert [row["id"] for row in listing["results"]] == [created["id"]]

    body = assert_error(
        client.post(
            url("evaluation-assignments", racecourse.pk),
            {"idea": project.pk, "evaluator": judge.pk},
        ),
        400,
    )
    assert "evaluator" in body["errors"]
    other = idea_in_evaluation(racecourse=racecourse_with_pool(0))
    assert_error(
        client.post(
            url("evaluation-assignments", racecourse.pk),
            {"idea": other.pk, "evaluator": judge.pk},
        ),
        404,
    )
    detail = url("evaluation-assignment-detail", created["id"])
    assert_error(client_for(judge).delete(detail), 403)
    assert client.delete(detail).status_code == 204
    assert_error(client.delete(detail), 404)


def test_assignment_add_over_the_limit_needs_the_override(racecourse, hr):
    judge = pool_of(racecourse)[0]
    for _ in range(2):
        assign(idea_in_evaluation(racecourse=racecourse), judge)
    extra = idea_in_evaluation(racecourse=racecourse)
    client = client_for(hr)
    endpoint = url("evaluation-assignments", racecourse.pk)
    data = {"idea": extra.pk, "evaluator": judge.pk}
    assert_error(client.post(endpoint, data), 400)
    assert client.post(endpoint, data | {"override_load": True}).status_code == 201


def test_assignment_add_to_a_project_not_in_evaluation(racecourse, hr):
    idea = idea_in_stage(Stage.GESTATION, racecourse=racecourse)
    body = assert_error(
        client_for(hr).post(
            url("evaluation-assignments", racecourse.pk),
            {"idea": idea.pk, "evaluator": pool_of(racecourse)[0].pk},
        ),
        400,
    )
    assert "evaluation" in body["detail"]


def test_removing_a_scored_assignment_needs_hr_and_force(
    racecourse, admin, hr, project
):
    assignment = assign(project, pool_of(racecourse)[0])
    scorecard(assignment, submitted=True)
    detail = url("evaluation-assignment-detail", assignment.pk)
    assert_error(client_for(admin).delete(detail + "?force=true"), 403)
    assert_error(client_for(hr).delete(detail), 400)
    assert client_for(hr).delete(detail + "?force=true").status_code == 204


def test_my_assignments(racecourse, project):
    judge = pool_of(racecourse)[0]
    assign(project, judge)
    body = client_for(judge).get(url("evaluation-my-assignments")).json()
    (row,) = body["results"]
    assert row["idea"] == project.pk and row["stage"] == "evaluation"
    assert row["team"] == [str(project.author)] and row["scorecard_status"] is None
    assert (
        client_for(evaluator()).get(url("evaluation-my-assignments")).json()["results"]
        == []
    )
    assert_error(client_for(None).get(url("evaluation-my-assignments")), 401)


def test_my_assignments_hide_the_team_when_blind():
    racecourse = racecourse_with_pool(1, blind_evaluation=True)
    judge = pool_of(racecourse)[0]
    assign(idea_in_evaluation(racecourse=racecourse), judge)
    body = client_for(judge).get(url("evaluation-my-assignments")).json()
    assert body["results"][0]["team"] is None


# --- Conflicts -------------------------------------------------------------------


def test_evaluator_declares_lists_and_withdraws(racecourse, project):
    judge = pool_of(racecourse)[0]
    client = client_for(judge)
    response = client.post(
        url("evaluation-conflicts"),
        {"idea": project.pk, "kind": "personal", "note": "neighbour"},
    )
    assert response.status_code == 201
    created = response.json()
    assert created["source"] == "evaluator" and created["evaluator"] == judge.pk
    listed = client.get(url("evaluation-conflicts")).json()
    assert [(c["id"], c["kind"]) for c in listed] == [(created["id"], "personal")]
    assert (
        client.delete(url("evaluation-conflict-detail", created["id"])).status_code
        == 204
    )
    assert not Conflict.objects.exists()


def test_declare_errors(racecourse, project):
    judge = pool_of(racecourse)[0]
    client = client_for(judge)
    body = assert_error(
        client.post(url("evaluation-conflicts"), {"idea": project.pk, "kind": "team"}),
        400,
    )
    assert "kind" in body["errors"]
    assert_error(client.post(url("evaluation-conflicts"), {"kind": "other"}), 400)
    assert_error(
        client.post(url("evaluation-conflicts"), {"idea": 999999, "kind": "other"}), 404
    )
    outsider = client_for(evaluator())
    assert_error(
        outsider.post(
            url("evaluation-conflicts"), {"idea": project.pk, "kind": "other"}
        ),
        403,
    )
    screening = idea_in_stage(Stage.SCREENING, racecourse=racecourse)
    body = assert_error(
        client.post(
            url("evaluation-conflicts"), {"idea": screening.pk, "kind": "other"}
        ),
        400,
    )
    assert "gestation" in body["detail"]


def test_captain_declares_for_the_team_and_the_team_lists_it(racecourse, project):
    judge = pool_of(racecourse)[1]
    captain = client_for(project.author)
    response = captain.post(
        url("evaluation-conflicts"),
        {"idea": project.pk, "evaluator": judge.pk, "kind": "competing"},
    )
    assert response.status_code == 201 and response.json()["source"] == "team"
    # The evaluator's own declaration is not shown to the team.
    own = pool_of(racecourse)[0]
    conflict_declare(actor=own, idea=project, evaluator=own, kind="other")
    rows = captain.get(url("evaluation-idea-conflicts", project.pk)).json()
    assert [r["evaluator"] for r in rows] == [judge.pk]
    assert_error(
        client_for(UserFactory()).get(url("evaluation-idea-conflicts", project.pk)), 403
    )
    # The named evaluator cannot withdraw the team's declaration.
    assert_error(
        client_for(judge).delete(
            url("evaluation-conflict-detail", response.json()["id"])
        ),
        403,
    )


def test_my_conflicts_do_not_show_the_teams_note(racecourse, project):
    judge = pool_of(racecourse)[0]
    conflict_declare(
        actor=project.author, idea=project, evaluator=judge, kind="other", note="feud"
    )
    (row,) = client_for(judge).get(url("evaluation-conflicts")).json()
    assert row["source"] == "team" and row["note"] == ""


def test_conflicts_of_others_are_not_found(racecourse, project):
    """A conflict between strangers is a 404 to an uninvolved user."""
    judge = pool_of(racecourse)[0]
    conflict = conflict_declare(
        actor=judge, idea=project, evaluator=judge, kind="other"
    )
    assert_error(
        client_for(UserFactory()).delete(
            url("evaluation-conflict-detail", conflict.pk)
        ),
        404,
    )


def test_racecourse_conflicts_for_managers(racecourse, hr, project):
    judge = pool_of(racecourse)[0]
    conflict_declare(actor=judge, idea=project, evaluator=judge, kind="financial")
    rows = (
        client_for(hr).get(url("evaluation-racecourse-conflicts", racecourse.pk)).json()
    )
    assert [(r["evaluator"], r["kind"], r["source"]) for r in rows] == [
        (judge.pk, "financial", "evaluator")
    ]


# --- Preferences -----------------------------------------------------------------


def test_preferences_list_and_set(racecourse, project):
    judge = pool_of(racecourse)[0]
    client = client_for(judge)
    assert client.get(url("evaluation-preferences")).json() == [
        {
            "idea": project.pk,
            "title": project.title,
            "racecourse": racecourse.pk,
            "level": 0,
        }
    ]
    response = client.put(
        url("evaluation-preference", project.pk), {"level": 1}, format="json"
    )
    assert response.status_code == 200 and response.json()["level"] == 1
    assert EvaluatorPreference.objects.get().level == 1
    body = assert_error(
        client.put(
            url("evaluation-preference", project.pk), {"level": 5}, format="json"
        ),
        400,
    )
    assert "level" in body["errors"]
    assert_error(
        client_for(evaluator()).put(
            url("evaluation-preference", project.pk), {"level": 1}, format="json"
        ),
        403,
    )


def test_preference_on_a_hidden_idea_is_404(racecourse):
    idea = idea_in_evaluation(racecourse=racecourse, visibility=Visibility.CONFIDENTIAL)
    assert_error(
        client_for(UserFactory()).put(
            url("evaluation-preference", idea.pk), {"level": 1}, format="json"
        ),
        404,
    )


def test_a_pool_evaluator_outside_the_audience_states_preferences_and_conflicts():
    """A department racecourse's evaluator from elsewhere reaches its projects
    over the API as in the browser (they cannot see racecourse-only ideas)."""
    from tests.factories import DepartmentFactory, RacecourseFactory, StageWindowFactory

    department = DepartmentFactory()
    racecourse = RacecourseFactory(kind="department", department=department)
    StageWindowFactory(racecourse=racecourse, stage="registration")
    idea = idea_in_evaluation(
        racecourse=racecourse,
        visibility=Visibility.RACECOURSE,
        author=UserFactory(department=department),
    )
    judge = evaluator(department=DepartmentFactory())
    racecourse.evaluators.add(judge)
    client = client_for(judge)
    response = client.put(
        url("evaluation-preference", idea.pk), {"level": 1}, format="json"
    )
    assert response.status_code == 200, response.content
    response = client.post(
        url("evaluation-conflicts"),
        {"idea": idea.pk, "kind": "personal", "note": "My cousin."},
        format="json",
    )
    assert response.status_code == 201, response.content


# --- OpenAPI ---------------------------------------------------------------------

PATHS = {
    "/api/v1/evaluation/racecourses/{id}/pool/": {"get", "post"},
    "/api/v1/evaluation/racecourses/{id}/pool/{user_id}/": {"delete"},
    "/api/v1/evaluation/racecourses/{id}/settings/": {"get", "patch"},
    "/api/v1/evaluation/racecourses/{id}/loads/": {"get"},
    "/api/v1/evaluation/racecourses/{id}/assign-auto/": {"post"},
    "/api/v1/evaluation/racecourses/{id}/assignments/": {"get", "post"},
    "/api/v1/evaluation/racecourses/{id}/conflicts/": {"get"},
    "/api/v1/evaluation/assignments/mine/": {"get"},
    "/api/v1/evaluation/assignments/{id}/": {"delete"},
    "/api/v1/evaluation/conflicts/": {"get", "post"},
    "/api/v1/evaluation/conflicts/{id}/": {"delete"},
    "/api/v1/evaluation/ideas/{id}/conflicts/": {"get"},
    "/api/v1/evaluation/preferences/": {"get"},
    "/api/v1/evaluation/ideas/{id}/preference/": {"put"},
}


def test_every_operation_is_documented(client):
    """The schema lists each evaluation operation with its error responses."""
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    for path, methods in PATHS.items():
        assert path in schema["paths"], path
        documented = schema["paths"][path]
        assert methods <= set(documented), path
        for method in methods:
            assert "401" in documented[method]["responses"], (path, method)
            assert documented[method]["tags"] == ["evaluation"]
