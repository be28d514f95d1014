"""Realization over the API: status codes, JSON bodies and the one error shape
``{detail, code, errors}``, with the same permissions as the pages."""

import pytest
from rest_framework.test import APIClient

from ideas.models import InvestmentPlan, Outcome, Stage, TimeAllocation, Tranche
from ideas.services.realization.allocations import time_allocation_propose
from ideas.services.realization.closing import realization_close
from ideas.services.realization.outcomes import outcome_record
from tests.factories import DepartmentFactory
from tests.factories_realization import plan_for, realization_world, release

pytestmark = pytest.mark.django_db

BASE = "/api/v1"


@pytest.fixture
def w():
    return realization_world()


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def assert_error(response, status: int, code: str | None = None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"detail", "code", "errors"}
    if code:
        assert body["code"] == code
    return body


def first_tranche(w):
    return InvestmentPlan.objects.get(idea=w.idea).tranches.get(position=1)


# --- Reading a project ------------------------------------------------------------


def test_the_team_reads_the_whole_realization(w):
    """Outcomes, allocations and the plan with its ledger and tranches."""
    outcome_record(idea=w.idea, actor=w.hr, kind="venture", venture_name="V")
    time_allocation_propose(idea=w.idea, actor=w.hr, member=w.member, share=20)
    plan = plan_for(w.idea, actor=w.hr, amounts=("100", "200"))
    release(plan.tranches.get(position=1), team_member=w.member, hr=w.hr)
    response = api(w.member).get(f"{BASE}/ideas/{w.idea.pk}/realization/")
    assert response.status_code == 200
    body = response.json()
    assert body["stage"] == "realization"
    assert [o["kind"] for o in body["outcomes"]] == ["venture", "time"]
    assert body["allocations"][0]["status"] == "pending"
    assert body["allocations"][0]["manager"]["id"] == w.manager.pk
    ledger = body["plan"]["ledger"]
    assert (ledger["planned"], ledger["released"], ledger["remaining"]) == (
        "300.00",
        "100.00",
        "200.00",
    )
    assert [t["status"] for t in body["plan"]["tranches"]] == ["released", "planned"]


def test_reading_is_refused_or_hidden(w):
    """401 without a login; 403 for a colleague; 404 before realization."""
    url = f"{BASE}/ideas/{w.idea.pk}/realization/"
    assert_error(api().get(url), 401)
    assert_error(api(w.colleague).get(url), 403)
    early = realization_world(Stage.GESTATION)
    assert_error(api(early.hr).get(f"{BASE}/ideas/{early.idea.pk}/realization/"), 404)
    assert_error(api(w.hr).get(f"{BASE}/ideas/999999/realization/"), 404)


# --- Outcomes ---------------------------------------------------------------------


