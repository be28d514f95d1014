"""Everyone hears and talks (issue 11), in a real browser.

A colleague comments on an idea in screening and mentions a teammate; the
teammate, who chose a daily digest for mentions, finds it under the bell and
in the inbox (opening it marks it read), and in the daily digest e-mail; HR
hides another comment with a reason, which its author is told; after the
round's close the captain downloads the voters' reasons (never their names),
and HR downloads everyone's innovation record as Excel.
"""

import csv
import io
import os
import re
from pathlib import Path

import pytest
from django.core import mail
from openpyxl import load_workbook
from playwright.sync_api import expect

from horserace.notifications.models import Notification
from horserace.notifications.tasks import notifications_digest_daily
from ideas.models import Comment
from tests.horserace.core.exports.world import apply_round, build
from tests.journeys import PASSWORD

from .conftest import assert_accessible, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MENTION = "@milo.member could you check the cold-chain costs?"
SPAM = "Cheap watches at spam.example, click now"


def _shot(page, name: str) -> None:
    assert_accessible(page)
    folder = os.environ.get("E2E_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def _comment(page, text: str) -> None:
    form = page.locator(
        "#discussion form", has=page.get_by_role("button", name="Post comment")
    )
    form.locator("textarea[name=body]").fill(text)
    form.get_by_role("button", name="Post comment").click()
    expect(page.locator("#discussion").get_by_text(text)).to_be_visible()


def test_talk_from_a_mention_to_the_innovation_record(page):
    w = build()
    w.member.email = "milo.member@example.com"
    w.member.save(update_fields=["email"])
    idea = w.idea

    # The teammate wants mentions gathered in the daily digest.
    sign_in(page, w.member.email, PASSWORD)
    page.goto("/notifications/preferences/")
    page.locator("select[name='kind:ideas.discussion.mentioned']").select_option(
        "daily"
    )
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Your notification settings are saved.")).to_be_visible()
    _shot(page, "talk-01-preferences")
    sign_out(page)

    # A colleague comments, mentioning the teammate, and posts some spam.
    sign_in(page, w.employee.email, PASSWORD)
    page.goto(idea.get_absolute_url())
    _comment(page, MENTION)
    _comment(page, SPAM)
    _shot(page, "talk-02-discussion")
    sign_out(page)

    # The teammate finds it under the bell; opening it marks it read.
    sign_in(page, w.member.email, PASSWORD)
    page.goto("/")
    bell = page.locator("#bell")
    expect(bell.locator("#bell-count")).to_be_visible()
    bell.locator("a.nav-link").first.click()
    preview = page.locator("#bell-preview")
    link = preview.get_by_role("link", name=re.compile("Eli Employee mentioned you"))
    expect(link).to_be_visible()
    link.click()
    page.wait_for_url(f"**{idea.get_absolute_url()}**")
    expect(page.locator("#discussion").get_by_text("could you check")).to_be_visible()
    mention = Notification.objects.get(
        recipient=w.member, kind="ideas.discussion.mentioned"
    )
    assert mention.read_at is not None
    page.goto("/notifications/")
    _shot(page, "talk-03-inbox")
    sign_out(page)

    # The daily digest carries the mention, in plain text and HTML.
    mail.outbox.clear()
    notifications_digest_daily()
    (digest,) = [m for m in mail.outbox if m.to == [w.member.email]]
    assert "Cold boxes" in digest.body
    assert "Eli Employee" in digest.body
    (html, mimetype), *_ = digest.alternatives
    assert mimetype == "text/html" and "Cold boxes" in html
    notifications_digest_daily()  # a retried run mails nothing twice
    assert len([m for m in mail.outbox if m.to == [w.member.email]]) == 1

    # HR hides the spam, with a reason its author is told.
    sign_in(page, w.hr.email, PASSWORD)
    page.goto(idea.get_absolute_url())
    spam = Comment.objects.get(body=SPAM)
    page.locator(f"#comment-{spam.pk}").get_by_role("link", name="Hide").click()
    _shot(page, "talk-04-hide")
    page.locator("textarea[name=reason], input[name=reason]").fill(
        "Advertising, not about the idea."
    )
    page.get_by_role("button", name="Hide the comment").click()
    # The moderator still reads what was hidden, marked with the reason.
    expect(
        page.locator(f"#comment-{spam.pk}").get_by_text(
            "Hidden by a moderator: Advertising, not about the idea."
        )
    ).to_be_visible()
    spam.refresh_from_db()
    assert spam.hidden_reason == "Advertising, not about the idea."
    told = Notification.objects.get(
        recipient=w.employee, kind="ideas.discussion.comment_hidden"
    )
    assert "Advertising" in told.body

    # The round closes; the captain downloads what the voters said.
    sign_out(page)
    apply_round(w.window)
    sign_in(page, w.captain.email, PASSWORD)
    page.goto(idea.get_absolute_url())
    hidden = page.locator(f"#comment-{spam.pk}")
    expect(
        hidden.get_by_text("This comment was hidden by a moderator.")
    ).to_be_visible()
    expect(hidden.get_by_text(SPAM)).to_have_count(0)
    page.goto(f"/screening/ideas/{idea.pk}/feedback/")
    expect(page.get_by_text("Already exists")).to_be_visible()
    _shot(page, "talk-05-feedback")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert any("Already exists" in row for row in rows)
    assert any("Useful for small sellers" in row for row in rows)
    for voter in w.voters:
        assert voter.display_name not in text and voter.email not in text
    sign_out(page)

    # HR downloads everyone's innovation record as Excel.
    sign_in(page, w.hr.email, PASSWORD)
    page.goto("/exports/")
    _shot(page, "talk-06-exports")
    record = page.locator("section", has=page.locator("#export-records"))
    with page.expect_download() as download:
        record.get_by_role("button", name="Excel").click()
    data = Path(download.value.path()).read_bytes()
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:5] == ["employee_number", "name", "email", "department", "role"]
    captain = [r for r in rows[1:] if r[1] == "Cora Captain"]
    assert captain and captain[0][4] == "captain" and captain[0][7] == "Cold boxes"
