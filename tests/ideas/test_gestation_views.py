"""Gestation pages: the team workspace, a resource request, the proposal, the
trainer's pages, HR's forms and the racecourse's gestation desk."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ideas.gestation.selectors.pages import gestation_story
from ideas.gestation.services.progress import milestone_create, progress_update_post
from ideas.gestation.services.resources import (
    resource_request_create,
    resource_request_grant,
)
from ideas.gestation.services.trainers import trainer_assign, trainer_request
from ideas.models import (
    Attachment,
    Milestone,
    ProgressUpdate,
    ProposalExtension,
    ResourceRequest,
    Stage,
    TrainerAssignment,
    TrainerSession,
    Visibility,
)
from ideas.selectors import idea_get_visible
from tests.factories import UserFactory, idea_in_stage
from tests.factories_gestation import (
    budget_for,
    close_window,
    gestating_idea,
    trainer_for,
)

pytestmark = pytest.mark.django_db


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


def url(name, *args):
    return reverse(f"gestation:{name}", args=args)


def login(client, user):
    client.force_login(user)
    return client


def ask(idea, budget, amount="100"):
    return resource_request_create(
        idea=idea,
        actor=idea.author,
        resource=budget.resource,
        amount=Decimal(amount),
        justification="For the pilot",
    )


# --- Who may open the workspace ----------------------------------------------------------


def test_workspace_for_the_captain_shows_every_section_and_form(client, idea, budget):
    html = login(client, idea.author).get(url("workspace", idea.pk)).content.decode()
    for text in [
        "Gestation workspace",
        "Milestones",
        "Add milestone",
        "Post update",
        "Request a resource",
        "Send request",
        "Ask for a trainer",
        "Prepare the final proposal",
        budget.resource.name,
    ]:
        assert text in html


def test_workspace_for_a_member_has_no_captain_forms(client, idea, budget):
    html = login(client, idea.member).get(url("workspace", idea.pk)).content.decode()
    assert "Post update" in html
    assert "Send request" not in html and "Add milestone" not in html


def test_racecourse_admin_sees_resources_but_not_sessions(client, idea, admin, budget):
    trainer = trainer_for(idea)
    trainer_assign(idea=idea, actor=admin, trainer=trainer)
    html = login(client, admin).get(url("workspace", idea.pk)).content.decode()
    assert "Request a resource" not in html
    assert budget.resource.name in html
    assert "Trainer sessions" not in html
    assert "Assign a trainer" in html


def test_trainer_sees_sessions_but_not_resources(client, idea, admin, budget):
    trainer = trainer_for(idea)
    trainer_assign(idea=idea, actor=admin, trainer=trainer)
    html = login(client, trainer.user).get(url("workspace", idea.pk)).content.decode()
    assert "Trainer sessions" in html
    assert budget.resource.name not in html
    assert "Log a session" in html


def test_workspace_refusals(client, idea):
    """Seeing the idea but not its gestation: 403; not seeing it: 404."""
    assert (
        login(client, UserFactory()).get(url("workspace", idea.pk)).status_code == 403
    )
    secret = gestating_idea(visibility=Visibility.CONFIDENTIAL)
    assert client.get(url("workspace", secret.pk)).status_code == 404
    screening = idea_in_stage(Stage.SCREENING)
    login(client, screening.author)
    assert client.get(url("workspace", screening.pk)).status_code == 404
    assert client.get(url("workspace", 999999)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, idea):
    response = client.get(url("workspace", idea.pk))
    assert response.status_code == 302 and "login" in response["Location"]


# --- Team actions ------------------------------------------------------------------------


def test_captain_requests_a_resource(client, idea, budget):
    response = login(client, idea.author).post(
        url("request_create", idea.pk),
        {"resource": budget.resource.pk, "amount": "250.00", "justification": "Pilot"},
        follow=True,
    )
    assert "Your request is sent" in response.content.decode()
    request = ResourceRequest.objects.get(idea=idea)
    assert request.amount == Decimal("250.00")


def test_an_invalid_request_shows_errors_on_the_form(client, idea, budget):
    login(client, idea.author)
    response = client.post(
        url("request_create", idea.pk),
        {"resource": budget.resource.pk, "amount": "0", "justification": ""},
    )
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    ask(idea, budget)
    response = client.post(
        url("request_create", idea.pk),
        {"resource": budget.resource.pk, "amount": "5", "justification": "More"},
    )
    assert response.status_code == 200
    assert "already has an open request" in response.content.decode()


def test_member_posting_a_request_is_forbidden(client, idea, budget):
    response = login(client, idea.member).post(
        url("request_create", idea.pk),
        {"resource": budget.resource.pk, "amount": "5", "justification": "x"},
    )
    assert response.status_code == 403


def test_milestones_and_updates_from_the_browser(client, idea):
    login(client, idea.author)
    response = client.post(
        url("milestone_create", idea.pk), {"title": "Prototype", "due_on": ""}
    )
    assert response.status_code == 302
    milestone = Milestone.objects.get(idea=idea)
    assert (
        client.post(url("milestone_create", idea.pk), {"title": ""}).status_code == 200
    )

    login(client, idea.member)
    client.post(url("milestone_done", milestone.pk), {"done": "1"})
    milestone.refresh_from_db()
    assert milestone.is_done
    client.post(url("milestone_done", milestone.pk), {"done": "0"})
    milestone.refresh_from_db()
    assert not milestone.is_done
    response = client.post(
        url("update_create", idea.pk),
        {"body": "Prototype works", "milestone": milestone.pk, "milestone_done": "on"},
    )
    assert response.status_code == 302
    assert ProgressUpdate.objects.get(idea=idea).milestone == milestone
    milestone.refresh_from_db()
    assert milestone.is_done
    assert client.post(url("update_create", idea.pk), {"body": ""}).status_code == 200
    # A member may not remove milestones; the refusal is a 403.
    assert client.post(url("milestone_delete", milestone.pk)).status_code == 403
    login(client, idea.author)
    client.post(url("milestone_delete", milestone.pk))
    assert not Milestone.objects.filter(pk=milestone.pk).exists()


def test_captain_asks_for_a_trainer(client, idea):
    trainer = trainer_for(idea)
    response = login(client, idea.author).post(
        url("trainer_request", idea.pk), {"message": "Pricing", "trainer": trainer.pk}
    )
    assert response.status_code == 302
    assert TrainerAssignment.objects.get(idea=idea).status == "requested"
    response = client.post(url("trainer_request", idea.pk), {"message": "Again"})
    assert response.status_code == 200
    assert "already has a trainer or an open request" in response.content.decode()


# --- One resource request --------------------------------------------------------------


def test_admin_grants_from_the_request_page(client, idea, budget, admin):
    request = ask(idea, budget, "300")
    login(client, admin)
    page = client.get(url("request", request.pk)).content.decode()
    assert "Grant" in page and "Ask the team" in page and "Decline" in page
    form = {"action": "grant", "amount": "200", "note": ""}
    response = client.post(url("request", request.pk), form)
    # Money moves only once the amount and the project are confirmed.
    assert response.status_code == 200
    question = response.content.decode()
    assert f"Grant ¥200 of {budget.resource.name} to “{idea.title}”?" in question
    request.refresh_from_db()
    assert request.status == "pending"
    response = client.post(url("request", request.pk), form | {"confirm_amount": "200"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.granted_amount) == ("granted", Decimal("200"))


def test_a_grant_confirmed_for_another_amount_is_asked_again(
    client, idea, budget, admin
):
    request = ask(idea, budget, "300")
    form = {"action": "grant", "amount": "250", "note": "", "confirm_amount": "200"}
    response = login(client, admin).post(url("request", request.pk), form)
    assert response.status_code == 200
    assert 'name="confirm_amount" value="250"' in response.content.decode()
    request.refresh_from_db()
    assert request.status == "pending"


def test_an_overdrawing_grant_shows_what_is_left_on_the_form(
    client, idea, budget, admin
):
    other = gestating_idea(racecourse=idea.racecourse)
    resource_request_grant(request=ask(other, budget, "900"), actor=admin)
    request = ask(idea, budget, "300")
    response = login(client, admin).post(
        url("request", request.pk), {"action": "grant", "amount": "", "note": ""}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Only 100.00" in html and "is-invalid" in html
    request.refresh_from_db()
    assert request.status == "pending"


def test_question_answer_cancel_and_decline(client, idea, budget, admin):
    request = ask(idea, budget)
    login(client, admin)
    assert (
        client.post(url("request", request.pk), {"action": "decline"}).status_code
        == 200
    )
    client.post(url("request", request.pk), {"action": "ask", "question": "Why?"})
    request.refresh_from_db()
    assert request.status == "question"
    login(client, idea.author)
    assert "Send answer" in client.get(url("request", request.pk)).content.decode()
    client.post(url("request", request.pk), {"action": "answer", "answer": "Because"})
    request.refresh_from_db()
    assert request.status == "pending"
    client.post(url("request", request.pk), {"action": "cancel"})
    request.refresh_from_db()
    assert request.status == "cancelled"
    assert (
        client.post(url("request", request.pk), {"action": "nope"}).status_code == 404
    )


def test_request_page_is_not_for_trainers_or_strangers(client, idea, budget, admin):
    request = ask(idea, budget)
    trainer = trainer_for(idea)
    trainer_assign(idea=idea, actor=admin, trainer=trainer)
    assert (
        login(client, trainer.user).get(url("request", request.pk)).status_code == 403
    )
    assert (
        login(client, UserFactory()).get(url("request", request.pk)).status_code == 403
    )
    # The team may read but not decide: a decision attempt is a 403.
    login(client, idea.author)
    page = client.get(url("request", request.pk)).content.decode()
    assert "Ask the team" not in page
    response = client.post(url("request", request.pk), {"action": "grant"})
    assert response.status_code == 403


# --- The proposal ---------------------------------------------------------------------


def test_captain_attaches_files_and_submits_the_proposal(client, idea):
    login(client, idea.author)
    page = client.get(url("proposal", idea.pk)).content.decode()
    assert "Submit the final proposal" in page and "Attach file" in page
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 x", "application/pdf")
    response = client.post(url("proposal_file_upload", idea.pk), {"file": upload})
    assert response.status_code == 302
    attachment = Attachment.objects.get(idea=idea)
    assert attachment.kind == "proposal"
    # The idea page's own list leaves proposal files out.
    detail = idea_get_visible(user=idea.author, pk=idea.pk)
    assert list(detail.attachments.all()) == []

    response = client.post(url("proposal", idea.pk), {"summary": "", "document": ""})
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    response = client.post(
        url("proposal", idea.pk),
        {"summary": "Boxes", "document": "# Plan"},
        follow=True,
    )
    assert "moves on to evaluation" in response.content.decode()
    idea.refresh_from_db()
    assert idea.stage == Stage.EVALUATION
    page = client.get(url("proposal", idea.pk)).content.decode()
    assert "Submitted by" in page and "plan.pdf" in page and "Attach file" not in page


def test_a_bad_proposal_file_is_refused_on_the_form(client, idea):
    login(client, idea.author)
    bad = SimpleUploadedFile("plan.exe", b"MZ", "application/octet-stream")
    response = client.post(url("proposal_file_upload", idea.pk), {"file": bad})
    assert response.status_code == 200
    assert "not accepted" in response.content.decode()


def test_proposal_file_removal(client, idea):
    login(client, idea.author)
    upload = SimpleUploadedFile("notes.txt", b"hello", "text/plain")
    client.post(url("proposal_file_upload", idea.pk), {"file": upload})
    attachment = Attachment.objects.get(idea=idea)
    client.post(url("proposal_file_delete", attachment.pk))
    assert not Attachment.objects.filter(pk=attachment.pk).exists()


def test_member_reads_but_cannot_submit(client, idea):
    login(client, idea.member)
    page = client.get(url("proposal", idea.pk)).content.decode()
    assert "Submit the final proposal" not in page
    response = client.post(url("proposal", idea.pk), {"summary": "s", "document": "d"})
    assert response.status_code == 403


def test_after_the_close_the_captain_is_told_on_the_form(client, idea):
    close_window(idea.racecourse.windows.get(stage="gestation"))
    login(client, idea.author)
    response = client.post(url("proposal", idea.pk), {"summary": "s", "document": "d"})
    assert response.status_code == 200
    assert "can no longer be submitted" in response.content.decode()


# --- Trainers --------------------------------------------------------------------------


def test_trainer_home_and_session_log(client, idea, admin):
    trainer = trainer_for(idea)
    assignment = trainer_assign(idea=idea, actor=admin, trainer=trainer)
    login(client, trainer.user)
    home = client.get(url("trainer")).content.decode()
    assert idea.title in home and "Log a session" in home
    page = client.get(url("assignment", assignment.pk)).content.decode()
    assert "Save session" in page
    today = timezone.localdate()
    response = client.post(
        url("assignment", assignment.pk),
        {"held_on": today, "duration_minutes": 45, "topic": "Pricing", "notes": "n"},
    )
    assert response.status_code == 302
    assert TrainerSession.objects.get().topic == "Pricing"
    future = today + dt.timedelta(days=2)
    response = client.post(
        url("assignment", assignment.pk),
        {"held_on": future, "duration_minutes": 45, "topic": "Later"},
    )
    assert response.status_code == 200
    assert "once it has been held" in response.content.decode()


def test_trainer_home_without_teams(client):
    page = login(client, UserFactory()).get(url("trainer")).content.decode()
    assert "You are not coaching any team" in page


def test_session_log_is_private(client, idea, admin):
    trainer = trainer_for(idea)
    assignment = trainer_assign(idea=idea, actor=admin, trainer=trainer)
    assert login(client, admin).get(url("assignment", assignment.pk)).status_code == 403
    login(client, idea.member)
    page = client.get(url("assignment", assignment.pk))
    assert page.status_code == 200 and "Save session" not in page.content.decode()
    response = client.post(
        url("assignment", assignment.pk),
        {"held_on": timezone.localdate(), "duration_minutes": 5, "topic": "x"},
    )
    assert response.status_code == 403


def test_admin_assigns_declines_and_ends(client, idea, admin):
    trainer = trainer_for(idea, capacity=1)
    request = trainer_request(idea=idea, actor=idea.author, message="Help")
    login(client, admin)
    page = client.get(url("trainer_assign", idea.pk)).content.decode()
    assert "Help" in page and str(trainer.user) in page and "Assign trainer" in page
    response = client.post(url("trainer_assign", idea.pk), {"trainer": trainer.pk})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "active"
    # The trainer is full: the form says so.
    other = gestating_idea(racecourse=idea.racecourse)
    response = client.post(url("trainer_assign", other.pk), {"trainer": trainer.pk})
    assert response.status_code == 200 and "capacity" in response.content.decode()
    client.post(url("assignment_end", request.pk))
    request.refresh_from_db()
    assert request.status == "ended"
    asked = trainer_request(idea=other, actor=other.author)
    client.post(url("trainer_decline", asked.pk), {"reason": "No"})
    asked.refresh_from_db()
    assert asked.status == "declined"


def test_the_team_may_not_assign(client, idea):
    assert (
        login(client, idea.author).get(url("trainer_assign", idea.pk)).status_code
        == 403
    )


# --- HR's forms --------------------------------------------------------------------------


def test_hr_extends_and_eliminates(client, idea, hr_admin):
    login(client, hr_admin)
    assert client.get(url("extension", idea.pk)).status_code == 200
    until = timezone.localtime() + dt.timedelta(days=30)
    response = client.post(
        url("extension", idea.pk),
        {"until": until.strftime("%Y-%m-%dT%H:%M"), "reason": "Supplier delay"},
    )
    assert response.status_code == 302
    assert ProposalExtension.objects.filter(idea=idea).exists()
    response = client.post(
        url("extension", idea.pk), {"until": "2001-01-01T00:00", "reason": "x"}
    )
    assert response.status_code == 200 and "in the future" in response.content.decode()

    response = client.post(url("eliminate", idea.pk), {"reason": "Silent"})
    assert response.status_code == 200
    assert "still open" in response.content.decode()
    close_window(idea.racecourse.windows.get(stage="gestation"))
    response = client.post(url("eliminate", idea.pk), {"reason": "Silent"})
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.stage == Stage.ELIMINATED


def test_racecourse_admins_do_not_extend_or_eliminate(client, idea, admin):
    login(client, admin)
    assert client.get(url("extension", idea.pk)).status_code == 403
    assert client.get(url("eliminate", idea.pk)).status_code == 403


# --- The desk -----------------------------------------------------------------------------


def test_desk_shows_queue_budgets_trainers_and_projects(client, idea, budget, admin):
    request = ask(idea, budget, "300")
    trainer_for(idea)
    trainer_request(idea=idea, actor=idea.author, message="Need pricing help")
    milestone_create(idea=idea, actor=idea.author, title="Prototype")
    html = login(client, admin).get(url("desk", idea.racecourse_id)).content.decode()
    for text in [
        "Grant queue",
        url("request", request.pk),
        budget.resource.name,
        "Teams asking for a trainer",
        "Need pricing help",
        "Projects in gestation",
        "0 / 1",
    ]:
        assert text in html
    assert "Extend" not in html  # racecourse admins do not extend


def test_desk_for_hr_offers_extensions_and_after_the_close_elimination(
    client, idea, hr_admin
):
    login(client, hr_admin)
    html = client.get(url("desk", idea.racecourse_id)).content.decode()
    assert url("extension", idea.pk) in html and url("eliminate", idea.pk) not in html
    close_window(idea.racecourse.windows.get(stage="gestation"))
    html = client.get(url("desk", idea.racecourse_id)).content.decode()
    assert url("eliminate", idea.pk) in html and "waits for HR" in html


def test_desk_refusals(client, idea):
    assert (
        login(client, idea.author).get(url("desk", idea.racecourse_id)).status_code
        == 403
    )
    assert client.get(url("desk", 999999)).status_code == 404


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def _grow(racecourse, budget, admin, n):
    for i in range(n):
        other = gestating_idea(racecourse=racecourse, title=f"Project {i}")
        milestone_create(idea=other, actor=other.author, title="m")
        progress_update_post(idea=other, actor=other.author, body="b")
        ask(other, budget, "1")
        trainer_request(idea=other, actor=other.author)


def test_desk_queries_do_not_grow_with_projects(
    client, idea, budget, admin, django_assert_max_num_queries
):
    trainer_for(idea)
    login(client, admin)
    _grow(idea.racecourse, budget, admin, 1)
    few = _queries(client, url("desk", idea.racecourse_id))
    _grow(idea.racecourse, budget, admin, 5)
    with django_assert_max_num_queries(few):
        client.get(url("desk", idea.racecourse_id))


# --- The racecourse page and the idea page's story ---------------------------------------------


def test_racecourse_page_shows_gestation_progress_in_constant_queries(
    client, idea, budget, admin, django_assert_max_num_queries
):
    viewer = UserFactory()
    login(client, viewer)
    milestone = milestone_create(idea=idea, actor=idea.author, title="Prototype")
    progress_update_post(
        idea=idea,
        actor=idea.author,
        body="Done",
        milestone=milestone,
        milestone_done=True,
    )
    page_url = idea.racecourse.get_absolute_url()
    html = client.get(page_url).content.decode()
    assert "Gestation progress" in html and "1 / 1" in html
    assert url("desk", idea.racecourse_id) not in html
    few = _queries(client, page_url)
    _grow(idea.racecourse, budget, admin, 5)
    with django_assert_max_num_queries(few):
        client.get(page_url)
    assert (
        url("desk", idea.racecourse_id)
        in login(client, admin).get(page_url).content.decode()
    )


def _story(idea, user):
    shown = idea_get_visible(user=user, pk=idea.pk)
    story = gestation_story(idea=shown, user=user)
    return story, render_to_string(
        "ideas/gestation/_story.html", {"gestation": story, "user": user}
    )


def test_story_is_none_before_gestation():
    idea = idea_in_stage(Stage.SCREENING)
    story, html = _story(idea, idea.author)
    assert story is None and html.strip() == ""


def test_story_shows_the_team_everything_and_links_the_workspace(idea, budget, admin):
    resource_request_grant(request=ask(idea, budget, "300"), actor=admin)
    trainer = trainer_for(idea)
    trainer_assign(idea=idea, actor=admin, trainer=trainer)
    milestone_create(idea=idea, actor=idea.author, title="Prototype")
    progress_update_post(idea=idea, actor=idea.member, body="Started the prototype")
    story, html = _story(idea, idea.member)
    assert story["workspace_url"] == url("workspace", idea.pk)
    assert [line.team_granted for line in story["resources"]] == [Decimal("300")]
    assert story["trainer"].trainer == trainer
    for text in [
        "Open the team workspace",
        budget.resource.name,
        str(trainer.user),
        "Prototype",
        "Started the prototype",
        "has not been submitted yet",
    ]:
        assert text in html


def test_story_for_an_employee_hides_resources_and_trainer(idea, budget, admin):
    resource_request_grant(request=ask(idea, budget, "300"), actor=admin)
    trainer_assign(idea=idea, actor=admin, trainer=trainer_for(idea))
    milestone_create(idea=idea, actor=idea.author, title="Prototype")
    story, html = _story(idea, UserFactory())
    assert story["resources"] is None and story["trainer"] is None
    assert story["workspace_url"] is None
    assert "Prototype" in html and budget.resource.name not in html
    assert "Open the team workspace" not in html


def test_story_after_the_proposal_shows_its_summary_and_files(client, idea):
    login(client, idea.author)
    upload = SimpleUploadedFile("deck.pdf", b"%PDF-1.4 x", "application/pdf")
    client.post(url("proposal_file_upload", idea.pk), {"file": upload})
    client.post(url("proposal", idea.pk), {"summary": "Boxes for all", "document": "d"})
    idea.refresh_from_db()
    story, html = _story(idea, UserFactory())
    assert story["proposal"].summary == "Boxes for all"
    assert "Boxes for all" in html and "deck.pdf" in html


def test_draft_proposal_files_stay_with_the_team_until_submitted(client, idea):
    """A colleague cannot list or download the files before the proposal is in."""
    from rest_framework.test import APIClient

    from ideas.models import Attachment

    login(client, idea.author)
    upload = SimpleUploadedFile("deck.pdf", b"%PDF-1.4 x", "application/pdf")
    client.post(url("proposal_file_upload", idea.pk), {"file": upload})
    attachment = Attachment.objects.get(idea=idea, kind=Attachment.Kind.PROPOSAL)
    download = reverse("ideas:attachment_download", args=[attachment.pk])
    files = f"/api/v1/ideas/{idea.pk}/proposal/files/"
    colleague = UserFactory()
    api = APIClient()
    api.force_authenticate(colleague)
    login(client, colleague)
    assert client.get(download).status_code == 404
    assert api.get(files).status_code == 403
    login(client, idea.author)
    assert client.get(download).status_code == 200
    client.post(url("proposal", idea.pk), {"summary": "Boxes for all", "document": "d"})
    login(client, colleague)
    assert client.get(download).status_code == 200
    assert [f["name"] for f in api.get(files).json()] == ["deck.pdf"]


# --- The admin -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "contests_resource_changelist",
        "contests_resource_add",
        "contests_trainer_changelist",
        "ideas_resourcerequest_changelist",
        "ideas_trainerassignment_changelist",
        "ideas_finalproposal_changelist",
        "ideas_proposalextension_changelist",
        "ideas_milestone_changelist",
        "ideas_progressupdate_changelist",
    ],
)
def test_hr_manages_the_catalogue_and_reads_gestation_in_the_admin(
    client, idea, budget, name
):
    ask(idea, budget)
    hr = UserFactory(is_hr_admin=True, is_staff=True, is_superuser=True)
    assert login(client, hr).get(reverse(f"admin:{name}")).status_code == 200


def test_resource_admin_edits_budgets_inline(client, idea, budget):
    hr = UserFactory(is_hr_admin=True, is_staff=True, is_superuser=True)
    page = login(client, hr).get(
        reverse("admin:contests_resource_change", args=[budget.resource.pk])
    )
    assert page.status_code == 200
    assert "budgets-0-amount" in page.content.decode()


def test_the_workspace_links_the_teams_conflicts_page(client, idea):
    """The captain finds where to name evaluators the team has a conflict with."""
    client.force_login(idea.author)
    page = client.get(reverse("gestation:workspace", args=[idea.pk])).content.decode()
    assert reverse("evaluation:idea_conflicts", args=[idea.pk]) in page
