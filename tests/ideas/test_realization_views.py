"""Realization pages: the desk, a project's page, a manager's approvals and
each action's form — status codes, forms, errors on the form, 403 and 404."""

from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ideas.models import InvestmentPlan, Outcome, Stage, TimeAllocation, Tranche
from ideas.realization.selectors import realization_story
from ideas.realization.services.allocations import time_allocation_propose
from ideas.realization.services.outcomes import outcome_record
from ideas.realization.services.reviews import tranche_review_submit
from tests.factories import DepartmentFactory
from tests.factories_realization import plan_for, realization_world, release

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return realization_world()


def page(w):
    return reverse("realization:project", args=[w.idea.pk])


def as_user(client, user):
    client.force_login(user)
    return client


def first_tranche(w):
    return InvestmentPlan.objects.get(idea=w.idea).tranches.get(position=1)


# --- The desk ---------------------------------------------------------------------


def test_the_desk_is_for_hr_and_racecourse_admins(client, w):
    """HR and the admin get the desk; a colleague a 403; a visitor the login."""
    url = reverse("realization:desk")
    assert client.get(url).status_code == 302
    for user in (w.hr, w.admin):
        response = as_user(client, user).get(url)
        assert response.status_code == 200
        assert w.idea.title in response.content.decode()
    assert as_user(client, w.colleague).get(url).status_code == 403


def test_the_desk_lists_waiting_reviews_with_a_decide_button_for_hr(client, w):
    """A submitted review shows on the desk; HR gets "Decide", the admin not."""
    plan = plan_for(w.idea, actor=w.hr)
    tranche_review_submit(
        tranche=plan.tranches.get(position=1), actor=w.member, review="Pilot done"
    )
    body = as_user(client, w.hr).get(reverse("realization:desk")).content.decode()
    assert "Milestone reviews waiting for HR" in body and "Decide" in body
    body = as_user(client, w.admin).get(reverse("realization:desk")).content.decode()
    assert "HR decides" in body


def test_an_empty_desk_says_so(client, hr_admin):
    """No project, no review: helpful empty states."""
    body = as_user(client, hr_admin).get(reverse("realization:desk")).content.decode()
    assert "No project is in realization" in body
    assert "No milestone review is waiting" in body


def _busy_projects(n):
    worlds = [realization_world() for _ in range(n)]
    for w in worlds:
        plan = plan_for(w.idea, actor=w.hr)
        tranche_review_submit(
            tranche=plan.tranches.get(position=1), actor=w.member, review="x"
        )
    return worlds


def test_the_desk_renders_in_constant_queries(client, django_assert_max_num_queries):
    """Twelve projects with plans and reviews cost no more queries than two."""
    _busy_projects(2)
    hr = realization_world().hr
    client.force_login(hr)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("realization:desk")).status_code == 200
    _busy_projects(10)
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("realization:desk"))
    assert response.content.decode().count("realization/tranches/") >= 12


# --- A project's page -------------------------------------------------------------


@pytest.mark.parametrize("role", ["captain", "member", "hr", "admin"])
def test_the_project_page_opens_for_team_hr_and_admin(client, w, role):
    """The team, HR and the racecourse's admin see the page."""
    assert as_user(client, getattr(w, role)).get(page(w)).status_code == 200


def test_the_project_page_is_refused_or_hidden(client, w):
    """A colleague who sees the idea gets 403; before realization it is a 404."""
    assert as_user(client, w.colleague).get(page(w)).status_code == 403
    early = realization_world(Stage.EVALUATION)
    url = reverse("realization:project", args=[early.idea.pk])
    assert as_user(client, early.hr).get(url).status_code == 404


def test_each_role_sees_its_own_buttons(client, w):
    """Admins plan and record, HR closes, the team submits reviews."""
    body = as_user(client, w.admin).get(page(w)).content.decode()
    assert "Record an outcome" in body and "Create the investment plan" in body
    assert "Close the project" not in body
    assert "Close the project" in as_user(client, w.hr).get(page(w)).content.decode()
    plan_for(w.idea, actor=w.hr)
    body = as_user(client, w.member).get(page(w)).content.decode()
    assert "Submit milestone review" in body and "Record an outcome" not in body
    assert "Add a tranche" not in body


def test_hr_sees_the_review_to_decide(client, w):
    """A waiting review shows on the page with approve and send back for HR only."""
    plan_for(w.idea, actor=w.hr)
    tranche_review_submit(
        tranche=first_tranche(w), actor=w.member, review="Pilot with 40 sellers"
    )
    body = as_user(client, w.hr).get(page(w)).content.decode()
    assert "Pilot with 40 sellers" in body
    assert "Approve and release" in body and "Send back" in body
    body = as_user(client, w.admin).get(page(w)).content.decode()
    assert "Approve and release" not in body and "waits for HR" in body


