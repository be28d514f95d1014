"""One project from shortlisted to its first released tranche, over the REST API.

The API twin of ``tests/e2e/test_project_journey.py``, with the same people
and data. Every client logs in at ``/api/auth/login/`` and sends a real knox
token (``Authorization: Token …``, CSRF checks on); nothing is forced.

It proves that, through ``/api/v1/`` alone: the captain asks for a resource
and the racecourse admin grants less than asked, the budget shows what is
granted and left, and a grant past the budget is a JSON 400 that changes
nothing; HR assigns a trainer whose session log the racecourse admin may not
read; the captain's final proposal (with a file) moves the idea to
evaluation; the automatic assignment skips the captain's manager, who then
cannot reach the scorecards; evaluators read the other cards only after
submitting their own; HR decides once at the panel, plans two tranches and
releases the first after the team's review (the racecourse admin may not);
and the captain reads the feedback and comments without evaluator names.
"""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from ideas.models import (
    Attachment,
    FinalProposal,
    Idea,
    ResourceRequest,
    Stage,
    TrainerAssignment,
    TrainerSession,
    Tranche,
)
from tests.journeys import PASSWORD, project_world
from voting.models import Assignment, PanelDecision, Scorecard

pytestmark = pytest.mark.django_db

API = "/api/v1"


