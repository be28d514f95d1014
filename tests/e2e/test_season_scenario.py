"""Issue 10's scenario in a real browser, one walk from HR's console to a ballot.

HR copies last season in the Season console, moves its online screening on
the timeline so that it is open now (a confirmation and a reason), reviews
and opens the season, and imports the employee file; the new employee from
that file registers an idea, which joins the open screening at once; two
colleagues from the file judge it, one of them on a phone. The API twin is
tests/test_api_season_scenario.py.
"""

import zoneinfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contests.models import Racecourse, Season, StageWindow, WindowChange, WindowStage
from horserace.accounts.models import DirectoryImport, User
from ideas.models import Idea, Stage, StageTransition
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
from voting.models import Ballot

from .conftest import assert_accessible, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HR_PASSWORD = "pw-12345678"  # what UserFactory sets
PASSWORD = "first-day-at-work"
REASON = "Screening opens with registration so early ideas are judged at once."


def _with_password(email: str) -> User:
    """Imported people have no password: in production they sign in through
    SSO (OIDC); here the test gives them one."""
    user = User.objects.get(email=email)
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def _phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-US",
        viewport={"width": 390, "height": 844},
        has_touch=True,
        is_mobile=True,
    )
    context.set_default_timeout(15_000)
    return context


def _fits(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= window.innerWidth"
    )


