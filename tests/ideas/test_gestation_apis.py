"""The gestation API: the same actions and rules as the browser, with JSON
errors (``{detail, code, errors}``) and never a 500."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from ideas.models import (
    Milestone,
    ResourceRequest,
    Stage,
    TrainerAssignment,
    Visibility,
)
from ideas.services.gestation.progress import milestone_create
from ideas.services.gestation.resources import (
    resource_request_create,
    resource_request_grant,
)
from ideas.services.trainers import trainer_assign, trainer_session_log
from tests.factories import UserFactory, idea_in_stage
from tests.factories_gestation import (
    budget_for,
    close_window,
    gestating_idea,
    trainer_for,
)

pytestmark = pytest.mark.django_db


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
def idea():
    return gestating_idea()


@pytest.fixture
def budget(idea):
    return budget_for(idea, "1000")


@pytest.fixture
def admin(idea):
    admin = UserFactory()
    idea.racecourse.admins.add(admin)
    return admin


def ask(idea, budget, amount="100"):
    return resource_request_create(
        idea=idea,
        actor=idea.author,
        resource=budget.resource,
        amount=Decimal(amount),
        justification="Pilot",
    )


# --- Resources and requests -----------------------------------------------------------


def test_captain_requests_and_the_team_sees_what_it_has(idea, budget, admin):
    captain = client_for(idea.author)
    response = captain.post(
        url("idea-resource-requests", idea.pk),
        {"resource": budget.resource.pk, "amount": "250.50", "justification": "Pilot"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["amount"], body["resource"]["id"]) == (
        "pending",
        "250.50",
        budget.resource.pk,
    )
    resource_request_grant(
        request=ResourceRequest.objects.get(pk=body["id"]),
        actor=admin,
        amount=Decimal("200"),
    )
    (line,) = captain.get(url("idea-resources", idea.pk)).json()
    assert (line["budget"], line["granted"], line["left"], line["team_granted"]) == (
        "1000.00",
        "200.00",
        "800.00",
        "200.00",
    )
    rows = client_for(idea.member).get(url("idea-resource-requests", idea.pk)).json()
    assert [r["granted_amount"] for r in rows] == ["200.00"]


def test_request_errors_are_json(idea, budget):
    captain = client_for(idea.author)
    body = assert_error(
        captain.post(
            url("idea-resource-requests", idea.pk),
            {"resource": budget.resource.pk, "amount": "0", "justification": ""},
            format="json",
        ),
        400,
    )
    assert {"amount", "justification"} <= set(body["errors"])
    assert_error(
        client_for(idea.member).post(
            url("idea-resource-requests", idea.pk),
            {"resource": budget.resource.pk, "amount": "1", "justification": "x"},
            format="json",
        ),
        403,
    )
    assert_error(
        captain.post(
            url("idea-resource-requests", idea.pk),
            {"resource": 10**12, "amount": "1", "justification": "x"},
            format="json",
        ),
        400,
    )


def test_resources_are_hidden_from_people_outside(idea, budget):
    stranger = client_for(UserFactory())
    assert_error(stranger.get(url("idea-resources", idea.pk)), 403)
    assert_error(stranger.get(url("idea-resource-requests", idea.pk)), 403)
    secret = gestating_idea(visibility=Visibility.CONFIDENTIAL)
    assert_error(stranger.get(url("idea-resources", secret.pk)), 404)
    assert_error(stranger.get(url("idea-resources", 10**9)), 404)


def test_the_grant_queue_and_decisions(idea, budget, admin):
    request = ask(idea, budget, "300")
    other = gestating_idea(racecourse=idea.racecourse)
    ask(other, budget, "900")
    api = client_for(admin)
    queue = api.get(
        url("resource-request-list"),
        {"racecourse": idea.racecourse_id, "status": ["pending", "question"]},
    ).json()
    assert queue["count"] == 2
    response = api.post(
        url("resource-request-grant", request.pk), {"amount": "300"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "granted"
    (big,) = ResourceRequest.objects.filter(idea=other)
    body = assert_error(
        api.post(url("resource-request-grant", big.pk), {}, format="json"), 400
    )
    assert "700.00" in body["errors"]["amount"][0]
    assert_error(
        api.post(url("resource-request-grant", request.pk), {}, format="json"), 400
    )
    assert_error(
        api.post(url("resource-request-decline", big.pk), {}, format="json"), 400
    )
    response = api.post(
        url("resource-request-ask", big.pk), {"question": "Less?"}, format="json"
    )
    assert response.json()["status"] == "question"
    response = client_for(other.author).post(
        url("resource-request-answer", big.pk), {"answer": "700 is fine"}, format="json"
    )
    assert response.json()["status"] == "pending"
    assert [m["body"] for m in response.json()["messages"]] == ["Less?", "700 is fine"]
    response = api.post(
        url("resource-request-decline", big.pk), {"reason": "Too much"}, format="json"
    )
    assert response.json()["decision_note"] == "Too much"


def test_who_sees_and_decides_requests(idea, budget, admin, hr_admin):
    request = ask(idea, budget)
    stranger, other_admin = UserFactory(), UserFactory()
    gestating_idea().racecourse.admins.add(other_admin)
    assert_error(
        client_for(stranger).get(url("resource-request-detail", request.pk)), 404
    )
    assert_error(
        client_for(other_admin).post(url("resource-request-grant", request.pk)), 404
    )
    # The team sees it but may not decide it.
    captain = client_for(idea.author)
    assert captain.get(url("resource-request-detail", request.pk)).status_code == 200
    assert_error(captain.post(url("resource-request-grant", request.pk)), 403)
    assert client_for(hr_admin).get(url("resource-request-list")).json()["count"] == 1
    assert client_for(stranger).get(url("resource-request-list")).json()["count"] == 0
    response = captain.post(url("resource-request-cancel", request.pk))
    assert response.json()["status"] == "cancelled"


# --- Milestones and updates -------------------------------------------------------------


def test_milestones_and_updates(idea):
    captain, member = client_for(idea.author), client_for(idea.member)
    response = captain.post(
        url("idea-milestones", idea.pk),
        {"title": "Prototype", "due_on": "2030-01-01"},
        format="json",
    )
    assert response.status_code == 201
    milestone_id = response.json()["id"]
    assert_error(
        member.post(url("idea-milestones", idea.pk), {"title": "x"}, format="json"), 403
    )
    response = member.post(
        url("idea-progress-updates", idea.pk),
        {"body": "Built it", "milestone": milestone_id, "milestone_done": True},
        format="json",
    )
    assert response.status_code == 201
    (row,) = client_for(UserFactory()).get(url("idea-milestones", idea.pk)).json()
    assert row["done_at"] is not None
    response = member.post(
        url("milestone-done", milestone_id), {"done": False}, format="json"
    )
    assert response.json()["done_at"] is None
    updates = captain.get(url("idea-progress-updates", idea.pk)).json()
    assert [u["body"] for u in updates] == ["Built it"]
    assert_error(member.delete(url("milestone-detail", milestone_id)), 403)
    assert captain.delete(url("milestone-detail", milestone_id)).status_code == 204
    assert not Milestone.objects.exists()
    assert_error(
        member.post(url("idea-progress-updates", idea.pk), {"body": ""}, format="json"),
        400,
    )


def test_progress_of_an_idea_past_gestation_is_read_only(idea):
    milestone_create(idea=idea, actor=idea.author, title="m")
    from ideas import funnel

    funnel.idea_submit_proposal(idea=idea, actor=idea.author)
    body = assert_error(
        client_for(idea.author).post(
            url("idea-progress-updates", idea.pk), {"body": "late"}, format="json"
        ),
        403,
    )
    assert body["code"] == "permission_denied"


# --- Trainers ----------------------------------------------------------------------------


def test_trainer_request_assign_sessions_and_end(idea, admin):
    trainer = trainer_for(idea, capacity=1)
    response = client_for(idea.author).post(
        url("idea-trainer-request", idea.pk),
        {"message": "Pricing", "trainer": trainer.pk},
        format="json",
    )
    assert response.status_code == 201 and response.json()["status"] == "requested"
    assert_error(
        client_for(idea.author).post(
            url("idea-trainer-assignments", idea.pk), {"trainer": trainer.pk}
        ),
        403,
    )
    response = client_for(admin).post(
        url("idea-trainer-assignments", idea.pk), {"trainer": trainer.pk}, format="json"
    )
    assert response.status_code == 201 and response.json()["status"] == "active"
    assignment_id = response.json()["id"]
    other = gestating_idea(racecourse=idea.racecourse)
    body = assert_error(
        client_for(admin).post(
            url("idea-trainer-assignments", other.pk), {"trainer": trainer.pk}
        ),
        400,
    )
    assert "trainer" in body["errors"]

    mine = client_for(trainer.user).get(url("trainer-assignment-list"), {"mine": True})
    assert [a["id"] for a in mine.json()["results"]] == [assignment_id]
    session = client_for(trainer.user).post(
        url("trainer-assignment-sessions", assignment_id),
        {"held_on": str(timezone.localdate()), "topic": "Pricing", "notes": "n"},
        format="json",
    )
    assert session.status_code == 201
    future = str(timezone.localdate() + dt.timedelta(days=3))
    assert_error(
        client_for(trainer.user).post(
            url("trainer-assignment-sessions", assignment_id),
            {"held_on": future, "topic": "x"},
            format="json",
        ),
        400,
    )
    rows = client_for(idea.member).get(
        url("trainer-assignment-sessions", assignment_id)
    )
    assert [s["topic"] for s in rows.json()] == ["Pricing"]
    # Racecourse admins run assignments but do not read the sessions.
    assert_error(
        client_for(admin).get(url("trainer-assignment-sessions", assignment_id)), 403
    )
    response = client_for(admin).post(url("trainer-assignment-end", assignment_id))
    assert response.json()["status"] == "ended"


def test_declining_a_trainer_request(idea, admin):
    from ideas.services.trainers import trainer_request

    request = trainer_request(idea=idea, actor=idea.author)
    assert_error(
        client_for(idea.author).post(url("trainer-assignment-decline", request.pk)), 403
    )
    response = client_for(admin).post(
        url("trainer-assignment-decline", request.pk), {"reason": "No"}, format="json"
    )
    assert response.json()["status"] == "declined"
    assert_error(
        client_for(UserFactory()).post(url("trainer-assignment-end", request.pk)), 404
    )


def test_past_trainer_reads_only_their_own_sessions(idea, admin):
    first, second = trainer_for(idea), trainer_for(idea)
    old = trainer_assign(idea=idea, actor=admin, trainer=first)
    trainer_session_log(
        assignment=old, actor=first.user, held_on=timezone.localdate(), topic="Old"
    )
    client_for(admin).post(url("trainer-assignment-end", old.pk))
    new = trainer_assign(idea=idea, actor=admin, trainer=second)
    trainer_session_log(
        assignment=new, actor=second.user, held_on=timezone.localdate(), topic="New"
    )
    past = client_for(first.user)
    assert [
        s["topic"] for s in past.get(url("trainer-assignment-sessions", old.pk)).json()
    ] == ["Old"]
    assert_error(past.get(url("trainer-assignment-sessions", new.pk)), 404)
    assert TrainerAssignment.objects.filter(idea=idea).count() == 2


# --- The proposal, extensions and elimination ---------------------------------------------


def test_files_then_the_proposal_moves_the_idea_to_evaluation(idea):
    captain = client_for(idea.author)
    assert_error(captain.get(url("idea-proposal", idea.pk)), 404)
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 x", "application/pdf")
    response = captain.post(
        url("idea-proposal-files", idea.pk), {"file": upload}, format="multipart"
    )
    assert response.status_code == 201, response.content
    bad = SimpleUploadedFile("x.exe", b"MZ", "application/octet-stream")
    body = assert_error(
        captain.post(
            url("idea-proposal-files", idea.pk), {"file": bad}, format="multipart"
        ),
        400,
    )
    assert "file" in body["errors"]
    assert_error(
        client_for(idea.member).post(
            url("idea-proposal", idea.pk),
            {"summary": "s", "document": "d"},
            format="json",
        ),
        403,
    )
    response = captain.post(
        url("idea-proposal", idea.pk),
        {"summary": "Boxes", "document": "# Plan"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert [a["name"] for a in response.json()["attachments"]] == ["plan.pdf"]
    idea.refresh_from_db()
    assert idea.stage == Stage.EVALUATION
    viewer = client_for(UserFactory())
    assert viewer.get(url("idea-proposal", idea.pk)).json()["summary"] == "Boxes"
    assert_error(
        captain.post(
            url("idea-proposal", idea.pk),
            {"summary": "s", "document": "d"},
            format="json",
        ),
        400,
    )


def test_late_proposal_extension_and_elimination(idea, admin, hr_admin):
    close_window(idea.racecourse.windows.get(stage="gestation"))
    captain, hr = client_for(idea.author), client_for(hr_admin)
    body = assert_error(
        captain.post(
            url("idea-proposal", idea.pk),
            {"summary": "s", "document": "d"},
            format="json",
        ),
        400,
    )
    assert "no longer be submitted" in body["detail"]
    until = (timezone.now() + dt.timedelta(days=5)).isoformat()
    assert_error(
        client_for(admin).post(
            url("idea-extensions", idea.pk),
            {"until": until, "reason": "r"},
            format="json",
        ),
        403,
    )
    response = hr.post(
        url("idea-extensions", idea.pk),
        {"until": until, "reason": "Delay"},
        format="json",
    )
    assert response.status_code == 201
    assert [
        e["reason"] for e in captain.get(url("idea-extensions", idea.pk)).json()
    ] == ["Delay"]
    assert_error(
        hr.post(url("idea-gestation-eliminate", idea.pk), {}, format="json"), 400
    )
    assert_error(
        client_for(admin).post(
            url("idea-gestation-eliminate", idea.pk), {"reason": "r"}, format="json"
        ),
        403,
    )
    response = hr.post(
        url("idea-gestation-eliminate", idea.pk), {"reason": "Silent"}, format="json"
    )
    assert response.status_code == 204
    idea.refresh_from_db()
    assert idea.stage == Stage.ELIMINATED


def test_gestation_endpoints_of_an_idea_never_in_gestation():
    """As in the browser: an idea that never reached gestation has none (404)."""
    idea = idea_in_stage(Stage.SCREENING)
    captain = client_for(idea.author)
    assert_error(captain.get(url("idea-milestones", idea.pk)), 404)
    assert_error(
        captain.post(url("idea-milestones", idea.pk), {"title": "x"}, format="json"),
        404,
    )


# --- The catalogue (contests API) -----------------------------------------------------------


def test_catalogue_budgets_and_pool(idea, budget, admin):
    resource_request_grant(request=ask(idea, budget, "250"), actor=admin)
    trainer = trainer_for(idea, capacity=3)
    trainer_assign(idea=idea, actor=admin, trainer=trainer)
    api = client_for(UserFactory())
    season = idea.racecourse.season_id
    (resource,) = api.get(url("season-resources", season)).json()
    assert (resource["name"], resource["unit"]) == (budget.resource.name, "money")
    (line,) = api.get(url("racecourse-budgets", idea.racecourse_id)).json()
    assert (line["budget"], line["granted"], line["left"]) == (
        "1000.00",
        "250.00",
        "750.00",
    )
    (row,) = api.get(url("season-trainers", season)).json()
    assert (row["capacity"], row["load"]) == (3, 1)
    assert_error(api.get(url("season-resources", 10**9)), 404)
    assert_error(api.get(url("racecourse-budgets", 10**9)), 404)
    assert_error(APIClient().get(url("season-trainers", season)), 401)
