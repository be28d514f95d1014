"""Gestation services: resource requests and the budget rule, milestones and
progress, the final proposal, HR's extensions and eliminations."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from contests.models import ResourceBudget
from horserace.notifications.models import Notification
from ideas.gestation.selectors.resources import budget_list
from ideas.gestation.services.progress import (
    milestone_create,
    milestone_delete,
    milestone_set_done,
    progress_update_post,
)
from ideas.gestation.services.proposal import (
    final_proposal_submit,
    gestation_eliminate,
    proposal_extension_grant,
)
from ideas.gestation.services.resources import (
    granted_total,
    resource_request_answer,
    resource_request_ask,
    resource_request_cancel,
    resource_request_create,
    resource_request_decline,
    resource_request_grant,
)
from ideas.gestation.services.trainers import trainer_assign
from ideas.models import (
    Attachment,
    FinalProposal,
    Milestone,
    ProposalExtension,
    ResourceRequest,
    Stage,
    StageTransition,
)
from ideas.services.attachments import attachment_add, attachment_remove
from tests.factories import (
    RacecourseFactory,
    StageWindowFactory,
    UserFactory,
    idea_in_stage,
    open_racecourse,
)
from tests.factories_gestation import (
    ResourceFactory,
    budget_for,
    close_window,
    gestating_idea,
    trainer_for,
)

pytestmark = pytest.mark.django_db


def code_of(error: ValidationError, field: str | None = None) -> str:
    """The machine code of a service refusal (of ``field`` when given)."""
    if field is not None:
        return error.error_dict[field][0].code
    return error.code


@pytest.fixture
def idea():
    return gestating_idea()


@pytest.fixture
def budget(idea):
    return budget_for(idea, "1000.00")


@pytest.fixture
def admin(idea):
    admin = UserFactory()
    idea.racecourse.admins.add(admin)
    return admin


def ask(idea, budget, amount="100", **kw) -> ResourceRequest:
    return resource_request_create(
        idea=idea,
        actor=idea.author,
        resource=budget.resource,
        amount=Decimal(amount),
        justification=kw.pop("justification", "For the pilot."),
        **kw,
    )


# --- Requesting -------------------------------------------------------------------------


def test_captain_requests_a_resource_and_the_racecourse_admins_hear(
    idea, budget, admin
):
    """A request waits for a decision; the racecourse's admins are notified."""
    request = ask(idea, budget, "250.50")
    assert request.status == ResourceRequest.Status.PENDING
    assert request.amount == Decimal("250.50")
    assert request.requested_by == idea.author
    assert Notification.objects.filter(recipient=admin).count() == 1


def test_without_racecourse_admins_hr_hears_of_requests(idea, budget, hr_admin):
    ask(idea, budget)
    assert Notification.objects.filter(recipient=hr_admin).exists()


@pytest.mark.parametrize("who", ["member", "stranger", "hr"])
def test_only_the_captain_requests_resources(idea, budget, who, hr_admin):
    actor = {"member": idea.member, "stranger": UserFactory(), "hr": hr_admin}[who]
    with pytest.raises(PermissionDenied):
        resource_request_create(
            idea=idea,
            actor=actor,
            resource=budget.resource,
            amount=Decimal("1"),
            justification="x",
        )


@pytest.mark.parametrize(
    "stage", [Stage.SCREENING, Stage.EVALUATION, Stage.REALIZATION, Stage.ELIMINATED]
)
def test_requests_only_while_in_gestation(stage):
    idea = idea_in_stage(stage)
    resource = ResourceFactory(season=idea.racecourse.season)
    with pytest.raises(PermissionDenied):
        resource_request_create(
            idea=idea,
            actor=idea.author,
            resource=resource,
            amount=Decimal("1"),
            justification="x",
        )


@pytest.mark.parametrize(
    ("amount", "code"),
    [("0", "not_positive"), ("-5", "not_positive"), ("1.234", "invalid")],
)
def test_a_request_needs_a_positive_amount_in_cents(idea, budget, amount, code):
    with pytest.raises(ValidationError) as error:
        ask(idea, budget, amount)
    assert code_of(error.value, "amount") == code


def test_a_request_needs_a_justification(idea, budget):
    with pytest.raises(ValidationError) as error:
        ask(idea, budget, justification="   ")
    assert "justification" in error.value.error_dict


