"""Online screening in a real browser: judge three ideas, then read the results."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contests.closing import window_apply
from contests.models import StageWindow
from tests.factories import UserFactory
from tests.voting.factories import screening_idea, screening_round
from voting.models import Ballot, Choice
from voting.screening.services.ballots import ballot_cast

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-12345678"

# What the rest of the company already thinks: title → (supports, opposes).
# Wide enough apart that one more judgment cannot change the order.
STANDING = {
    "Returnable parcel boxes": (8, 0),
    "Shared cold chain": (4, 4),
    "Blockchain loyalty points": (0, 8),
}


def _round_with_ballots():
    window = screening_round(rule=StageWindow.Rule.TOP_K, top_k=2)
    ideas = {title: screening_idea(window, title=title) for title in STANDING}
    crowd = [UserFactory() for _ in range(8)]
    for title, (supports, opposes) in STANDING.items():
        choices = [Choice.SUPPORT] * supports + [Choice.OPPOSE] * opposes
        for person, choice in zip(crowd, choices, strict=True):
            ballot_cast(voter=person, idea=ideas[title], choice=choice)
    return window, ideas


def _close(window):
    """Move time on: the window closed a minute ago (no sleeping)."""
    now = timezone.now()
    StageWindow.objects.filter(pk=window.pk).update(
        opens_at=now - dt.timedelta(days=7), closes_at=now - dt.timedelta(minutes=1)
    )
    window.refresh_from_db()
    window_apply(window=window)


def _watch_console(page) -> list[str]:
    """Errors in the browser console, CSP violations included."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def test_employee_judges_three_ideas_then_sees_the_ranking(page):
    window, ideas = _round_with_ballots()
    employee = UserFactory(email="lin.xiaoyu@example.com", display_name="Lin Xiaoyu")
    errors = _watch_console(page)

    sign_in(page, employee.email, PASSWORD)
    page.goto(window.racecourse.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="Judge ideas").click()
    expect(page.get_by_role("heading", name="Judge ideas")).to_be_visible()
    assert_accessible(page)
    progress = page.locator("#judge-progress")
    expect(progress).to_contain_text("0 of 3 judged")
    title = page.locator("#judge-title")

    first = title.inner_text()
    page.get_by_role("button", name="Support").click()
    expect(progress).to_contain_text("1 of 3 judged")
    expect(title).not_to_have_text(first)
    expect(page.get_by_role("status")).to_contain_text(f"You support “{first}”")

    second = title.inner_text()
    page.get_by_label("Why? (optional, up to 280 characters)").fill("Costly to run.")
    page.get_by_role("button", name="Oppose").click()
    expect(progress).to_contain_text("2 of 3 judged")
    expect(title).not_to_have_text(second)

    third = title.inner_text()
    page.keyboard.press("s")
    expect(progress).to_contain_text("3 of 3 judged")
    expect(page.get_by_text("You have judged every idea")).to_be_visible()

    mine = dict(
        Ballot.objects.filter(voter=employee).values_list("idea__title", "choice")
    )
    assert mine == {first: "support", second: "oppose", third: "support"}
    assert Ballot.objects.get(voter=employee, idea__title=second).reason == (
        "Costly to run."
    )

    # While the window is open, the employee does not see the counts.
    page.goto(f"/screening/{window.racecourse_id}/results/")
    expect(page.get_by_text("Results after")).to_be_visible()
    assert_accessible(page)

    _close(window)
    page.goto(f"/screening/{window.racecourse_id}/results/")
    rows = page.locator("table.results-table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Returnable parcel boxes")
    expect(rows.nth(1)).to_contain_text("Shared cold chain")
    expect(rows.nth(2)).to_contain_text("Blockchain loyalty points")
    expect(rows.nth(0)).to_contain_text("Passed")
    expect(rows.nth(2)).to_contain_text("Eliminated")
    assert_accessible(page)
    expect(page.get_by_text("How the ranking works")).to_be_visible()
    # Chart.js drew the chart from the page's JSON (no inline script needed).
    page.wait_for_function(
        "document.getElementById('results-chart').getAttribute('width') !== null"
    )
    assert page.evaluate("() => typeof window.Chart") == "function"
    assert errors == []


def test_judging_page_fits_a_phone(browser, live_server):
    """At 390 px wide the buttons are big and nothing scrolls sideways."""
    window, ideas = _round_with_ballots()
    employee = UserFactory(email="phone@example.com")
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-US",
        viewport={"width": 390, "height": 844},
        has_touch=True,
        is_mobile=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, employee.email, PASSWORD)
        page.goto(f"/screening/{window.racecourse_id}/judge/")
        support = page.get_by_role("button", name="Support")
        expect(support).to_be_visible()
        box = support.bounding_box()
        assert box["height"] >= 44  # a comfortable touch target
        assert box["x"] + box["width"] <= 390
        assert page.evaluate(
            "() => document.documentElement.scrollWidth <= window.innerWidth"
        )
        support.tap()
        expect(page.locator("#judge-progress")).to_contain_text("1 of 3 judged")
    finally:
        context.close()


def test_hr_refreshes_the_live_tally_on_a_phone(browser, live_server):
    """HR's "Refresh tally" recounts now; a second click says when it may run
    again; at 390 px the header and the message fit the screen."""
    from django.core.cache import cache

    cache.clear()
    window, ideas = _round_with_ballots()
    hr = UserFactory(email="hr-phone@example.com", is_hr_admin=True)
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-US",
        viewport={"width": 390, "height": 844},
        has_touch=True,
        is_mobile=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, hr.email, PASSWORD)
        page.goto(f"/screening/{window.racecourse_id}/results/")
        page.get_by_role("button", name="Refresh tally").tap()
        expect(page.get_by_text("Tally refreshed: 3 ideas recounted.")).to_be_visible()
        expect(page.locator(".results-table tbody tr")).to_have_count(3)
        page.get_by_role("button", name="Refresh tally").tap()
        expect(page.get_by_text("You can refresh it again at")).to_be_visible()
        assert page.evaluate(
            "() => document.documentElement.scrollWidth <= window.innerWidth"
        )
    finally:
        context.close()
        cache.clear()