def test_the_project_page_renders_in_constant_queries(
    client, w, django_assert_max_num_queries
):
    """Many outcomes, allocations and tranches: a fixed number of queries."""
    for n in range(6):
        outcome_record(idea=w.idea, actor=w.hr, kind="venture", venture_name=f"V{n}")
    time_allocation_propose(idea=w.idea, actor=w.hr, member=w.member, share=20)
    plan = plan_for(w.idea, actor=w.hr, amounts=[str(n + 1) for n in range(10)])
    release(plan.tranches.get(position=1), team_member=w.member, hr=w.hr)
    client.force_login(w.hr)
    with django_assert_max_num_queries(25):
        assert client.get(page(w)).status_code == 200


# --- Outcomes and allocations -----------------------------------------------------


def test_recording_an_outcome(client, w):
    """GET shows the form; a valid POST records and goes back with a message."""
    url = reverse("realization:outcome_add", args=[w.idea.pk])
    client.force_login(w.admin)
    assert client.get(url).status_code == 200
    department = DepartmentFactory()
    response = client.post(
        url,
        {"kind": "adopted", "department": department.pk, "owner": w.colleague.email},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == page(w)
    assert "The outcome is recorded." in response.content.decode()
    outcome = Outcome.objects.get()
    assert (outcome.department, outcome.owner) == (department, w.colleague)


def test_an_incomplete_outcome_shows_its_errors_on_the_form(client, w):
    """An adoption with no department: the form comes back with the message."""
    url = reverse("realization:outcome_add", args=[w.idea.pk])
    response = as_user(client, w.hr).post(url, {"kind": "adopted", "owner": "nobody"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "No active colleague" in body
    response = client.post(url, {"kind": "adopted", "owner": w.colleague.email})
    assert "Say which department adopts the project." in response.content.decode()
    assert not Outcome.objects.exists()


def test_the_team_cannot_open_the_outcome_form(client, w):
    """The captain is refused (403)."""
    url = reverse("realization:outcome_add", args=[w.idea.pk])
    assert as_user(client, w.captain).get(url).status_code == 403
    assert as_user(client, w.captain).post(url, {"kind": "time"}).status_code == 403


def test_removing_an_outcome(client, w):
    """The admin removes an outcome; a refusal comes back as a message."""
    outcome = outcome_record(idea=w.idea, actor=w.hr, kind="venture", venture_name="V")
    url = reverse("realization:outcome_remove", args=[outcome.pk])
    assert as_user(client, w.captain).post(url).status_code == 403
    response = as_user(client, w.admin).post(url)
    assert response.status_code == 302 and not Outcome.objects.exists()
    allocation = time_allocation_propose(
        idea=w.idea, actor=w.hr, member=w.member, share=10
    )
    url = reverse("realization:outcome_remove", args=[allocation.outcome_id])
    response = client.post(url, follow=True)
    assert "stays on record" in response.content.decode()
    assert as_user(client, w.colleague).post(url).status_code == 404


def test_proposing_a_time_allocation(client, w):
    """The captain picks a member and a share; the manager is asked."""
    url = reverse("realization:allocation_propose", args=[w.idea.pk])
    client.force_login(w.captain)
    body = client.get(url).content.decode()
    assert "The Manager" in body  # the member's manager is named in the choice
    response = client.post(url, {"member": w.member.pk, "share": 20})
    assert response.status_code == 302
    assert TimeAllocation.objects.get().manager == w.manager


def test_a_member_without_a_manager_is_explained_on_the_form(client, w):
    """No manager on record: the form says so."""
    w.member.manager = None
    w.member.save()
    url = reverse("realization:allocation_propose", args=[w.idea.pk])
    response = as_user(client, w.hr).post(url, {"member": w.member.pk, "share": 20})
    assert response.status_code == 200
    assert "has no manager on record" in response.content.decode()
    response = client.post(url, {"member": w.member.pk, "share": 120})
    assert response.status_code == 200 and not TimeAllocation.objects.exists()


def test_a_member_cannot_propose(client, w):
    """Only the captain, HR and admins propose (403 for a member)."""
    url = reverse("realization:allocation_propose", args=[w.idea.pk])
    assert as_user(client, w.member).get(url).status_code == 403


def test_the_manager_decides_on_the_approvals_page(client, w):
    """The waiting share is listed; approving goes back to the list."""
    allocation = time_allocation_propose(
        idea=w.idea, actor=w.captain, member=w.member, share=20
    )
    client.force_login(w.manager)
    body = client.get(reverse("realization:approvals")).content.decode()
    assert w.idea.title in body and "Approve" in body
    url = reverse("realization:allocation_decide", args=[allocation.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"decision": "approve", "note": "OK"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("realization:approvals")
    assert "Approved." in response.content.decode()
    allocation.refresh_from_db()
    assert allocation.approved_at is not None
    assert "Nothing waits for your decision" in response.content.decode()


def test_declining_needs_a_note_on_the_form(client, w):
    """Decline with no note: the form says why; with a note it is declined."""
    allocation = time_allocation_propose(
        idea=w.idea, actor=w.captain, member=w.member, share=20
    )
    url = reverse("realization:allocation_decide", args=[allocation.pk])
    client.force_login(w.manager)
    response = client.post(url, {"decision": "decline", "note": ""})
    assert response.status_code == 200
    assert "Say why you decline." in response.content.decode()
    client.post(url, {"decision": "decline", "note": "Not now"})
    allocation.refresh_from_db()
    assert allocation.declined_at is not None


def test_only_the_manager_may_decide(client, w):
    """HR and the captain see the allocation but get 403; a stranger 404."""
    allocation = time_allocation_propose(
        idea=w.idea, actor=w.captain, member=w.member, share=20
    )
    url = reverse("realization:allocation_decide", args=[allocation.pk])
    for user in (w.hr, w.captain):
        response = as_user(client, user).post(url, {"decision": "approve"})
        assert response.status_code == 403
    assert as_user(client, w.colleague).get(url).status_code == 404


# --- The plan and its tranches ----------------------------------------------------


def _plan_post(rows, currency="CNY"):
    data = {
        "currency": currency,
        "tranches-TOTAL_FORMS": "4",
        "tranches-INITIAL_FORMS": "0",
        "tranches-MIN_NUM_FORMS": "0",
        "tranches-MAX_NUM_FORMS": "20",
    }
    for i, (amount, milestone) in enumerate(rows):
        data[f"tranches-{i}-amount"] = amount
        data[f"tranches-{i}-milestone"] = milestone
    return data


def test_creating_the_plan_from_the_filled_rows(client, w):
    """Filled rows become tranches in order; empty rows are ignored."""
    url = reverse("realization:plan_create", args=[w.idea.pk])
    client.force_login(w.admin)
    assert "tranches-TOTAL_FORMS" in client.get(url).content.decode()
    response = client.post(url, _plan_post([("1000", "Pilot"), ("2500", "Launch")]))
    assert response.status_code == 302
    plan = InvestmentPlan.objects.get()
    assert [(t.position, t.amount) for t in plan.tranches.order_by("position")] == [
        (1, Decimal("1000.00")),
        (2, Decimal("2500.00")),
    ]


def test_an_empty_or_bad_plan_shows_its_errors(client, w):
    """No rows, or a row with no milestone: errors on the form, no plan."""
    url = reverse("realization:plan_create", args=[w.idea.pk])
    client.force_login(w.hr)
    response = client.post(url, _plan_post([]))
    assert response.status_code == 200
    assert "Plan at least one tranche." in response.content.decode()
    response = client.post(url, _plan_post([("10", "")]))
    assert response.status_code == 200
    assert not InvestmentPlan.objects.exists()


def test_the_team_cannot_create_a_plan(client, w):
    """403 for the captain."""
    url = reverse("realization:plan_create", args=[w.idea.pk])
    assert as_user(client, w.captain).get(url).status_code == 403


def test_adding_editing_and_cancelling_tranches(client, w):
    """Add at the end, edit a planned one (form starts filled), cancel one."""
    client.force_login(w.admin)
    add = reverse("realization:tranche_add", args=[w.idea.pk])
    assert client.get(add).status_code == 302  # no plan yet: create it first
    plan_for(w.idea, actor=w.hr, amounts=("1",))
    assert client.post(add, {"amount": "5", "milestone": "More"}).status_code == 302
    second = Tranche.objects.get(position=2)
    edit = reverse("realization:tranche_edit", args=[second.pk])
    assert 'value="More"' in client.get(edit).content.decode()
    client.post(edit, {"amount": "7", "milestone": "Even more"})
    second.refresh_from_db()
    assert (second.amount, second.milestone) == (Decimal("7.00"), "Even more")
    response = client.post(edit, {"amount": "-1", "milestone": "x"})
    assert response.status_code == 200
    client.post(reverse("realization:tranche_cancel", args=[second.pk]))
    second.refresh_from_db()
    assert second.status == Tranche.Status.CANCELLED
    response = client.post(
        reverse("realization:tranche_cancel", args=[second.pk]), follow=True
    )
    assert "only planned tranches can change" in response.content.decode()
    assert as_user(client, w.member).get(edit).status_code == 403


def test_the_team_submits_a_review_and_hr_releases(client, w):
    """The member's review goes to HR; HR's approval releases the tranche."""
    plan_for(w.idea, actor=w.hr, amounts=("1", "2"))
    tranche = first_tranche(w)
    review = reverse("realization:tranche_review", args=[tranche.pk])
    response = as_user(client, w.member).post(review, {"review": ""})
    assert response.status_code == 200  # the form, with its error
    response = client.post(review, {"review": "Pilot done"}, follow=True)
    assert "is sent to HR" in response.content.decode()
    approve = reverse("realization:tranche_approve", args=[tranche.pk])
    assert as_user(client, w.admin).post(approve).status_code == 403
    body = as_user(client, w.hr).get(approve).content.decode()
    assert "Pilot done" in body
    # The first post asks to confirm the amount and the project; nothing moves.
    response = client.post(approve, {"note": "Good"})
    assert response.status_code == 200
    question = response.content.decode()
    assert f"Release ¥1 to “{w.idea.title}”?" in question
    assert 'name="note" value="Good"' in question
    tranche.refresh_from_db()
    assert tranche.status == Tranche.Status.IN_REVIEW
    response = client.post(
        approve, {"note": "Good", "confirm_amount": "1.00"}, follow=True
    )
    assert "is released" in response.content.decode()
    tranche.refresh_from_db()
    assert tranche.status == Tranche.Status.RELEASED


def test_hr_sends_back_with_a_note_on_the_form(client, w):
    """No note: the form says what is missing; with a note, back to planned."""
    plan_for(w.idea, actor=w.hr)
    tranche = first_tranche(w)
    tranche_review_submit(tranche=tranche, actor=w.member, review="x")
    url = reverse("realization:tranche_send_back", args=[tranche.pk])
    client.force_login(w.hr)
    assert client.post(url, {"note": ""}).status_code == 200
    client.post(url, {"note": "Numbers please"})
    tranche.refresh_from_db()
    assert (tranche.status, tranche.decision_note) == ("planned", "Numbers please")
    body = as_user(client, w.member).get(page(w)).content.decode()
    assert "HR sent the last review back" in body and "Numbers please" in body


def test_a_refused_review_shows_the_reason_on_the_form(client, w):
    """Reviewing the second tranche first: the form says why."""
    plan_for(w.idea, actor=w.hr)
    second = InvestmentPlan.objects.get().tranches.get(position=2)
    url = reverse("realization:tranche_review", args=[second.pk])
    response = as_user(client, w.member).post(url, {"review": "x"})
    assert response.status_code == 200
    assert "must be released before" in response.content.decode()


def test_strangers_get_404_for_tranches(client, w):
    """A colleague cannot reach a tranche's pages."""
    plan_for(w.idea, actor=w.hr)
    tranche = first_tranche(w)
    for name in ("tranche_review", "tranche_approve", "tranche_edit"):
        url = reverse(f"realization:{name}", args=[tranche.pk])
        assert as_user(client, w.colleague).get(url).status_code == 404


def test_hr_closes_the_project(client, w):
    """The reason is required; closing eliminates the idea."""
    url = reverse("realization:close", args=[w.idea.pk])
    assert as_user(client, w.admin).get(url).status_code == 403
    client.force_login(w.hr)
    assert client.post(url, {"reason": ""}).status_code == 200
    response = client.post(url, {"reason": "Market moved"}, follow=True)
    assert "has left the race" in response.content.decode()
    w.idea.refresh_from_db()
    assert w.idea.stage == Stage.ELIMINATED


# --- The idea page's summary ------------------------------------------------------


def test_the_story_partial_shows_amounts_only_to_those_allowed(w):
    """The team sees the ledger; a colleague sees outcomes and progress only."""
    outcome_record(idea=w.idea, actor=w.hr, kind="venture", venture_name="ColdBox Ltd")
    plan = plan_for(w.idea, actor=w.hr, amounts=("1234.5",))
    release(plan.tranches.get(), team_member=w.member, hr=w.hr)
    w.idea.refresh_from_db()
    full = render_to_string(
        "ideas/realization/_story.html",
        {"realization": realization_story(idea=w.idea, user=w.member)},
    )
    assert "ColdBox Ltd" in full and "1,234.50" in full
    assert "Open the realization page" in full
    limited = render_to_string(
        "ideas/realization/_story.html",
        {"realization": realization_story(idea=w.idea, user=w.colleague)},
    )
    assert "ColdBox Ltd" in limited and "1,234.50" not in limited
    assert "Funded in 1 stage: 1 released." in limited
    assert render_to_string("ideas/realization/_story.html", {}).strip() == ""