def test_hr_runs_a_new_season_and_a_new_employee_is_judged(page, browser, live_server):
    source = last_season()
    hr = UserFactory(email="hr@example.com", display_name="Hui Ran", is_hr_admin=True)
    year = source.year + 1
    name = f"Race {year}"

    # 1a. HR copies last season in the Season console.
    sign_in(page, hr.email, HR_PASSWORD)
    page.get_by_role("button", name="Run the race").click()
    # The nav's menu (HR's home page links the console too).
    page.locator(".dropdown-menu").get_by_role("link", name="Season console").click()
    expect(page.get_by_role("heading", name="Season console")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="New season").click()
    expect(page.get_by_label("A copy of an earlier season")).to_be_checked()
    expect(page.get_by_label("Season to copy")).to_have_value(str(source.pk))
    expect(page.get_by_role("spinbutton", name="Year")).to_have_value(str(year))
    page.get_by_role("textbox", name="Name").fill(name)
    page.get_by_role("button", name="Create the season").click()
    expect(
        page.get_by_text("The season is planned: check its windows.")
    ).to_be_visible()
    expect(page.get_by_role("heading", name=name)).to_contain_text("Planned")
    assert_accessible(page)  # the season's timeline

    season = Season.objects.get(name=name)
    main = Racecourse.objects.get(season=season, kind=Racecourse.Kind.MAIN)
    screening = StageWindow.objects.get(racecourse=main, stage=WindowStage.SCREENING)
    now = timezone.now()
    assert screening.opens_at > now  # copied a year on: it opens in ten days

    # 1b. HR moves the screening window to open now: the form, then a
    # confirmation of old → new, with the reason.
    row = page.locator(f"#window-{screening.pk}")
    expect(row).to_contain_text("Online screening")
    row.get_by_role("link", name="Move").click()
    expect(page.get_by_role("heading", name="Move")).to_be_visible()
    local = timezone.localtime(now - DAY / 24, zoneinfo.ZoneInfo(hr.time_zone))
    page.get_by_label("Opens at").fill(local.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Reason").fill(REASON)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Confirm the move")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_text(REASON)).to_be_visible()
    page.get_by_role("button", name="Move the window").click()
    expect(page.get_by_text("The window is moved.")).to_be_visible()
    row = page.locator(f"#window-{screening.pk}")
    expect(row.locator(".badge", has_text="open")).to_be_visible()
    row.locator("summary", has_text="changes").click()
    expect(row.get_by_text(REASON)).to_be_visible()

    # 1c. HR reviews and opens the season.
    page.get_by_role("link", name="Review and open").click()
    expect(page.get_by_role("heading", name=f"Review {name}")).to_be_visible()
    expect(page.locator(".list-group-item-danger")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="Open the season").click()
    expect(page.get_by_text("The season is open.")).to_be_visible()
    expect(page.get_by_role("heading", name=name)).to_contain_text("Open")

    # 1d. HR imports the employee file; the worker's task runs (eagerly in
    # tests) and the progress page reports it done.
    page.get_by_role("button", name="Run the race").click()
    page.locator(".dropdown-menu").get_by_role("link", name="Directory").click()
    expect(
        page.get_by_role("heading", name="Import the employee directory")
    ).to_be_visible()
    page.get_by_label("Employee file (CSV)").set_input_files(
        files=[
            {
                "name": "employees.csv",
                "mimeType": "text/csv",
                "buffer": EMPLOYEES_CSV.encode(),
            }
        ]
    )
    page.get_by_role("button", name="Start the import").click()
    expect(page.get_by_role("heading", name="Directory import")).to_be_visible()
    expect(page.locator("#import-status")).to_have_text("Done")
    expect(page.locator("dd[data-count=created]")).to_have_text("4")
    expect(page.locator("dd[data-count=errors]")).to_have_text("0")
    expect(page.get_by_text("Every row was read without error.")).to_be_visible()
    sign_out(page)

    # 2. The new employee from the file submits and registers an idea on
    # the new season's main racecourse; it joins the open screening at once.
    employee = _with_password(NEW_EMPLOYEE)
    sign_in(page, NEW_EMPLOYEE, PASSWORD)
    page.get_by_role("link", name="Submit an idea").first.click()
    page.get_by_label("Racecourse").select_option(value=str(main.pk))
    page.get_by_label("Title").fill(IDEA["title"])
    page.get_by_label("One-line pitch").fill(IDEA["pitch"])
    page.get_by_label("Problem").fill(IDEA["problem"])
    page.get_by_label("Proposal").fill(IDEA["proposal"])
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", name=IDEA["title"])).to_be_visible()
    page.get_by_role("button", name="Register now").click()
    entry = page.locator("#screening-entry")
    expect(entry).to_contain_text("In online screening until")
    expect(entry).to_contain_text("Joined on")
    idea = Idea.objects.get(title=IDEA["title"])
    expect(page.get_by_text(idea.registration.code).first).to_be_visible()
    sign_out(page)

    # 3. Colleagues judge it: one at a desk, from the racecourse page…
    desk = _with_password(COLLEAGUES[0])
    sign_in(page, desk.email, PASSWORD)
    page.goto(main.get_absolute_url())
    page.get_by_role("link", name="Judge ideas").click()
    expect(page.get_by_role("heading", name="Judge ideas")).to_be_visible()
    expect(page.locator("#judge-title")).to_have_text(IDEA["title"])
    expect(page.locator("#judge-progress")).to_contain_text("0 of 1 judged")
    page.get_by_role("button", name="Support").click()
    expect(page.locator("#judge-progress")).to_contain_text("1 of 1 judged")
    expect(page.get_by_text("You have judged every idea")).to_be_visible()

    # …and one on a phone, 390 px wide.
    phone_user = _with_password(COLLEAGUES[1])
    context = _phone(browser, live_server)
    try:
        phone = context.new_page()
        sign_in(phone, phone_user.email, PASSWORD)
        phone.goto(f"/screening/{main.pk}/judge/")
        expect(phone.locator("#judge-title")).to_have_text(IDEA["title"])
        support = phone.get_by_role("button", name="Support")
        expect(support).to_be_visible()
        assert _fits(phone)
        support.tap()
        expect(phone.locator("#judge-progress")).to_contain_text("1 of 1 judged")
        assert _fits(phone)
    finally:
        context.close()

    # What the database says at the end.
    season.refresh_from_db()
    assert season.status == Season.Status.OPEN
    move = WindowChange.objects.get(window=screening, kind=WindowChange.Kind.MOVED)
    assert (move.reason, move.actor) == (REASON, hr)
    assert move.old_opens_at > now > move.new_opens_at
    screening.refresh_from_db()
    assert screening.is_open(timezone.now())
    assert DirectoryImport.objects.get().status == DirectoryImport.Status.DONE
    employee.refresh_from_db()
    assert employee.employee_number == "S9001"
    assert (employee.department.code, employee.department.parent.code) == (
        "ops-lab",
        "ops",
    )
    assert employee.manager.email == MANAGER
    assert User.objects.get(email=COLLEAGUES[0]).manager.email == MANAGER
    idea.refresh_from_db()
    assert (idea.author, idea.racecourse, idea.stage) == (
        employee,
        main,
        Stage.SCREENING,
    )
    joined = StageTransition.objects.get(idea=idea, to_stage=Stage.SCREENING)
    assert joined.created_at >= screening.opens_at
    assert set(
        Ballot.objects.filter(idea=idea, window=screening).values_list(
            "voter__email", "choice"
        )
    ) == {(email, "support") for email in COLLEAGUES}
