"""One project from shortlisted to funded, in a real browser.

The captain asks for a testing environment and the racecourse admin grants
it; HR assigns a trainer, who logs a session; the captain hands in the final
proposal with a file; HR assigns evaluators automatically — two score the
project, while the captain's manager, an evaluator of the pool with an
automatic conflict, is never assigned and cannot open the scorecard; HR
selects the project at the panel meeting and funds it in two tranches; the
team submits its first milestone review and HR releases the first tranche.
The idea page then tells the whole story.
"""

import os
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ideas.models import FinalProposal, ResourceRequest, Stage, Tranche
from tests.journeys import PASSWORD, project_world
from voting.models import Assignment, PanelDecision, Scorecard

from .conftest import assert_accessible, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, user):
    sign_in(page, user.email, PASSWORD)


def _shot(page, name: str) -> None:
    """Check the step's page with axe; with E2E_SCREENSHOTS=<folder>, keep a
    full-page picture of it."""
    assert_accessible(page)
    folder = os.environ.get("E2E_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def test_a_project_goes_from_shortlisted_to_its_first_tranche(page, tmp_path):
    w = project_world()
    idea, racecourse = w["idea"], w["racecourse"]
    page.on("dialog", lambda dialog: dialog.accept())  # "Are you sure?" prompts

    # The captain asks for four slots of the staging cluster.
    _as(page, w["captain"])
    page.goto(f"/gestation/ideas/{idea.pk}/")
    request_form = page.locator(
        "form", has=page.get_by_role("button", name="Send request")
    )
    request_form.locator("select[name=resource]").select_option(
        label="Staging cluster (Testing environment, slots)"
    )
    request_form.locator("input[name=amount]").fill("4")
    request_form.locator("textarea[name=justification]").fill(
        "Load tests with real parcel volumes before the pilot."
    )
    request_form.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Waiting for a decision").first).to_be_visible()
    _shot(page, "workspace")
    sign_out(page)

    # The racecourse admin grants three of them from the desk.
    _as(page, w["admin"])
    page.goto(f"/racecourses/{racecourse.pk}/")
    page.get_by_role("link", name="Gestation desk").click()
    page.get_by_role("link", name="Review").first.click()
    grant = page.locator("form", has=page.get_by_role("button", name="Grant"))
    grant.locator("input[name=amount]").fill("3")
    grant.get_by_role("button", name="Grant").click()
    # Money moves after a confirmation that names the amount and the project.
    expect(page.locator("[data-confirm-question]")).to_contain_text(idea.title)
    _shot(page, "grant_confirm")
    page.get_by_role("button", name="Yes, grant").click()
    expect(page.get_by_text("Granted").first).to_be_visible()
    request = ResourceRequest.objects.get(idea=idea)
    assert request.status == ResourceRequest.Status.GRANTED
    assert request.granted_amount == Decimal(3)
    _shot(page, "request_granted")
    sign_out(page)

    # HR assigns the trainer; the trainer logs a session.
    _as(page, w["hr"])
    page.goto(f"/gestation/ideas/{idea.pk}/trainer/assign/")
    assign = page.locator("form", has=page.get_by_role("button", name="Assign trainer"))
    assign.locator("select[name=trainer]").select_option(index=1)
    assign.get_by_role("button", name="Assign trainer").click()
    expect(page.get_by_text("Han Trainer").first).to_be_visible()
    sign_out(page)

    _as(page, w["mentor"])
    page.get_by_role("link", name="Coaching").click()
    page.get_by_role("link", name="Log a session").first.click()
    session = page.locator("form", has=page.get_by_role("button", name="Save session"))
    session.locator("input[name=topic]").fill("Pilot scope")
    session.locator("textarea[name=notes]").fill("Start with three villages.")
    session.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Pilot scope").first).to_be_visible()
    _shot(page, "session_log")
    sign_out(page)

    # The captain attaches a file and hands in the final proposal.
    _as(page, w["captain"])
    page.goto(f"/gestation/ideas/{idea.pk}/proposal/")
    plan = tmp_path / "pilot-plan.pdf"
    plan.write_bytes(b"%PDF-1.4\n% pilot plan\n")
    upload = page.locator("form", has=page.get_by_role("button", name="Attach file"))
    upload.locator("input[type=file]").set_input_files(str(plan))
    upload.get_by_role("button", name="Attach file").click()
    expect(page.get_by_text("pilot-plan.pdf").first).to_be_visible()
    proposal = page.locator(
        "form", has=page.get_by_role("button", name="Submit the final proposal")
    )
    proposal.locator("[name=summary]").fill(
        "Lockers at village shops, run by the shop."
    )
    proposal.locator("textarea[name=document]").fill(
        "## Pilot\nThree villages, 90 days."
    )
    proposal.get_by_role("button", name="Submit the final proposal").click()
    page.wait_for_load_state()
    idea.refresh_from_db()
    assert idea.stage == Stage.EVALUATION
    assert FinalProposal.objects.filter(idea=idea).exists()
    _shot(page, "after_proposal")
    sign_out(page)

    # HR assigns evaluators: two are assigned, the captain's manager is not.
    _as(page, w["hr"])
    page.goto(f"/racecourses/{racecourse.pk}/")
    page.get_by_role("link", name="Evaluators & assignments").click()
    page.get_by_role("button", name="Assign automatically").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    assigned = set(
        Assignment.objects.filter(idea=idea).values_list("evaluator_id", flat=True)
    )
    assert assigned == {e.pk for e in w["evaluators"]}
    _shot(page, "assignments")
    sign_out(page)

    # Both evaluators score it from their evaluation page.
    for evaluator, scores in zip(w["evaluators"], [(5, 4, 8), (4, 4, 6)], strict=True):
        _as(page, evaluator)
        page.get_by_role("link", name="Evaluation", exact=True).click()
        page.get_by_role("link", name="Score", exact=True).click()
        expect(page.locator("input[name^=score_]").first).to_be_visible()
        for field, value in zip(
            page.locator("input[name^=score_]").all(), scores, strict=True
        ):
            field.fill(str(value))
        page.locator("textarea[name=team_comment]").fill("Clear pilot; price it.")
        page.get_by_role("button", name="Submit scorecard").click()
        expect(page.locator(".alert-success").first).to_be_visible()
        _shot(page, f"scorecard-{evaluator.pk}")
        sign_out(page)
    assert (
        Scorecard.objects.filter(
            assignment__idea=idea, status=Scorecard.Status.SUBMITTED
        ).count()
        == 2
    )

    # The conflicted evaluator sees nothing of it.
    _as(page, w["manager"])
    page.goto("/evaluation/")
    expect(page.get_by_role("heading", name="My assignments")).to_be_visible()
    expect(
        page.locator(".evaluation-assignments, .evaluation-preferences").get_by_text(
            "Parcel lockers in villages"
        )
    ).to_have_count(0)
    expect(
        page.locator(".evaluation-conflicts").get_by_text("Parcel lockers in villages")
    ).to_have_count(1)
    response = page.goto(f"/evaluation/ideas/{idea.pk}/scorecard/")
    assert response.status == 403
    sign_out(page)

    # HR selects it at the panel meeting.
    _as(page, w["hr"])
    page.goto(f"/evaluation/racecourses/{racecourse.pk}/panel/")
    decision = page.locator("form.decision-form").first
    if not decision.is_visible():
        page.locator("details summary").first.click()
    decision.locator("textarea").fill(
        "Fund a 90-day pilot; report the cost per parcel."
    )
    decision.get_by_role("button", name="Select for realization").click()
    page.wait_for_load_state()
    idea.refresh_from_db()
    assert idea.stage == Stage.REALIZATION
    assert PanelDecision.objects.get(idea=idea).outcome == "selected"
    _shot(page, "panel")

    # HR funds it in two tranches.
    page.goto(f"/realization/ideas/{idea.pk}/")
    page.get_by_role("link", name="Create the investment plan").click()
    page.locator("input[name$='0-amount']").fill("50000")
    page.locator("[name$='0-milestone']").fill("Three villages live")
    page.locator("input[name$='1-amount']").fill("150000")
    page.locator("[name$='1-milestone']").fill("Thirty villages live")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_text("Three villages live").first).to_be_visible()
    sign_out(page)

    # A team member reports the first milestone.
    _as(page, w["member"])
    page.goto(f"/realization/ideas/{idea.pk}/")
    page.locator("textarea[name=review]").fill("All three villages are live.")
    page.get_by_role("button", name="Submit milestone review").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    sign_out(page)

    # HR approves the review, which releases the first tranche.
    _as(page, w["hr"])
    page.goto(f"/realization/ideas/{idea.pk}/")
    page.get_by_role("button", name="Approve and release").click()
    expect(page.locator("[data-confirm-question]")).to_contain_text("Release ¥")
    expect(page.locator("[data-confirm-question]")).to_contain_text(idea.title)
    assert Tranche.objects.get(plan__idea=idea, position=1).status == "in_review"
    _shot(page, "release_confirm")
    page.get_by_role("button", name="Yes, release").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    first, second = Tranche.objects.filter(plan__idea=idea).order_by("position")
    assert first.status == Tranche.Status.RELEASED
    assert second.status == Tranche.Status.PLANNED
    _shot(page, "realization")
    sign_out(page)

    # The captain reads the whole story on the idea page.
    _as(page, w["captain"])
    page.goto(f"/ideas/{idea.pk}/")
    for text in (
        "Staging cluster",
        "Han Trainer",
        "Lockers at village shops, run by the shop.",
        "Fund a 90-day pilot; report the cost per parcel.",
        "Clear pilot; price it.",
        "Three villages live",
    ):
        expect(page.get_by_text(text).first).to_be_visible()
    _shot(page, "story")