def test_resource_of_another_season_or_closed_is_refused(idea, budget):
    other = ResourceFactory()
    with pytest.raises(ValidationError) as error:
        resource_request_create(
            idea=idea,
            actor=idea.author,
            resource=other,
            amount=Decimal("1"),
            justification="x",
        )
    assert code_of(error.value, "resource") == "not_offered"
    budget.resource.is_active = False
    budget.resource.save()
    with pytest.raises(ValidationError) as error:
        ask(idea, budget)
    assert code_of(error.value, "resource") == "not_offered"


def test_no_budget_on_the_racecourse_means_nothing_to_request(idea):
    resource = ResourceFactory(season=idea.racecourse.season)
    with pytest.raises(ValidationError) as error:
        resource_request_create(
            idea=idea,
            actor=idea.author,
            resource=resource,
            amount=Decimal("1"),
            justification="x",
        )
    assert code_of(error.value, "resource") == "no_budget"


def test_one_open_request_per_resource(idea, budget):
    first = ask(idea, budget)
    with pytest.raises(ValidationError) as error:
        ask(idea, budget)
    assert code_of(error.value, "resource") == "already_open"
    resource_request_cancel(request=first, actor=idea.author)
    assert ask(idea, budget).status == ResourceRequest.Status.PENDING


# --- Granting and the budget rule ----------------------------------------------------------


def test_granting_the_amount_asked_tells_the_team(idea, budget, admin):
    request = ask(idea, budget, "300")
    resource_request_grant(request=request, actor=admin, note="Go for it")
    request.refresh_from_db()
    assert request.status == ResourceRequest.Status.GRANTED
    assert request.granted_amount == Decimal("300")
    assert (request.decided_by, request.decision_note) == (admin, "Go for it")
    assert request.decided_at is not None
    assert Notification.objects.filter(recipient=idea.member).exists()


def test_granting_less_than_asked(idea, budget, hr_admin):
    request = ask(idea, budget, "300")
    resource_request_grant(request=request, actor=hr_admin, amount=Decimal("120.25"))
    request.refresh_from_db()
    assert request.granted_amount == Decimal("120.25")


def test_granting_more_than_asked_is_refused(idea, budget, admin):
    request = ask(idea, budget, "300")
    with pytest.raises(ValidationError) as error:
        resource_request_grant(request=request, actor=admin, amount=Decimal("301"))
    assert code_of(error.value, "amount") == "more_than_asked"


def test_a_grant_never_overdraws_the_budget_and_says_what_is_left(idea, budget, admin):
    """Budget 1000: 700 granted to one team, then 400 for another is refused."""
    other = gestating_idea(racecourse=idea.racecourse)
    resource_request_grant(request=ask(idea, budget, "700"), actor=admin)
    second = ask(other, budget, "400")
    with pytest.raises(ValidationError) as error:
        resource_request_grant(request=second, actor=admin)
    assert code_of(error.value, "amount") == "over_budget"
    message = error.value.messages[0]
    assert "300" in message and "1000" in message and "700" in message
    second.refresh_from_db()
    assert second.status == ResourceRequest.Status.PENDING
    # Exactly what is left can be granted; then nothing more.
    resource_request_grant(request=second, actor=admin, amount=Decimal("300"))
    assert granted_total(
        resource=budget.resource, racecourse=idea.racecourse
    ) == Decimal("1000")
    third = ask(gestating_idea(racecourse=idea.racecourse), budget, "0.01")
    with pytest.raises(ValidationError):
        resource_request_grant(request=third, actor=admin)


def test_budgets_are_per_racecourse(idea, budget, admin, hr_admin):
    """Grants of one resource on another racecourse do not count here."""
    department = RacecourseFactory(season=idea.racecourse.season)
    StageWindowFactory(racecourse=department)
    elsewhere = gestating_idea(racecourse=department)
    elsewhere_budget = ResourceBudget.objects.create(
        resource=budget.resource, racecourse=department, amount=Decimal("900")
    )
    resource_request_grant(
        request=ask(elsewhere, elsewhere_budget, "900"), actor=hr_admin
    )
    resource_request_grant(request=ask(idea, budget, "1000"), actor=admin)
    assert granted_total(resource=budget.resource, racecourse=department) == 900


