"""Issue 10's scenario over the API, with real knox tokens (the browser
test's twin, tests/e2e/test_season_scenario.py).

HR's integration copies last season, moves its screening to open now, reviews
and opens the season, and imports the employee file; the new employee logs
in, creates and registers an idea, which joins the open screening; two
colleagues support it; the idea goes on to realization, and the integration
records its adoption by a department it finds through the directory API.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from knox.models import AuthToken

from contests.models import Racecourse, Season, StageWindow, WindowChange
from horserace.accounts.models import DirectoryImport, User
from ideas import funnel
from ideas.models import Idea, Outcome, Stage
from tests.factories import UserFactory
from tests.season_scenario import (
    COLLEAGUES,
    DAY,
    EMPLOYEES_CSV,
    IDEA,
    MANAGER,
    NEW_EMPLOYEE,
    last_season,
)
from tests.test_api_journey import token_client
from voting.models import Ballot

pytestmark = pytest.mark.django_db

HR_PASSWORD = "pw-12345678"  # what UserFactory sets
NEW_PASSWORD = "mei-chen-first-login"
REASON = "Screening opens with registration so early ideas are judged at once."


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.content
    return response.json()


def test_a_season_run_over_the_api_from_copy_to_adoption(
    django_capture_on_commit_callbacks,
):
    source = last_season()
    UserFactory(email="hr.bot@example.com", is_hr_admin=True)
    hr, _ = token_client("hr.bot@example.com", HR_PASSWORD)

    # 1. HR copies last season into this year's: planned, windows a year on.
    year = source.year + 1
    season = ok(
        hr.post(
            f"/api/v1/seasons/{source.pk}/copy/",
            {"name": f"Race {year}", "year": year},
            format="json",
        ),
        201,
    )
    assert season["status"] == "planned"
    windows = ok(hr.get("/api/v1/windows/", {"season": season["id"]}))["results"]
    by_stage = {w["stage"]: w for w in windows}
    assert set(by_stage) == {"registration", "screening", "gestation", "evaluation"}
    main_id = by_stage["screening"]["racecourse"]
    assert Racecourse.objects.get(pk=main_id).kind == Racecourse.Kind.MAIN
    now = timezone.now()
    screening = StageWindow.objects.get(pk=by_stage["screening"]["id"])
    assert screening.opens_at > now  # the copy opens screening in ten days

    # 2. HR moves screening to open now, with a reason.
    opens = (now - DAY / 24).replace(microsecond=0)
    moved = ok(
        hr.patch(
            f"/api/v1/windows/{screening.pk}/",
            {"opens_at": opens.isoformat(), "reason": REASON},
            format="json",
        )
    )
    assert moved["opens_at"].startswith(opens.strftime("%Y-%m-%dT%H:%M"))
    history = ok(hr.get(f"/api/v1/windows/{screening.pk}/changes/"))
    assert sorted((c["kind"], c["reason"]) for c in history) == [
        ("created", f"Copied from {source.name}."),
        ("moved", REASON),
    ]

    # 3. Review, then open.
    review = ok(hr.get(f"/api/v1/seasons/{season['id']}/review/"))
    assert review["can_open"] is True, review["items"]
    assert not [i for i in review["items"] if i["level"] == "error"]
    opened = ok(hr.post(f"/api/v1/seasons/{season['id']}/open/", {}, format="json"))
    assert opened["status"] == "open"

    # 4. The directory: the integration sends the employee file (202: the
    # import runs as a Celery task, eager here) and polls the run.
    with django_capture_on_commit_callbacks(execute=True):
        sent = hr.post(
            "/api/v1/directory/imports/",
            {"file": SimpleUploadedFile("employees.csv", EMPLOYEES_CSV.encode())},
            format="multipart",
        )
    run = ok(sent, 202)
    run = ok(hr.get(f"/api/v1/directory/imports/{run['id']}/"))
    assert (run["status"], run["finished"]) == (DirectoryImport.Status.DONE, True)
    assert (run["created"], run["error_count"]) == (4, 0)
    found = ok(hr.get("/api/v1/people/", {"search": "Mei Chen"}))["results"]
    assert [p["email"] for p in found] == [NEW_EMPLOYEE]
    manager_id = User.objects.get(email=MANAGER).pk
    assert (found[0]["employee_number"], found[0]["department"]["code"]) == (
        "S9001",
        "ops-lab",
    )
    assert found[0]["manager"] == manager_id

    # 5. The new employee logs in (imported people have no password; in
    # production they sign in through SSO) and registers an idea.
    employee = User.objects.get(email=NEW_EMPLOYEE)
    employee.set_password(NEW_PASSWORD)
    employee.save(update_fields=["password"])
    api, login = token_client(NEW_EMPLOYEE, NEW_PASSWORD)
    assert login["user"]["id"] == employee.pk
    idea = ok(
        api.post("/api/v1/ideas/", {"racecourse": main_id, **IDEA}, format="json"), 201
    )
    registration = ok(api.post(f"/api/v1/ideas/{idea['id']}/register/"), 201)
    assert registration["code"].startswith(f"HR-{year}-")
    payload = ok(api.get(f"/api/v1/ideas/{idea['id']}/"))
    assert payload["stage"] == "screening"
    assert payload["screening"]["state"] == "joined"
    assert payload["screening"]["window"] == screening.pk
    assert payload["screening"]["joined_at"]

    # 6. Colleagues from the same file judge it: both support.
    for email in COLLEAGUES:
        colleague = User.objects.get(email=email)
        colleague.set_password(NEW_PASSWORD)
        colleague.save(update_fields=["password"])
        client, _ = token_client(email, NEW_PASSWORD)
        queue = ok(client.get(f"/api/v1/racecourses/{main_id}/queue/"))
        assert queue["window"]["id"] == screening.pk, queue
        assert [card["id"] for card in queue["results"]] == [idea["id"]]
        ballot = ok(
            client.post(
                "/api/v1/ballots/",
                {"idea": idea["id"], "choice": "support"},
                format="json",
            ),
            201,
        )
        assert (ballot["window"], ballot["choice"]) == (screening.pk, "support")
    # The author cannot judge their own idea.
    refused = api.post(
        "/api/v1/ballots/", {"idea": idea["id"], "choice": "support"}, format="json"
    )
    assert refused.status_code == 403, refused.content

    # 7. HR closes screening early over the API: the top-10 rule passes it.
    closed = ok(
        hr.post(
            f"/api/v1/windows/{screening.pk}/close-early/",
            {"reason": "Enough ballots for the pilot."},
            format="json",
        )
    )
    assert closed["status"] == "applied", closed
    the_idea = Idea.objects.get(pk=idea["id"])
    assert the_idea.stage == Stage.GESTATION
    # Gestation and the panel are other issues' journeys: walk them quickly.
    hr_user = User.objects.get(email="hr.bot@example.com")
    for stage in (Stage.EVALUATION, Stage.REALIZATION):
        funnel.idea_transition(idea=the_idea, to=stage, actor=hr_user, reason="pilot")

    # 8. The integration finds the department in the directory and records
    # the adoption, owned by the department's manager.
    departments = ok(hr.get("/api/v1/departments/", {"search": "Operations Lab"}))
    department = next(d for d in departments["results"] if d["code"] == "ops-lab")
    assert department["id"] == found[0]["department"]["id"]
    assert [d["code"] for d in department["path"]] == ["ops", "ops-lab"]
    manager = ok(hr.get(f"/api/v1/people/{found[0]['manager']}/"))
    assert manager["email"] == MANAGER
    outcome = ok(
        hr.post(
            f"/api/v1/ideas/{idea['id']}/realization/outcomes/",
            {
                "kind": "adopted",
                "department": department["id"],
                "owner": manager["id"],
                "notes": "Piloted in two warehouses.",
            },
            format="json",
        ),
        201,
    )
    assert (outcome["department_name"], outcome["owner_name"]) == (
        "Operations Lab",
        "Zhou Lan",
    )

    # What the database says at the end.
    season_row = Season.objects.get(pk=season["id"])
    assert season_row.status == Season.Status.OPEN
    assert WindowChange.objects.filter(
        window=screening, kind=WindowChange.Kind.MOVED, reason=REASON
    ).exists()
    assert WindowChange.objects.filter(
        window=screening, kind=WindowChange.Kind.CLOSED_EARLY
    ).exists()
    assert employee.department.code == "ops-lab"
    assert employee.manager.email == MANAGER
    assert employee.department.parent.code == "ops"
    assert set(
        Ballot.objects.filter(idea_id=idea["id"], window=screening).values_list(
            "voter__email", "choice"
        )
    ) == {(email, "support") for email in COLLEAGUES}
    assert Outcome.objects.filter(
        idea_id=idea["id"], kind=Outcome.Kind.ADOPTED, department__code="ops-lab"
    ).exists()
    # Every client above used a real token.
    assert AuthToken.objects.count() == 1 + 1 + len(COLLEAGUES)