def test_recording_and_removing_an_outcome(w):
    """201 with the outcome; DELETE answers 204."""
    department = DepartmentFactory()
    response = api(w.admin).post(
        f"{BASE}/ideas/{w.idea.pk}/realization/outcomes/",
        {"kind": "adopted", "department": department.pk, "owner": w.colleague.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["department_name"], body["owner_name"]) == (
        department.name,
        w.colleague.display_name,
    )
    assert body["recorded_by"]["id"] == w.admin.pk
    response = api(w.admin).delete(f"{BASE}/realization/outcomes/{body['id']}/")
    assert response.status_code == 204
    assert not Outcome.objects.exists()


def test_outcome_errors_come_as_json(w):
    """A missing field is a 400 naming it; the captain gets 403."""
    url = f"{BASE}/ideas/{w.idea.pk}/realization/outcomes/"
    body = assert_error(
        api(w.hr).post(url, {"kind": "launch"}, format="json"), 400, "invalid"
    )
    assert "launched_on" in body["errors"]
    body = assert_error(api(w.hr).post(url, {"kind": "space"}, format="json"), 400)
    assert "kind" in body["errors"]
    assert_error(api(w.captain).post(url, {"kind": "time"}, format="json"), 403)


def test_removing_an_outcome_is_hidden_from_strangers(w):
    """404 for someone who cannot see the realization."""
    outcome = outcome_record(idea=w.idea, actor=w.hr, kind="time")
    assert_error(
        api(w.colleague).delete(f"{BASE}/realization/outcomes/{outcome.pk}/"), 404
    )
    assert_error(
        api(w.member).delete(f"{BASE}/realization/outcomes/{outcome.pk}/"), 403
    )


# --- Time allocations -------------------------------------------------------------


def test_allocations_are_proposed_listed_and_approved(w):
    """Captain proposes (201); the manager lists what waits and approves."""
    response = api(w.captain).post(
        f"{BASE}/ideas/{w.idea.pk}/realization/allocations/",
        {"member": w.member.pk, "share": 20},
        format="json",
    )
    assert response.status_code == 201, response.content
    allocation_id = response.json()["id"]
    listed = api(w.manager).get(f"{BASE}/realization/allocations/?waiting=true")
    assert [a["id"] for a in listed.json()["results"]] == [allocation_id]
    response = api(w.manager).post(
        f"{BASE}/realization/allocations/{allocation_id}/approve/",
        {"note": "OK"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    listed = api(w.manager).get(f"{BASE}/realization/allocations/?waiting=true")
    assert listed.json()["results"] == []
    mine = api(w.member).get(f"{BASE}/realization/allocations/").json()["results"]
    assert [a["id"] for a in mine] == [allocation_id]


def test_a_closed_projects_allocation_no_longer_waits(w):
    """Once HR closes the project, the manager has nothing left to decide."""

    time_allocation_propose(idea=w.idea, actor=w.captain, member=w.member, share=20)
    waiting = f"{BASE}/realization/allocations/?waiting=true"
    assert len(api(w.manager).get(waiting).json()["results"]) == 1
    realization_close(idea=w.idea, actor=w.hr, reason="Stopped.")
    assert api(w.manager).get(waiting).json()["results"] == []


def test_allocation_errors(w):
    """No manager on record: 400 on `member`; a share of 0: 400; a member
    cannot propose: 403; only the manager decides: 403; decline needs a note."""
    url = f"{BASE}/ideas/{w.idea.pk}/realization/allocations/"
    body = assert_error(
        api(w.hr).post(url, {"member": w.member.pk, "share": 0}, format="json"), 400
    )
    assert "share" in body["errors"]
    assert_error(
        api(w.member).post(url, {"member": w.member.pk, "share": 5}, format="json"),
        403,
    )
    allocation = time_allocation_propose(
        idea=w.idea, actor=w.hr, member=w.member, share=20
    )
    decide = f"{BASE}/realization/allocations/{allocation.pk}"
    assert_error(api(w.hr).post(f"{decide}/approve/", {}, format="json"), 403)
    assert_error(api(w.colleague).post(f"{decide}/approve/", {}, format="json"), 404)
    body = assert_error(
        api(w.manager).post(f"{decide}/decline/", {"note": ""}, format="json"), 400
    )
    assert "note" in body["errors"]
    response = api(w.manager).post(f"{decide}/decline/", {"note": "No"}, format="json")
    assert response.json()["status"] == "declined"
    assert_error(api(w.manager).post(f"{decide}/approve/", {}, format="json"), 400)
    w.member.manager = None
    w.member.save()
    TimeAllocation.objects.all().delete()
    body = assert_error(
        api(w.hr).post(url, {"member": w.member.pk, "share": 5}, format="json"), 400
    )
    assert "no manager" in body["errors"]["member"][0]


# --- The plan, reviews and releases -----------------------------------------------


def test_a_plan_is_created_added_to_and_edited(w):
    """201 with the plan; adding a tranche 201; PATCH changes a planned one."""
    response = api(w.admin).post(
        f"{BASE}/ideas/{w.idea.pk}/realization/plan/",
        {
            "currency": "CNY",
            "tranches": [
                {"amount": "1000.00", "milestone": "Pilot", "due_on": "2026-12-01"},
                {"amount": "2000", "milestone": "Launch"},
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    plan = response.json()
    assert [t["position"] for t in plan["tranches"]] == [1, 2]
    assert plan["ledger"]["planned"] == "3000.00"
    response = api(w.admin).post(
        f"{BASE}/ideas/{w.idea.pk}/realization/plan/tranches/",
        {"amount": "500", "milestone": "Scale"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["tranches"][-1]["position"] == 3
    second = plan["tranches"][1]["id"]
    response = api(w.hr).patch(
        f"{BASE}/realization/tranches/{second}/", {"amount": "2500"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["tranches"][1]["amount"] == "2500.00"
    assert response.json()["tranches"][1]["milestone"] == "Launch"


def test_plan_errors(w):
    """Empty or zero plans are 400; the captain is 403; a second plan is 400;
    adding to a project with no plan is 404."""
    url = f"{BASE}/ideas/{w.idea.pk}/realization/plan/"
    body = assert_error(api(w.hr).post(url, {"tranches": []}, format="json"), 400)
    assert "tranches" in body["errors"]
    body = assert_error(
        api(w.hr).post(
            url, {"tranches": [{"amount": "0", "milestone": "M"}]}, format="json"
        ),
        400,
    )
    assert "tranches" in body["errors"]
    assert_error(
        api(w.captain).post(
            url, {"tranches": [{"amount": "1", "milestone": "M"}]}, format="json"
        ),
        403,
    )
    assert_error(
        api(w.hr).post(
            f"{BASE}/ideas/{w.idea.pk}/realization/plan/tranches/",
            {"amount": "1", "milestone": "M"},
            format="json",
        ),
        404,
    )
    plan_for(w.idea, actor=w.hr)
    assert_error(
        api(w.hr).post(
            url, {"tranches": [{"amount": "1", "milestone": "M"}]}, format="json"
        ),
        400,
    )


def test_review_approve_and_complete(w):
    """The team reviews, HR approves; the last release realizes the idea."""
    plan_for(w.idea, actor=w.hr, amounts=("100",))
    tranche = first_tranche(w)
    url = f"{BASE}/realization/tranches/{tranche.pk}"
    response = api(w.member).post(f"{url}/review/", {"review": "Done"}, format="json")
    assert response.status_code == 200
    assert response.json()["tranches"][0]["status"] == "in_review"
    queue = api(w.hr).get(f"{BASE}/realization/reviews/").json()["results"]
    assert [t["id"] for t in queue] == [tranche.pk]
    assert_error(api(w.admin).post(f"{url}/approve/", {}, format="json"), 403)
    response = api(w.hr).post(f"{url}/approve/", {"note": "Go"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "completed"
    assert body["tranches"][0]["released_by"]["id"] == w.hr.pk
    assert (
        api(w.member).get(f"{BASE}/ideas/{w.idea.pk}/realization/").json()["stage"]
        == "realized"
    )


def test_review_and_decision_errors(w):
    """Out of order, blank, already decided, send back without a note: 400s;
    outsiders 404; a tranche in review cannot be edited or cancelled."""
    plan_for(w.idea, actor=w.hr)
    first = first_tranche(w)
    second = Tranche.objects.get(plan__idea=w.idea, position=2)
    body = assert_error(
        api(w.member).post(
            f"{BASE}/realization/tranches/{second.pk}/review/",
            {"review": "x"},
            format="json",
        ),
        400,
    )
    assert "must be released before" in body["detail"]
    url = f"{BASE}/realization/tranches/{first.pk}"
    assert_error(
        api(w.member).post(f"{url}/review/", {"review": ""}, format="json"), 400
    )
    assert_error(
        api(w.colleague).post(f"{url}/review/", {"review": "x"}, format="json"), 404
    )
    assert_error(api(w.hr).post(f"{url}/approve/", {}, format="json"), 400)
    api(w.member).post(f"{url}/review/", {"review": "x"}, format="json")
    assert_error(api(w.hr).patch(url + "/", {"amount": "1"}, format="json"), 400)
    assert_error(api(w.hr).post(f"{url}/cancel/"), 400)
    body = assert_error(
        api(w.hr).post(f"{url}/send-back/", {"note": ""}, format="json"), 400
    )
    assert "note" in body["errors"]
    response = api(w.hr).post(f"{url}/send-back/", {"note": "More"}, format="json")
    assert response.json()["tranches"][0]["status"] == "planned"
    response = api(w.admin).post(f"{url}/cancel/")
    assert response.json()["tranches"][0]["status"] == "cancelled"


# --- Closing and the HR lists -----------------------------------------------------


def test_hr_closes_the_project(w):
    """400 without a reason; 403 for the admin; 200 and eliminated for HR."""
    plan_for(w.idea, actor=w.hr)
    url = f"{BASE}/ideas/{w.idea.pk}/realization/close/"
    assert_error(api(w.hr).post(url, {"reason": ""}, format="json"), 400)
    assert_error(api(w.admin).post(url, {"reason": "r"}, format="json"), 403)
    response = api(w.hr).post(url, {"reason": "No market"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["stage"] == "eliminated"
    assert body["plan"]["status"] == "closed"
    assert body["plan"]["closed_reason"] == "No market"


def test_the_project_list_is_for_those_who_manage(w):
    """HR and the admin list projects with their ledgers; others get 403."""
    plan_for(w.idea, actor=w.hr)
    for user in (w.hr, w.admin):
        body = api(user).get(f"{BASE}/realization/projects/").json()
        assert [p["id"] for p in body] == [w.idea.pk]
        assert body[0]["plan"]["ledger"]["planned"] == "6000.00"
    assert_error(api(w.member).get(f"{BASE}/realization/projects/"), 403)
    assert_error(api().get(f"{BASE}/realization/reviews/"), 401)


def test_every_realization_endpoint_is_documented(hr_admin):
    """The OpenAPI schema lists each realization operation under its tag."""
    schema = api(hr_admin).get("/api/schema/?format=json").json()
    expected = {
        "/api/v1/ideas/{id}/realization/": {"get"},
        "/api/v1/ideas/{id}/realization/close/": {"post"},
        "/api/v1/ideas/{id}/realization/outcomes/": {"post"},
        "/api/v1/ideas/{id}/realization/allocations/": {"post"},
        "/api/v1/ideas/{id}/realization/plan/": {"post"},
        "/api/v1/ideas/{id}/realization/plan/tranches/": {"post"},
        "/api/v1/realization/outcomes/{id}/": {"delete"},
        "/api/v1/realization/allocations/": {"get"},
        "/api/v1/realization/allocations/{id}/approve/": {"post"},
        "/api/v1/realization/allocations/{id}/decline/": {"post"},
        "/api/v1/realization/tranches/{id}/": {"patch"},
        "/api/v1/realization/tranches/{id}/cancel/": {"post"},
        "/api/v1/realization/tranches/{id}/review/": {"post"},
        "/api/v1/realization/tranches/{id}/approve/": {"post"},
        "/api/v1/realization/tranches/{id}/send-back/": {"post"},
        "/api/v1/realization/reviews/": {"get"},
        "/api/v1/realization/projects/": {"get"},
    }
    for url, methods in expected.items():
        operations = schema["paths"][url]
        assert methods <= set(operations), url
        for method in methods:
            assert operations[method]["tags"] == ["realization"], (url, method)