def test_declined_and_cancelled_requests_do_not_use_the_budget(idea, budget, admin):
    resource_request_decline(request=ask(idea, budget, "900"), actor=admin, reason="No")
    other = gestating_idea(racecourse=idea.racecourse)
    resource_request_cancel(request=ask(other, budget, "900"), actor=other.author)
    resource_request_grant(request=ask(idea, budget, "1000"), actor=admin)


def test_no_budget_row_means_nothing_can_be_granted(idea, budget, admin):
    request = ask(idea, budget)
    budget.delete()
    with pytest.raises(ValidationError) as error:
        resource_request_grant(request=request, actor=admin)
    assert code_of(error.value, "amount") == "no_budget"


def test_a_lowered_budget_refuses_further_grants(idea, budget, admin):
    resource_request_grant(request=ask(idea, budget, "600"), actor=admin)
    budget.amount = Decimal("500")
    budget.save()
    other = gestating_idea(racecourse=idea.racecourse)
    with pytest.raises(ValidationError) as error:
        resource_request_grant(request=ask(other, budget, "1"), actor=admin)
    assert "0" in error.value.messages[0]  # nothing left, never a negative


@pytest.mark.parametrize("who", ["captain", "member", "stranger", "other_admin"])
def test_only_hr_and_the_racecourse_admins_decide(idea, budget, who):
    request = ask(idea, budget)
    other_admin = UserFactory()
    open_racecourse().admins.add(other_admin)
    actor = {
        "captain": idea.author,
        "member": idea.member,
        "stranger": UserFactory(),
        "other_admin": other_admin,
    }[who]
    for decide in (
        lambda: resource_request_grant(request=request, actor=actor),
        lambda: resource_request_decline(request=request, actor=actor, reason="r"),
        lambda: resource_request_ask(request=request, actor=actor, question="q"),
    ):
        with pytest.raises(PermissionDenied):
            decide()


def test_decisions_only_while_the_team_is_in_gestation(idea, budget, admin):
    request = ask(idea, budget)
    from ideas import funnel

    funnel.idea_eliminate(idea=idea, reason="test")
    with pytest.raises(PermissionDenied):
        resource_request_grant(request=request, actor=admin)


def test_an_answered_request_cannot_be_decided_again(idea, budget, admin):
    request = ask(idea, budget)
    resource_request_grant(request=request, actor=admin)
    for again in (
        lambda: resource_request_grant(request=request, actor=admin),
        lambda: resource_request_decline(request=request, actor=admin, reason="r"),
        lambda: resource_request_ask(request=request, actor=admin, question="q"),
        lambda: resource_request_cancel(request=request, actor=idea.author),
    ):
        with pytest.raises(ValidationError) as error:
            again()
        assert error.value.code == "not_open"


def test_declining_needs_a_reason_the_team_reads(idea, budget, admin):
    request = ask(idea, budget)
    with pytest.raises(ValidationError):
        resource_request_decline(request=request, actor=admin, reason=" ")
    resource_request_decline(request=request, actor=admin, reason="Out of scope")
    request.refresh_from_db()
    assert request.status == ResourceRequest.Status.DECLINED
    assert request.decision_note == "Out of scope"
    assert request.granted_amount is None
    assert Notification.objects.filter(
        recipient=idea.author, params__reason="Out of scope"
    ).exists()


# --- Questions and answers --------------------------------------------------------------


def test_a_question_waits_for_the_captain_whose_answer_requeues(idea, budget, admin):
    request = ask(idea, budget)
    resource_request_ask(request=request, actor=admin, question="Which vendor?")
    request.refresh_from_db()
    assert request.status == ResourceRequest.Status.QUESTION
    assert Notification.objects.filter(recipient=idea.author).exists()

    with pytest.raises(PermissionDenied):
        resource_request_answer(request=request, actor=idea.member, answer="A")
    with pytest.raises(ValidationError):
        resource_request_answer(request=request, actor=idea.author, answer="")
    resource_request_answer(request=request, actor=idea.author, answer="Vendor A")
    request.refresh_from_db()
    assert request.status == ResourceRequest.Status.PENDING
    assert [m.body for m in request.messages.all()] == ["Which vendor?", "Vendor A"]
    with pytest.raises(ValidationError) as error:
        resource_request_answer(request=request, actor=idea.author, answer="again")
    assert error.value.code == "no_question"