def token_client(user) -> APIClient:
    """A client logged in as ``user`` with a real knox token."""
    client = APIClient(enforce_csrf_checks=True)
    response = client.post(
        "/api/auth/login/", {"email": user.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["user"]["id"] == user.pk
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def _ok(response, code: int = 200) -> dict | list:
    assert response.status_code == code, (response.status_code, response.content)
    return response.json()


def _error(response, codes) -> dict:
    """A refusal: one of ``codes``, with the API's JSON error body."""
    assert response.status_code in codes, (response.status_code, response.content)
    body = response.json()
    assert {"detail", "code", "errors"} <= body.keys(), body
    return body


def _budget_line(api: APIClient, racecourse_id: int, resource_id: int) -> dict:
    lines = _ok(api.get(f"{API}/racecourses/{racecourse_id}/budgets/"))
    [line] = [row for row in lines if row["resource"]["id"] == resource_id]
    return line


def test_a_project_goes_from_shortlisted_to_its_first_tranche_over_the_api():
    w = project_world()
    idea, racecourse, environment = w["idea"], w["racecourse"], w["environment"]
    first, second = w["evaluators"]
    hr, admin, captain = (token_client(w[k]) for k in ("hr", "admin", "captain"))
    member, mentor, manager = (
        token_client(w[k]) for k in ("member", "mentor", "manager")
    )
    ada, bo = token_client(first), token_client(second)
    rc = racecourse.pk

    # 1. The captain asks for four slots; the racecourse admin grants three.
    body = _ok(
        captain.post(
            f"{API}/ideas/{idea.pk}/resource-requests/",
            {
                "resource": environment.pk,
                "amount": "4",
                "justification": "Load tests with real parcel volumes before the pilot.",
            },
            format="json",
        ),
        201,
    )
    assert body["status"] == "pending"
    assert Decimal(body["amount"]) == 4
    request_id = body["id"]
    body = _ok(
        admin.post(
            f"{API}/resource-requests/{request_id}/grant/",
            {"amount": "3", "note": "Three is what we can spare."},
            format="json",
        )
    )
    assert body["status"] == "granted"
    assert Decimal(body["granted_amount"]) == 3
    assert body["decided_by"]["id"] == w["admin"].pk
    line = _budget_line(captain, rc, environment.pk)
    assert (Decimal(line["budget"]), Decimal(line["granted"])) == (10, 3)
    assert Decimal(line["left"]) == 7

    # A second request for eight cannot be granted whole: seven are left.
    second_id = _ok(
        captain.post(
            f"{API}/ideas/{idea.pk}/resource-requests/",
            {"resource": environment.pk, "amount": "8", "justification": "More load."},
            format="json",
        ),
        201,
    )["id"]
    body = _error(
        admin.post(f"{API}/resource-requests/{second_id}/grant/", {}, format="json"),
        {400},
    )
    assert body["code"] == "invalid"
    assert "amount" in body["errors"]
    assert "7" in body["detail"]
    refused = ResourceRequest.objects.get(pk=second_id)
    assert refused.status == ResourceRequest.Status.PENDING
    assert refused.granted_amount is None
    line = _budget_line(admin, rc, environment.pk)
    assert (Decimal(line["granted"]), Decimal(line["left"])) == (3, 7)
    assert Decimal(line["pending"]) == 8

    # 2. HR assigns the trainer from the season's pool; the trainer logs a session.
    [trainer] = _ok(hr.get(f"{API}/seasons/{racecourse.season_id}/trainers/"))
    assert trainer["user"]["id"] == w["mentor"].pk
    body = _ok(
        hr.post(
            f"{API}/ideas/{idea.pk}/trainer-assignments/",
            {"trainer": trainer["id"]},
            format="json",
        ),
        201,
    )
    assert body["status"] == TrainerAssignment.Status.ACTIVE
    assert body["trainer"]["user"]["display_name"] == "Han Trainer"
    assignment_id = body["id"]
    sessions_url = f"{API}/trainer-assignments/{assignment_id}/sessions/"
    body = _ok(
        mentor.post(
            sessions_url,
            {
                "held_on": timezone.localdate().isoformat(),
                "duration_minutes": 45,
                "topic": "Pilot scope",
                "notes": "Start with three villages.",
            },
            format="json",
        ),
        201,
    )
    assert body["topic"] == "Pilot scope"
    assert body["logged_by"]["id"] == w["mentor"].pk
    assert [s["topic"] for s in _ok(captain.get(sessions_url))] == ["Pilot scope"]
    # The racecourse admin (not HR, team or trainer) may not read the log.
    _error(admin.get(sessions_url), {403})
    assert TrainerSession.objects.filter(assignment_id=assignment_id).count() == 1

    # 3. The captain attaches a file and hands in the final proposal.
    upload = SimpleUploadedFile(
        "pilot-plan.pdf", b"%PDF-1.4\n% pilot plan\n", content_type="application/pdf"
    )
    body = _ok(
        captain.post(
            f"{API}/ideas/{idea.pk}/proposal/files/",
            {"file": upload},
            format="multipart",
        ),
        201,
    )
    assert body["name"] == "pilot-plan.pdf"
    file_id = body["id"]
    body = _ok(
        captain.post(
            f"{API}/ideas/{idea.pk}/proposal/",
            {
                "summary": "Lockers at village shops, run by the shop.",
                "document": "## Pilot\nThree villages, 90 days.",
            },
            format="json",
        ),
        201,
    )
    assert body["summary"] == "Lockers at village shops, run by the shop."
    assert body["submitted_by"]["id"] == w["captain"].pk
    assert [a["id"] for a in body["attachments"]] == [file_id]
    assert _ok(captain.get(f"{API}/ideas/{idea.pk}/"))["stage"] == "evaluation"
    idea.refresh_from_db()
    assert idea.stage == Stage.EVALUATION
    assert FinalProposal.objects.filter(idea=idea).exists()
    assert (
        Attachment.objects.filter(idea=idea, kind=Attachment.Kind.PROPOSAL).count() == 1
    )

    # 4. HR assigns automatically: the two evaluators, never the captain's manager.
    body = _ok(hr.post(f"{API}/evaluation/racecourses/{rc}/assign-auto/"))
    assert body["created"] == 2
    assert body["short"] == []
    assigned = set(
        Assignment.objects.filter(idea=idea).values_list("evaluator_id", flat=True)
    )
    assert assigned == {first.pk, second.pk}
    loads = {
        row["evaluator"]["id"]: row["load"]
        for row in _ok(hr.get(f"{API}/evaluation/racecourses/{rc}/loads/"))
    }
    assert loads == {w["manager"].pk: 0, first.pk: 1, second.pk: 1}

    # 5. The conflicted manager reaches neither scorecard nor cards, and has no work.
    _error(manager.get(f"{API}/ideas/{idea.pk}/scorecard/"), {403})
    _error(manager.get(f"{API}/ideas/{idea.pk}/scorecards/"), {403})
    mine = _ok(manager.get(f"{API}/evaluation/assignments/mine/"))
    assert mine["results"] == []

    # 6. Before submitting, evaluator one may not read the other cards.
    _error(ada.get(f"{API}/ideas/{idea.pk}/scorecards/"), {403})
    for client, who, values in [(ada, first, (5, 4, 8)), (bo, second, (4, 4, 6))]:
        assert [
            a["idea"]
            for a in _ok(client.get(f"{API}/evaluation/assignments/mine/"))["results"]
        ] == [idea.pk]
        card = _ok(client.get(f"{API}/ideas/{idea.pk}/scorecard/"))
        assert card["status"] == "none" and card["editable"] is True
        payload = {
            "scores": [
                {"criterion": c["id"], "value": v}
                for c, v in zip(card["criteria"], values, strict=True)
            ],
            "team_comment": "Clear pilot; price it.",
            "panel_note": f"Private note from {who.display_name}.",
        }
        draft = _ok(
            client.put(f"{API}/ideas/{idea.pk}/scorecard/", payload, format="json")
        )
        assert draft["status"] == Scorecard.Status.DRAFT
        done = _ok(
            client.post(
                f"{API}/ideas/{idea.pk}/scorecard/submit/", payload, format="json"
            )
        )
        assert done["status"] == Scorecard.Status.SUBMITTED
        assert done["submitted_at"]
    assert (
        Scorecard.objects.filter(
            assignment__idea=idea, status=Scorecard.Status.SUBMITTED
        ).count()
        == 2
    )
    cards = _ok(ada.get(f"{API}/ideas/{idea.pk}/scorecards/"))
    assert {c["evaluator"]["id"] for c in cards} == {first.pk, second.pk}
    other = next(c for c in cards if c["evaluator"]["id"] == second.pk)
    assert [s["value"] for s in other["scores"]] == [4, 4, 6]
    assert other["panel_note"] == "Private note from Bo Evaluator."

    # 7. HR sees the project on the panel board and selects it, once.
    board = _ok(hr.get(f"{API}/racecourses/{rc}/panel/"))
    [row] = [r for r in board["rows"] if r["idea"] and r["idea"]["id"] == idea.pk]
    assert row["n"] == 2 and row["submitted"] == 2 and row["hidden"] == ""
    assert row["calibrated"] is not None
    assert row["decision"] is None
    feedback = "Fund a 90-day pilot; report the cost per parcel."
    body = _ok(
        hr.post(
            f"{API}/ideas/{idea.pk}/decision/",
            {"outcome": "selected", "feedback": feedback},
            format="json",
        ),
        201,
    )
    assert body["outcome"] == "selected"
    assert body["feedback"] == feedback
    assert body["calibrated_score"] == pytest.approx(row["calibrated"])
    _error(
        hr.post(
            f"{API}/ideas/{idea.pk}/decision/",
            {"outcome": "eliminated", "feedback": "Changed our minds."},
            format="json",
        ),
        {400},
    )
    decision = PanelDecision.objects.get(idea=idea)
    assert (decision.outcome, decision.feedback) == ("selected", feedback)
    idea.refresh_from_db()
    assert idea.stage == Stage.REALIZATION

    # 8. HR plans two tranches; the team reports; only HR releases the first.
    plan = _ok(
        hr.post(
            f"{API}/ideas/{idea.pk}/realization/plan/",
            {
                "currency": "CNY",
                "tranches": [
                    {"amount": "50000", "milestone": "Three villages live"},
                    {"amount": "150000", "milestone": "Thirty villages live"},
                ],
            },
            format="json",
        ),
        201,
    )
    assert [t["milestone"] for t in plan["tranches"]] == [
        "Three villages live",
        "Thirty villages live",
    ]
    assert Decimal(plan["ledger"]["planned"]) == 200000
    tranche_id = plan["tranches"][0]["id"]
    plan = _ok(
        member.post(
            f"{API}/realization/tranches/{tranche_id}/review/",
            {"review": "All three villages are live."},
            format="json",
        )
    )
    assert plan["tranches"][0]["status"] == Tranche.Status.IN_REVIEW
    assert plan["tranches"][0]["review_submitted_by"]["id"] == w["member"].pk
    _error(
        admin.post(
            f"{API}/realization/tranches/{tranche_id}/approve/", {}, format="json"
        ),
        {403},
    )
    assert Tranche.objects.get(pk=tranche_id).status == Tranche.Status.IN_REVIEW
    plan = _ok(
        hr.post(
            f"{API}/realization/tranches/{tranche_id}/approve/",
            {"note": "Well done."},
            format="json",
        )
    )
    assert [t["status"] for t in plan["tranches"]] == ["released", "planned"]
    assert plan["tranches"][0]["released_by"]["id"] == w["hr"].pk
    realization = _ok(captain.get(f"{API}/ideas/{idea.pk}/realization/"))
    ledger = realization["plan"]["ledger"]
    assert realization["stage"] == "realization"
    assert Decimal(ledger["planned"]) == 200000
    assert Decimal(ledger["released"]) == 50000
    assert Decimal(ledger["remaining"]) == 150000
    assert (ledger["released_count"], ledger["tranche_count"]) == (1, 2)
    released, planned = Tranche.objects.filter(plan__idea=idea).order_by("position")
    assert released.status == Tranche.Status.RELEASED and released.released_at
    assert planned.status == Tranche.Status.PLANNED

    # 9. The captain reads the decision: feedback and comments, no evaluator names.
    response = captain.get(f"{API}/ideas/{idea.pk}/decision/")
    story = _ok(response)
    assert story["outcome"] == "selected" and story["full"] is True
    assert story["feedback"] == feedback
    assert [c["team_comment"] for c in story["cards"]] == ["Clear pilot; price it."] * 2
    text = response.content.decode()
    for name in ("Ada Evaluator", "Bo Evaluator", "Mei Manager", "Private note"):
        assert name not in text
    assert Idea.objects.get(pk=idea.pk).stage == Stage.REALIZATION
