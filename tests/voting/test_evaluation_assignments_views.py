"""The evaluation pages: the evaluator's, the captain's and the assignment page."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from ideas.models import Stage, Visibility
from ideas.services.teams import invitation_accept, team_invite
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


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def racecourse():
    return racecourse_with_pool(
        3, evaluators_per_project=2, max_projects_per_evaluator=2
    )


@pytest.fixture
def project(racecourse):
    return idea_in_evaluation(racecourse=racecourse, title="Smart shelves")


@pytest.fixture
def hr():
    return UserFactory(is_hr_admin=True)


# --- /evaluation/ ------------------------------------------------------------------


def test_mine_needs_login(client):
    response = client.get(reverse("evaluation:mine"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_mine_empty_state_for_someone_on_no_panel(client):
    client.force_login(UserFactory())
    response = client.get(reverse("evaluation:mine"))
    assert response.status_code == 200
    assert "You are not on any evaluation panel" in response.content.decode()


def test_mine_shows_assignments_load_preferences_and_conflicts(
    client, racecourse, project
):
    judge = pool_of(racecourse)[0]
    assign(project, judge)
    other = idea_in_evaluation(racecourse=racecourse, title="Quiet meeting rooms")
    conflicted = idea_in_evaluation(racecourse=racecourse, title="Desk sharing")
    conflict_declare(actor=judge, idea=conflicted, evaluator=judge, kind="personal")
    client.force_login(judge)
    response = client.get(reverse("evaluation:mine"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Smart shelves" in html and "1 of 2 projects" in html
    assert str(project.author) in html  # not blind: the team is shown
    assert f'data-idea="{other.pk}"' in html  # a preference row
    assert "Desk sharing" in html and "Withdraw" in html
    assert "Declare conflict" in html


def test_mine_hides_the_team_in_blind_evaluation(client):
    racecourse = racecourse_with_pool(1, blind_evaluation=True)
    judge = pool_of(racecourse)[0]
    author = UserFactory(display_name="Zed Secret")
    project = idea_in_evaluation(racecourse=racecourse, author=author)
    assign(project, judge)
    client.force_login(judge)
    html = client.get(reverse("evaluation:mine")).content.decode()
    assert "Zed Secret" not in html and "Hidden" in html


def test_mine_in_constant_queries(client, django_assert_max_num_queries):
    """The evaluator's page costs the same for 2 projects as for 12."""
    racecourse = racecourse_with_pool(1)
    judge = pool_of(racecourse)[0]
    client.force_login(judge)

    def count_queries(n):
        for _ in range(n):
            assign(idea_in_evaluation(racecourse=racecourse), judge)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("evaluation:mine")).status_code == 200
        return len(ctx.captured_queries)

    few = count_queries(2)
    many = count_queries(10)
    assert many == few
    with django_assert_max_num_queries(few):
        client.get(reverse("evaluation:mine"))


def test_declare_own_conflict(client, racecourse, project):
    judge = pool_of(racecourse)[0]
    client.force_login(judge)
    response = client.post(
        reverse("evaluation:conflict_declare"),
        {"idea": project.pk, "kind": "personal", "note": "My cousin"},
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "evaluation:mine"
    )
    assert Conflict.objects.get().source == Conflict.Source.EVALUATOR


def test_declare_own_conflict_errors_stay_on_the_form(client, racecourse, project):
    """A missing kind, or a project outside my pools, is an error on the form."""
    judge = pool_of(racecourse)[0]
    client.force_login(judge)
    response = client.post(
        reverse("evaluation:conflict_declare"), {"idea": project.pk, "kind": ""}
    )
    assert response.status_code == 200
    assert response.context["declare_form"].errors["kind"]
    stranger = idea_in_evaluation(racecourse=racecourse_with_pool(0))
    response = client.post(
        reverse("evaluation:conflict_declare"), {"idea": stranger.pk, "kind": "other"}
    )
    assert response.status_code == 200
    assert response.context["declare_form"].errors["idea"]
    assert not Conflict.objects.exists()


def test_withdraw_conflict(client, racecourse, project):
    judge = pool_of(racecourse)[0]
    conflict = conflict_declare(
        actor=judge, idea=project, evaluator=judge, kind="other"
    )
    client.force_login(pool_of(racecourse)[1])
    url = reverse("evaluation:conflict_withdraw", args=[conflict.pk])
    assert client.post(url).status_code == 403
    client.force_login(judge)
    response = client.post(url, {"next": "//evil.example"})
    assert response.status_code == 302 and response["Location"] == reverse(
        "evaluation:mine"
    )
    assert not Conflict.objects.exists()
    assert client.post(url).status_code == 404
    assert client.get(url).status_code == 405