def test_a_question_needs_text_and_a_request_in_question_can_be_granted(
    idea, budget, admin
):
    request = ask(idea, budget)
    with pytest.raises(ValidationError):
        resource_request_ask(request=request, actor=admin, question="")
    resource_request_ask(request=request, actor=admin, question="Why?")
    resource_request_grant(request=request, actor=admin)


def test_only_the_captain_cancels(idea, budget):
    request = ask(idea, budget)
    with pytest.raises(PermissionDenied):
        resource_request_cancel(request=request, actor=idea.member)
    resource_request_cancel(request=request, actor=idea.author)
    request.refresh_from_db()
    assert request.status == ResourceRequest.Status.CANCELLED


def test_budget_lines_show_what_the_team_has_and_what_is_left(idea, budget, admin):
    other = gestating_idea(racecourse=idea.racecourse)
    resource_request_grant(request=ask(idea, budget, "200"), actor=admin)
    resource_request_grant(request=ask(other, budget, "300"), actor=admin)
    ask(idea, budget, "50")
    (line,) = budget_list(idea=idea)
    assert line.amount == Decimal("1000")
    assert line.granted == Decimal("500")
    assert line.left == Decimal("500")
    assert line.team_granted == Decimal("200")
    assert line.team_pending == Decimal("50")
    assert line.pending == Decimal("50")


# --- Milestones and progress -------------------------------------------------------------


def test_captain_sets_milestones_in_order(idea):
    first = milestone_create(idea=idea, actor=idea.author, title="Prototype")
    second = milestone_create(
        idea=idea,
        actor=idea.author,
        title="Pilot",
        due_on=timezone.localdate() + dt.timedelta(days=30),
    )
    assert (first.position, second.position) == (0, 1)
    with pytest.raises(ValidationError):
        milestone_create(idea=idea, actor=idea.author, title=" ")


@pytest.mark.parametrize("who", ["member", "stranger"])
def test_only_the_captain_sets_milestones(idea, who):
    actor = idea.member if who == "member" else UserFactory()
    with pytest.raises(PermissionDenied):
        milestone_create(idea=idea, actor=actor, title="x")
    milestone = milestone_create(idea=idea, actor=idea.author, title="x")
    with pytest.raises(PermissionDenied):
        milestone_delete(milestone=milestone, actor=actor)
    milestone_delete(milestone=milestone, actor=idea.author)
    assert not Milestone.objects.filter(pk=milestone.pk).exists()


def test_any_member_marks_milestones_done_and_undone(idea):
    milestone = milestone_create(idea=idea, actor=idea.author, title="x")
    milestone_set_done(milestone=milestone, actor=idea.member)
    milestone.refresh_from_db()
    done_at = milestone.done_at
    assert milestone.is_done
    milestone_set_done(milestone=milestone, actor=idea.author)  # already done
    milestone.refresh_from_db()
    assert milestone.done_at == done_at
    milestone_set_done(milestone=milestone, actor=idea.member, done=False)
    milestone.refresh_from_db()
    assert not milestone.is_done
    with pytest.raises(PermissionDenied):
        milestone_set_done(milestone=milestone, actor=UserFactory())


def test_members_post_updates_that_can_finish_a_milestone(idea):
    milestone = milestone_create(idea=idea, actor=idea.author, title="Pilot")
    trainer = trainer_for(idea)
    trainer_assign(idea=idea, actor=UserFactory(is_hr_admin=True), trainer=trainer)
    update = progress_update_post(
        idea=idea,
        actor=idea.member,
        body="Pilot ran in two stores.",
        milestone=milestone,
        milestone_done=True,
    )
    assert update.milestone == milestone
    milestone.refresh_from_db()
    assert milestone.is_done
    assert Notification.objects.filter(
        recipient=trainer.user, params__text="Pilot ran in two stores."
    ).exists()


def test_updates_need_text_and_the_team_s_own_milestone(idea):
    foreign = milestone_create(
        idea=(other := gestating_idea()), actor=other.author, title="x"
    )
    with pytest.raises(ValidationError):
        progress_update_post(idea=idea, actor=idea.author, body="")
    with pytest.raises(ValidationError) as error:
        progress_update_post(idea=idea, actor=idea.author, body="b", milestone=foreign)
    assert code_of(error.value, "milestone") == "other_team"


