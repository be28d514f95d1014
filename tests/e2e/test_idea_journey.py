"""The foundation's journey in a real browser: draft → registered → team of two."""

import pytest
from playwright.sync_api import expect

from ideas.models import Idea, Stage, TeamMembership
from tests.factories import UserFactory, open_racecourse

from .conftest import assert_accessible, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-12345678"


def test_employee_registers_idea_and_colleague_joins(page):
    """An employee submits and registers an idea, invites a colleague who accepts."""
    racecourse = open_racecourse(name="Main racecourse")
    employee = UserFactory(email="li.wei@example.com", display_name="Li Wei")
    colleague = UserFactory(email="anna@example.com", display_name="Anna Berg")

    sign_in(page, employee.email, PASSWORD)
    assert_accessible(page)  # the home page
    page.get_by_role("link", name="Submit an idea").first.click()
    assert_accessible(page)
    page.get_by_label("Racecourse").select_option(value=str(racecourse.pk))
    page.get_by_label("Title").fill("Shared cold chain")
    page.get_by_label("One-line pitch").fill(
        "Rent spare refrigerated capacity by the box."
    )
    page.get_by_label("Problem").fill("Small sellers cannot afford cold logistics.")
    page.get_by_label("Proposal").fill("A **marketplace** for spare capacity.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", name="Shared cold chain")).to_be_visible()

    page.get_by_role("button", name="Register now").click()
    idea = Idea.objects.get(title="Shared cold chain")
    expect(page.get_by_text(idea.registration.code).first).to_be_visible()
    assert idea.stage == Stage.REGISTERED
    assert_accessible(page)  # the idea page

    page.get_by_placeholder("E-mail, name or employee number").fill(colleague.email)
    page.get_by_role("button", name="Invite", exact=True).click()
    expect(page.get_by_text("Anna Berg is invited.")).to_be_visible()
    sign_out(page)

    sign_in(page, colleague.email, PASSWORD)
    expect(page.get_by_text("Invitations for you")).to_be_visible()
    page.get_by_role("button", name="Accept").first.click()
    expect(page.get_by_text("Welcome to the team!")).to_be_visible()
    expect(
        page.locator(".card", has_text="Team").get_by_text("Anna Berg")
    ).to_be_visible()
    assert TeamMembership.objects.filter(idea=idea, user=colleague).exists()

    page.goto(f"/ideas/{idea.pk}/certificate/")
    expect(page.get_by_text(idea.registration.fingerprint)).to_be_visible()
    assert_accessible(page)