def test_preference_buttons(client, racecourse, project):
    judge = pool_of(racecourse)[0]
    client.force_login(judge)
    url = reverse("evaluation:preference_set", args=[project.pk])
    assert client.post(url, {"level": "1"}).status_code == 302
    assert EvaluatorPreference.objects.get().level == 1
    response = client.post(url, {"level": "7"})
    assert response.status_code == 302 and _messages(response)
    client.force_login(evaluator())
    assert client.post(url, {"level": "1"}).status_code == 403


def test_preference_on_a_conflicted_project_is_a_message(client, racecourse, project):
    judge = pool_of(racecourse)[0]
    conflict_declare(actor=judge, idea=project, evaluator=judge, kind="other")
    client.force_login(judge)
    response = client.post(
        reverse("evaluation:preference_set", args=[project.pk]), {"level": "1"}
    )
    assert response.status_code == 302
    assert any("conflict" in m for m in _messages(response))
    assert not EvaluatorPreference.objects.exists()


# --- /evaluation/ideas/<pk>/conflicts/ -------------------------------------------


def test_captain_declares_from_the_team_page(client, racecourse, project):
    judge = pool_of(racecourse)[1]
    url = reverse("evaluation:idea_conflicts", args=[project.pk])
    client.force_login(project.author)
    response = client.get(url)
    assert (
        response.status_code == 200 and "Declare conflict" in response.content.decode()
    )
    response = client.post(url, {"evaluator": judge.pk, "kind": "competing"})
    assert response.status_code == 302
    assert Conflict.objects.get().source == Conflict.Source.TEAM
    html = client.get(url).content.decode()
    assert str(judge) in html and "Withdraw" in html


def test_team_page_errors_and_refusals(client, racecourse, project):
    url = reverse("evaluation:idea_conflicts", args=[project.pk])
    client.force_login(project.author)
    response = client.post(url, {"evaluator": pool_of(racecourse)[0].pk, "kind": ""})
    assert response.status_code == 200 and response.context["form"].errors["kind"]
    response = client.post(url, {"evaluator": evaluator().pk, "kind": "other"})
    assert response.status_code == 200 and response.context["form"].errors["evaluator"]

    member = UserFactory()
    invitation_accept(
        invitation=team_invite(idea=project, actor=project.author, invitee=member),
        actor=member,
    )
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200
    assert "Only the team's captain" in response.content.decode()
    response = client.post(
        url, {"evaluator": pool_of(racecourse)[0].pk, "kind": "other"}
    )
    assert response.status_code == 403

    client.force_login(UserFactory())
    assert client.get(url).status_code == 403


def test_team_page_of_an_invisible_idea_is_404(client, racecourse):
    idea = idea_in_evaluation(racecourse=racecourse, visibility=Visibility.CONFIDENTIAL)
    client.force_login(UserFactory())
    url = reverse("evaluation:idea_conflicts", args=[idea.pk])
    assert client.get(url).status_code == 404


def test_team_sees_only_its_own_declarations(client, racecourse, project):
    """The evaluator's own declaration is for the panel, not for the team."""
    judge = pool_of(racecourse)[0]
    conflict_declare(
        actor=judge, idea=project, evaluator=judge, kind="personal", note="secret"
    )
    client.force_login(project.author)
    html = client.get(
        reverse("evaluation:idea_conflicts", args=[project.pk])
    ).content.decode()
    assert "secret" not in html and "The team has declared no conflicts" in html


# --- /evaluation/racecourses/<id>/assignments/ -----------------------------------


def _page(racecourse):
    return reverse("evaluation:assignments", args=[racecourse.pk])


def test_assignment_page_access(client, racecourse, project, hr):
    """HR and the racecourse admin: 200; evaluators and others: 403;
    an unknown racecourse: 404; anonymous: to the login page."""
    assert client.get(_page(racecourse)).status_code == 302
    admin = UserFactory()
    racecourse.admins.add(admin)
    for user, code in [
        (hr, 200),
        (admin, 200),
        (pool_of(racecourse)[0], 403),
        (project.author, 403),
    ]:
        client.force_login(user)
        assert client.get(_page(racecourse)).status_code == code
    client.force_login(hr)
    url = reverse("evaluation:assignments", args=[999999])
    assert client.get(url).status_code == 404