@pytest.mark.parametrize("stage", [Stage.SCREENING, Stage.EVALUATION])
def test_progress_only_in_gestation(stage):
    idea = idea_in_stage(stage)
    with pytest.raises(PermissionDenied):
        progress_update_post(idea=idea, actor=idea.author, body="b")
    with pytest.raises(PermissionDenied):
        milestone_create(idea=idea, actor=idea.author, title="t")


def test_strangers_and_hr_do_not_post_progress(idea, hr_admin):
    for actor in (UserFactory(), hr_admin):
        with pytest.raises(PermissionDenied):
            progress_update_post(idea=idea, actor=actor, body="b")


# --- The final proposal ---------------------------------------------------------------------


def pdf(name="plan.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


def test_submitting_the_proposal_moves_the_idea_to_evaluation(idea, admin):
    attachment = attachment_add(
        idea=idea, actor=idea.author, upload=pdf(), kind=Attachment.Kind.PROPOSAL
    )
    proposal = final_proposal_submit(
        idea=idea,
        actor=idea.author,
        summary="Cold chain by the box.",
        document="# Plan",
    )
    idea.refresh_from_db()
    assert idea.stage == Stage.EVALUATION
    assert proposal.submitted_by == idea.author
    assert attachment.kind == Attachment.Kind.PROPOSAL
    transition = StageTransition.objects.get(idea=idea, to_stage=Stage.EVALUATION)
    assert transition.actor == idea.author
    assert Notification.objects.filter(recipient=admin).exists()
    # Once only, and proposal files are frozen with it.
    with pytest.raises(ValidationError) as error:
        final_proposal_submit(idea=idea, actor=idea.author, summary="s", document="d")
    assert error.value.code == "already_submitted"
    with pytest.raises(PermissionDenied):
        attachment_remove(attachment=attachment, actor=idea.author)
    with pytest.raises(PermissionDenied):
        attachment_add(
            idea=idea, actor=idea.author, upload=pdf(), kind=Attachment.Kind.PROPOSAL
        )


def test_idea_attachments_keep_their_kind_and_rules(idea):
    attachment = attachment_add(idea=idea, actor=idea.author, upload=pdf())
    assert attachment.kind == Attachment.Kind.IDEA
    with pytest.raises(ValidationError):
        attachment_add(idea=idea, actor=idea.author, upload=pdf(), kind="other")


def test_proposal_files_only_by_the_captain(idea):
    with pytest.raises(PermissionDenied):
        attachment_add(
            idea=idea, actor=idea.member, upload=pdf(), kind=Attachment.Kind.PROPOSAL
        )


@pytest.mark.parametrize("who", ["member", "stranger", "hr"])
def test_only_the_captain_submits(idea, who, hr_admin):
    actor = {"member": idea.member, "stranger": UserFactory(), "hr": hr_admin}[who]
    with pytest.raises(PermissionDenied):
        final_proposal_submit(idea=idea, actor=actor, summary="s", document="d")


def test_proposal_needs_a_summary_and_a_document(idea):
    for summary, document, field in [("", "d", "summary"), ("s", " ", "document")]:
        with pytest.raises(ValidationError) as error:
            final_proposal_submit(
                idea=idea, actor=idea.author, summary=summary, document=document
            )
        assert field in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        final_proposal_submit(
            idea=idea, actor=idea.author, summary="x" * 501, document="d"
        )
    assert code_of(error.value, "summary") == "too_long"
    idea.refresh_from_db()
    assert idea.stage == Stage.GESTATION
    assert not FinalProposal.objects.filter(idea=idea).exists()


def test_no_window_means_the_proposal_can_come_any_time():
    idea = gestating_idea(window=False)
    final_proposal_submit(idea=idea, actor=idea.author, summary="s", document="d")
    idea.refresh_from_db()
    assert idea.stage == Stage.EVALUATION


def test_after_the_window_closes_only_an_extension_lets_the_proposal_in(idea, hr_admin):
    window = close_window(idea.racecourse.windows.get(stage="gestation"))
    with pytest.raises(ValidationError) as error:
        final_proposal_submit(idea=idea, actor=idea.author, summary="s", document="d")
    assert error.value.code == "deadline_passed"
    proposal_extension_grant(
        idea=idea,
        actor=hr_admin,
        until=timezone.now() + dt.timedelta(days=3),
        reason="Supplier delay",
    )
    assert window.closes_at < timezone.now()
    final_proposal_submit(idea=idea, actor=idea.author, summary="s", document="d")
    idea.refresh_from_db()
    assert idea.stage == Stage.EVALUATION


def test_an_expired_extension_lets_nothing_in(idea, hr_admin):
    close_window(idea.racecourse.windows.get(stage="gestation"), dt.timedelta(days=5))
    proposal_extension_grant(
        idea=idea,
        actor=hr_admin,
        until=timezone.now() + dt.timedelta(days=1),
        reason="r",
    )
    ProposalExtension.objects.filter(idea=idea).update(
        until=timezone.now() - dt.timedelta(minutes=1)
    )
    with pytest.raises(ValidationError):
        final_proposal_submit(idea=idea, actor=idea.author, summary="s", document="d")


def test_before_the_window_opens_the_proposal_waits(idea):
    window = idea.racecourse.windows.get(stage="gestation")
    window.opens_at = timezone.now() + dt.timedelta(days=1)
    window.closes_at = timezone.now() + dt.timedelta(days=9)
    window.save()
    with pytest.raises(ValidationError):
        final_proposal_submit(idea=idea, actor=idea.author, summary="s", document="d")


# --- HR: extensions and eliminations ---------------------------------------------------------


def test_hr_extends_the_deadline_and_the_team_hears(idea, hr_admin):
    until = timezone.now() + dt.timedelta(days=14)
    extension = proposal_extension_grant(
        idea=idea, actor=hr_admin, until=until, reason="Supplier delay"
    )
    assert (extension.until, extension.granted_by) == (until, hr_admin)
    assert Notification.objects.filter(
        recipient=idea.member, params__reason="Supplier delay"
    ).exists()


def test_extension_rules(idea, hr_admin, admin):
    """HR only; a reason; in the future; after the window's close."""
    later = timezone.now() + dt.timedelta(days=30)
    for actor in (admin, idea.author, UserFactory()):
        with pytest.raises(PermissionDenied):
            proposal_extension_grant(idea=idea, actor=actor, until=later, reason="r")
    with pytest.raises(ValidationError) as error:
        proposal_extension_grant(idea=idea, actor=hr_admin, until=later, reason=" ")
    assert "reason" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        proposal_extension_grant(
            idea=idea,
            actor=hr_admin,
            until=timezone.now() - dt.timedelta(minutes=1),
            reason="r",
        )
    assert code_of(error.value, "until") == "past"
    with pytest.raises(ValidationError) as error:
        proposal_extension_grant(
            idea=idea,
            actor=hr_admin,
            until=timezone.now() + dt.timedelta(days=2),  # window closes in 7
            reason="r",
        )
    assert code_of(error.value, "until") == "before_close"


def test_no_extension_outside_gestation(hr_admin):
    idea = idea_in_stage(Stage.EVALUATION)
    with pytest.raises(PermissionDenied):
        proposal_extension_grant(
            idea=idea,
            actor=hr_admin,
            until=timezone.now() + dt.timedelta(days=1),
            reason="r",
        )


def test_hr_eliminates_a_project_without_proposal_after_the_close(idea, hr_admin):
    with pytest.raises(ValidationError) as error:
        gestation_eliminate(idea=idea, actor=hr_admin, reason="r")
    assert error.value.code == "window_open"
    close_window(idea.racecourse.windows.get(stage="gestation"))
    with pytest.raises(ValidationError):
        gestation_eliminate(idea=idea, actor=hr_admin, reason="")
    gestation_eliminate(idea=idea, actor=hr_admin, reason="No proposal, no news")
    idea.refresh_from_db()
    assert idea.stage == Stage.ELIMINATED
    transition = StageTransition.objects.get(idea=idea, to_stage=Stage.ELIMINATED)
    assert (transition.actor, transition.reason) == (hr_admin, "No proposal, no news")


def test_only_hr_eliminates(idea, admin):
    close_window(idea.racecourse.windows.get(stage="gestation"))
    for actor in (admin, idea.author):
        with pytest.raises(PermissionDenied):
            gestation_eliminate(idea=idea, actor=actor, reason="r")