def test_assignment_page_shows_matrix_pool_and_conflicts(
    client, racecourse, project, hr
):
    a, b, _c = pool_of(racecourse)
    assign(project, a)
    conflict_declare(actor=b, idea=project, evaluator=b, kind="financial")
    client.force_login(hr)
    html = client.get(_page(racecourse)).content.decode()
    assert "Assign automatically" in html
    assert f"Remove {a} from Smart shelves" in html
    assert "Financial interest" in html
    assert "1/2" in html  # project's count and a's load
    assert "Save settings" in html and "Add to pool" in html


def test_assignment_page_empty_states(client, hr):
    racecourse = racecourse_with_pool(0)
    client.force_login(hr)
    html = client.get(_page(racecourse)).content.decode()
    assert "No project of this racecourse is in offline evaluation yet" in html
    idea_in_evaluation(racecourse=racecourse)
    html = client.get(_page(racecourse)).content.decode()
    assert "The evaluator pool is empty" in html


def test_assignment_page_in_constant_queries(client, hr):
    """The matrix page costs the same for 2 projects as for 10."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    racecourse = racecourse_with_pool(4, evaluators_per_project=2)
    client.force_login(hr)
    judges = pool_of(racecourse)

    def count_queries(n):
        for i in range(n):
            idea = idea_in_evaluation(racecourse=racecourse)
            assign(idea, judges[i % 4])
            conflict_declare(
                actor=judges[(i + 1) % 4],
                idea=idea,
                evaluator=judges[(i + 1) % 4],
                kind="other",
            )
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_page(racecourse)).status_code == 200
        return len(ctx.captured_queries)

    assert count_queries(2) == count_queries(8)


def test_auto_assign_button_and_report(client, racecourse, hr):
    for _ in range(2):
        idea_in_evaluation(racecourse=racecourse)
    client.force_login(hr)
    response = client.post(reverse("evaluation:assign_auto", args=[racecourse.pk]))
    assert response.status_code == 302
    assert Assignment.objects.count() == 4
    html = client.get(_page(racecourse)).content.decode()
    assert "Automatic assignment report" in html and "4 new assignments" in html
    html = client.get(_page(racecourse)).content.decode()
    assert "Automatic assignment report" not in html  # shown once
    response = client.post(reverse("evaluation:assign_auto", args=[racecourse.pk]))
    assert any("Nothing to add" in m for m in _messages(response))


def test_settings_form(client, racecourse, hr):
    client.force_login(hr)
    url = reverse("evaluation:settings", args=[racecourse.pk])
    data = {
        "evaluators_per_project": 3,
        "max_projects_per_evaluator": 5,
        "conflict_manager_depth": 3,
    }
    assert client.post(url, data | {"blind_evaluation": "on"}).status_code == 302
    racecourse.refresh_from_db()
    assert racecourse.evaluators_per_project == 3 and racecourse.blind_evaluation
    assert racecourse.conflict_manager_depth == 3
    response = client.post(url, data | {"evaluators_per_project": 0})
    assert response.status_code == 200
    assert response.context["settings_form"].errors["evaluators_per_project"]
    client.force_login(pool_of(racecourse)[0])
    assert client.post(url, data).status_code == 403


def test_pool_add_and_remove(client, racecourse, project, hr):
    client.force_login(hr)
    newcomer = evaluator()
    response = client.post(
        reverse("evaluation:pool_add", args=[racecourse.pk]), {"user": newcomer.pk}
    )
    assert response.status_code == 302
    assert racecourse.evaluators.filter(pk=newcomer.pk).exists()
    response = client.post(
        reverse("evaluation:pool_add", args=[racecourse.pk]),
        {"user": UserFactory().pk},
    )
    assert response.status_code == 200 and response.context["pool_form"].errors["user"]

    remove = reverse("evaluation:pool_remove", args=[racecourse.pk])
    assert client.post(remove, {"user": newcomer.pk}).status_code == 302
    assert not racecourse.evaluators.filter(pk=newcomer.pk).exists()
    scored = pool_of(racecourse)[0]
    scorecard(assign(project, scored), submitted=True)
    response = client.post(remove, {"user": scored.pk})
    assert response.status_code == 302
    assert any("submitted scorecards" in m for m in _messages(response))
    assert client.post(remove, {"user": UserFactory().pk}).status_code == 404


def test_matrix_buttons_add_and_remove(client, racecourse, project, hr):
    a, b, _c = pool_of(racecourse)
    conflict_declare(actor=b, idea=project, evaluator=b, kind="other")
    client.force_login(hr)
    add = reverse("evaluation:assignment_add", args=[racecourse.pk])
    response = client.post(add, {"pair": f"{project.pk}:{a.pk}"})
    assert response.status_code == 302
    assignment = Assignment.objects.get(evaluator=a)
    response = client.post(add, {"pair": f"{project.pk}:{b.pk}"})
    assert response.status_code == 302
    assert any("conflict of interest" in m for m in _messages(response))

    remove = reverse("evaluation:assignment_remove", args=[racecourse.pk])
    assert client.post(remove, {"assignment": assignment.pk}).status_code == 302
    assert not Assignment.objects.exists()
    assert client.post(remove, {"assignment": 999999}).status_code == 404


def test_manual_form_over_the_limit(client, racecourse, hr):
    judge = pool_of(racecourse)[0]
    for _ in range(2):
        assign(idea_in_evaluation(racecourse=racecourse), judge)
    extra = idea_in_evaluation(racecourse=racecourse)
    client.force_login(hr)
    add = reverse("evaluation:assignment_add", args=[racecourse.pk])
    response = client.post(add, {"idea": extra.pk, "evaluator": judge.pk})
    assert response.status_code == 200
    assert response.context["assign_form"].errors["evaluator"]
    response = client.post(
        add, {"idea": extra.pk, "evaluator": judge.pk, "override_load": "on"}
    )
    assert response.status_code == 302
    assert Assignment.objects.filter(idea=extra, evaluator=judge).exists()


def test_removing_a_scored_assignment(client, racecourse, project, hr):
    """An admin is refused (403); HR must tick "force"."""
    admin = UserFactory()
    racecourse.admins.add(admin)
    assignment = assign(project, pool_of(racecourse)[0])
    scorecard(assignment, submitted=True)
    remove = reverse("evaluation:assignment_remove", args=[racecourse.pk])
    client.force_login(admin)
    assert (
        client.post(remove, {"assignment": assignment.pk, "force": "on"}).status_code
        == 403
    )
    client.force_login(hr)
    response = client.post(remove, {"assignment": assignment.pk})
    assert response.status_code == 302 and Assignment.objects.exists()
    response = client.post(remove, {"assignment": assignment.pk, "force": "on"})
    assert response.status_code == 302 and not Assignment.objects.exists()


def test_admin_records_a_conflict(client, racecourse, project, hr):
    client.force_login(hr)
    url = reverse("evaluation:conflict_record", args=[racecourse.pk])
    judge = pool_of(racecourse)[2]
    data = {
        "conflict-idea": project.pk,
        "conflict-evaluator": judge.pk,
        "conflict-kind": "collaboration",
    }
    assert client.post(url, data).status_code == 302
    assert Conflict.objects.get().source == Conflict.Source.ADMIN
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["conflict_form"].non_field_errors()


def test_gestation_projects_can_carry_conflicts_on_the_admin_page(
    client, racecourse, hr
):
    idea = idea_in_stage(Stage.GESTATION, racecourse=racecourse, title="Early bird")
    judge = pool_of(racecourse)[0]
    conflict_declare(actor=judge, idea=idea, evaluator=judge, kind="other")
    client.force_login(hr)
    html = client.get(_page(racecourse)).content.decode()
    assert "Early bird" in html and "Gestation" in html


def test_matrix_pages_and_the_short_filter(client, racecourse, hr, monkeypatch):
    """The matrix shows a page of projects; "Short of evaluators" keeps those
    still missing some; a button brings you back to the page you were on."""
    from voting.views.assignments import racecourse as views

    monkeypatch.setattr(views, "MATRIX_PAGE_SIZE", 2)
    ideas = [idea_in_evaluation(racecourse=racecourse) for _ in range(3)]
    a, b, _c = pool_of(racecourse)
    assign(ideas[0], a)
    assign(ideas[0], b)
    client.force_login(hr)
    first = client.get(_page(racecourse))
    assert len(first.context["matrix_rows"]) == 2
    assert first.context["page"].paginator.num_pages == 2
    assert 'aria-label="Pages of projects"' in first.content.decode()
    second = client.get(_page(racecourse), {"page": 2})
    assert len(second.context["matrix_rows"]) == 1
    short = client.get(_page(racecourse), {"short": "1"})
    assert {row.idea.pk for row, _cells in short.context["matrix_rows"]} == {
        ideas[1].pk,
        ideas[2].pk,
    }
    back = _page(racecourse) + "?page=2"
    response = client.post(
        reverse("evaluation:assignment_add", args=[racecourse.pk]),
        {"pair": f"{ideas[2].pk}:{a.pk}", "next": back},
    )
    assert response.status_code == 302 and response["Location"] == back
