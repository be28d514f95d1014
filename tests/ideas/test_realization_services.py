"""Realization services: outcomes, time allocations, the investment plan,
milestone reviews, releases and closing — each happy path and each refusal."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from horserace.notifications.models import Notification
from ideas import funnel
from ideas.models import (
    InvestmentPlan,
    Outcome,
    Stage,
    StageTransition,
    TimeAllocation,
    Tranche,
)
from ideas.realization.selectors import investment_plan_get
from ideas.realization.services.allocations import (
    time_allocation_approve,
    time_allocation_decline,
    time_allocation_propose,
)
from ideas.realization.services.closing import realization_close
from ideas.realization.services.outcomes import outcome_record, outcome_remove
from ideas.realization.services.plan import (
    investment_plan_create,
    tranche_add,
    tranche_cancel,
    tranche_update,
)
from ideas.realization.services.reviews import (
    tranche_approve,
    tranche_review_submit,
    tranche_send_back,
)
from tests.factories import DepartmentFactory, UserFactory
from tests.factories_realization import (
    CLOSED,
    add_member,
    plan_for,
    project,
    realization_world,
    release,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return realization_world()


def tranches(plan):
    return list(plan.tranches.order_by("position"))


def notified(user, text: str) -> bool:
    """Whether ``user`` has a notification whose subject (rendered) has ``text``."""
    notes = Notification.objects.filter(recipient=user)
    return any(text.lower() in note.subject.lower() for note in notes)


# --- Outcomes ---------------------------------------------------------------------


def test_hr_records_an_adoption_with_department_and_owner(w):
    """An adoption names the department and its owner; the team is told."""
    department, owner = DepartmentFactory(), UserFactory()
    outcome = outcome_record(
        idea=w.idea,
        actor=w.hr,
        kind=Outcome.Kind.ADOPTED,
        department=department,
        owner=owner,
        notes="Runs from Q3.",
    )
    assert (outcome.department, outcome.owner, outcome.recorded_by) == (
        department,
        owner,
        w.hr,
    )
    assert notified(w.member, "outcome recorded")


def test_racecourse_admin_records_a_venture_and_a_launch(w):
    """The racecourse's admin records a venture (name) and a launch (date)."""
    venture = outcome_record(
        idea=w.idea, actor=w.admin, kind="venture", venture_name="ColdBox Ltd"
    )
    launch = outcome_record(
        idea=w.idea, actor=w.admin, kind="launch", launched_on=dt.date(2026, 9, 1)
    )
    assert venture.venture_name == "ColdBox Ltd"
    assert launch.launched_on == dt.date(2026, 9, 1)


@pytest.mark.parametrize(
    "kind, fields, field",
    [
        ("adopted", {"owner": None}, "owner"),
        ("adopted", {"department": None}, "department"),
        ("venture", {"venture_name": "  "}, "venture_name"),
        ("launch", {}, "launched_on"),
        ("nonsense", {}, "kind"),
    ],
)
def test_an_outcome_missing_what_its_kind_needs_is_refused(w, kind, fields, field):
    """Adopted needs department and owner, venture a name, launch a date."""
    fields = dict(fields)
    if kind == "adopted" and "department" not in fields:
        fields["department"] = DepartmentFactory()
    if kind == "adopted" and "owner" not in fields:
        fields["owner"] = UserFactory()
    with pytest.raises(ValidationError) as error:
        outcome_record(idea=w.idea, actor=w.hr, kind=kind, **fields)
    assert field in error.value.message_dict
    assert not Outcome.objects.exists()


def test_fields_that_do_not_belong_to_the_kind_are_dropped(w):
    """A venture keeps its name and owner, not a department or launch date."""
    outcome = outcome_record(
        idea=w.idea,
        actor=w.hr,
        kind="venture",
        venture_name="V",
        department=DepartmentFactory(),
        launched_on=dt.date(2026, 1, 1),
        owner=w.colleague,
    )
    assert outcome.department is None and outcome.launched_on is None
    assert outcome.owner == w.colleague


def test_an_inactive_owner_is_refused(w):
    """The owner must be an active account."""
    gone = UserFactory(is_active=False)
    with pytest.raises(ValidationError) as error:
        outcome_record(
            idea=w.idea,
            actor=w.hr,
            kind="adopted",
            department=DepartmentFactory(),
            owner=gone,
        )
    assert "owner" in error.value.message_dict


def test_time_allocated_is_recorded_once(w):
    """A second "time allocated" outcome is refused: shares are per member."""
    outcome_record(idea=w.idea, actor=w.hr, kind="time")
    with pytest.raises(ValidationError):
        outcome_record(idea=w.idea, actor=w.hr, kind="time")


@pytest.mark.parametrize("role", ["captain", "member", "colleague", "manager"])
def test_only_hr_and_racecourse_admins_record_outcomes(w, role):
    """The team and bystanders cannot record outcomes."""
    with pytest.raises(PermissionDenied):
        outcome_record(
            idea=w.idea, actor=getattr(w, role), kind="venture", venture_name="V"
        )


def test_outcomes_are_recorded_only_in_realization():
    """Before realization (evaluation) and after it (realized) HR is refused."""
    for stage in (Stage.EVALUATION, Stage.REALIZED):
        w = realization_world(stage)
        with pytest.raises(PermissionDenied):
            outcome_record(idea=w.idea, actor=w.hr, kind="venture", venture_name="V")


def test_an_outcome_is_removed_unless_it_has_allocations(w):
    """A mistaken outcome goes; one carrying time allocations stays."""
    venture = outcome_record(idea=w.idea, actor=w.hr, kind="venture", venture_name="V")
    outcome_remove(outcome=venture, actor=w.admin)
    assert not Outcome.objects.filter(pk=venture.pk).exists()

    allocation = time_allocation_propose(
        idea=w.idea, actor=w.captain, member=w.member, share=20
    )
    with pytest.raises(ValidationError):
        outcome_remove(outcome=allocation.outcome, actor=w.hr)
    with pytest.raises(PermissionDenied):
        outcome_remove(outcome=allocation.outcome, actor=w.captain)


# --- Time allocations -------------------------------------------------------------


def test_captain_proposes_a_share_and_the_manager_is_asked(w):
    """The share waits for the member's manager, who and the member are told."""
    allocation = time_allocation_propose(
        idea=w.idea, actor=w.captain, member=w.member, share=20
    )
    assert allocation.manager == w.manager
    assert allocation.share == 20
    assert allocation.approved_at is None and allocation.declined_at is None
    assert allocation.outcome.kind == Outcome.Kind.TIME
    assert notified(w.manager, "Please decide")
    assert notified(w.member, "20%")


def test_proposals_share_one_time_outcome(w):
    """Every member's share hangs on the project's one "time allocated" outcome."""
    other = add_member(w.idea, UserFactory(manager=w.manager))
    first = time_allocation_propose(idea=w.idea, actor=w.hr, member=w.member, share=100)
    second = time_allocation_propose(idea=w.idea, actor=w.admin, member=other, share=50)
    assert first.outcome_id == second.outcome_id
    assert Outcome.objects.filter(idea=w.idea, kind="time").count() == 1


def test_a_member_without_a_manager_cannot_be_allocated(w):
    """No manager on record: refused with a message that says so."""
    w.member.manager = None
    w.member.save()
    with pytest.raises(ValidationError) as error:
        time_allocation_propose(idea=w.idea, actor=w.captain, member=w.member, share=20)
    assert "no manager" in error.value.message_dict["member"][0]
    assert not TimeAllocation.objects.exists()


def test_a_member_whose_manager_left_cannot_be_allocated(w):
    """An inactive manager cannot approve: refused."""
    w.manager.is_active = False
    w.manager.save()
    with pytest.raises(ValidationError):
        time_allocation_propose(idea=w.idea, actor=w.captain, member=w.member, share=20)


def test_only_team_members_get_allocations(w):
    """A colleague outside the team is refused."""
    w.colleague.manager = w.manager
    w.colleague.save()
    with pytest.raises(ValidationError) as error:
        time_allocation_propose(
            idea=w.idea, actor=w.captain, member=w.colleague, share=20
        )
    assert "member" in error.value.message_dict


@pytest.mark.parametrize("share", [0, 101, -5, True])
def test_the_share_is_a_percentage(w, share):
    """Shares run from 1 to 100."""
    with pytest.raises(ValidationError) as error:
        time_allocation_propose(
            idea=w.idea, actor=w.captain, member=w.member, share=share
        )
    assert "share" in error.value.message_dict


@pytest.mark.parametrize("role", ["member", "colleague", "manager"])
def test_only_captain_hr_and_admins_propose(w, role):
    """Team members, bystanders and managers cannot propose."""
    with pytest.raises(PermissionDenied):
        time_allocation_propose(
            idea=w.idea, actor=getattr(w, role), member=w.member, share=20
        )


def test_a_waiting_or_approved_allocation_is_not_proposed_again(w):
    """One allocation per member: a second proposal is refused while one waits
    and once it is approved."""
    allocation = time_allocation_propose(
        idea=w.idea, actor=w.captain, member=w.member, share=20
    )
    with pytest.raises(ValidationError):
        time_allocation_propose(idea=w.idea, actor=w.hr, member=w.member, share=30)
    time_allocation_approve(allocation=allocation, actor=w.manager)
    with pytest.raises(ValidationError):
        time_allocation_propose(idea=w.idea, actor=w.hr, member=w.member, share=30)


def test_a_declined_allocation_may_be_proposed_again(w):
    """After a decline the proposal starts over, pending again."""
    allocation = time_allocation_propose(
        idea=w.idea, actor=w.captain, member=w.member, share=50
    )
    time_allocation_decline(allocation=allocation, actor=w.manager, note="Too much.")
    again = time_allocation_propose(
        idea=w.idea, actor=w.captain, member=w.member, share=20
    )
    assert again.pk == allocation.pk
    assert (again.share, again.declined_at, again.manager_note) == (20, None, "")


def test_the_manager_approves_and_who_and_when_are_recorded(w):
    """Approval stamps the time; the manager is the allocation's manager; the
    member and the captain are told."""
    allocation = time_allocation_propose(
        idea=w.idea, actor=w.hr, member=w.member, share=20
    )
    done = time_allocation_approve(
        allocation=allocation, actor=w.manager, note="Fine by me."
    )
    assert done.approved_at is not None and done.declined_at is None
    assert (done.manager, done.manager_note) == (w.manager, "Fine by me.")
    assert notified(w.member, "approved")
    assert notified(w.captain, "approved")


def test_the_manager_declines_with_a_note(w):
    """Declining needs a note; it is recorded with the time."""
    allocation = time_allocation_propose(
        idea=w.idea, actor=w.hr, member=w.member, share=20
    )
    with pytest.raises(ValidationError) as error:
        time_allocation_decline(allocation=allocation, actor=w.manager, note="")
    assert "note" in error.value.message_dict
    done = time_allocation_decline(
        allocation=allocation, actor=w.manager, note="Busy quarter."
    )
    assert done.declined_at is not None and done.approved_at is None
    assert notified(w.member, "declined")


@pytest.mark.parametrize("role", ["hr", "admin", "captain", "member", "colleague"])
def test_only_the_manager_decides(w, role):
    """Nobody but the member's manager approves, not even HR."""
    allocation = time_allocation_propose(
        idea=w.idea, actor=w.hr, member=w.member, share=20
    )
    with pytest.raises(PermissionDenied):
        time_allocation_approve(allocation=allocation, actor=getattr(w, role))


def test_a_decided_allocation_is_not_decided_again(w):
    """A second answer is refused."""
    allocation = time_allocation_propose(
        idea=w.idea, actor=w.hr, member=w.member, share=20
    )
    time_allocation_approve(allocation=allocation, actor=w.manager)
    with pytest.raises(ValidationError):
        time_allocation_decline(
            allocation=allocation, actor=w.manager, note="Changed my mind"
        )


def test_the_manager_may_still_answer_after_the_plan_completed(w):
    """Realized projects keep their people: the answer is still taken."""
    allocation = time_allocation_propose(
        idea=w.idea, actor=w.hr, member=w.member, share=20
    )
    plan = plan_for(w.idea, actor=w.hr, amounts=("10",))
    release(plan.tranches.get(), team_member=w.member, hr=w.hr)
    time_allocation_approve(allocation=allocation, actor=w.manager)
    allocation.refresh_from_db()
    assert allocation.approved_at is not None


def test_no_answer_once_the_project_is_closed(w):
    """A closed project takes no more decisions."""
    allocation = time_allocation_propose(
        idea=w.idea, actor=w.hr, member=w.member, share=20
    )
    realization_close(idea=w.idea, actor=w.hr, reason="Stopped.")
    with pytest.raises(PermissionDenied):
        time_allocation_approve(allocation=allocation, actor=w.manager)


# --- The investment plan ----------------------------------------------------------


def test_hr_plans_tranches_in_order(w):
    """Positions 1..n in the given order, amounts as Decimal; the team is told."""
    plan = investment_plan_create(
        idea=w.idea,
        actor=w.hr,
        currency="usd",
        tranches=[
            {"amount": "1000.50", "milestone": "Pilot", "due_on": dt.date(2026, 6, 1)},
            {"amount": Decimal("2000"), "milestone": "Launch"},
        ],
    )
    rows = tranches(plan)
    assert [(t.position, t.amount, t.milestone) for t in rows] == [
        (1, Decimal("1000.50"), "Pilot"),
        (2, Decimal("2000.00"), "Launch"),
    ]
    assert rows[0].due_on == dt.date(2026, 6, 1)
    assert (plan.currency, plan.status, plan.created_by) == ("USD", "active", w.hr)
    assert notified(w.member, "investment plan")


def test_racecourse_admin_may_plan_the_team_may_not(w):
    """The racecourse's admin plans; the captain is refused."""
    with pytest.raises(PermissionDenied):
        plan_for(w.idea, actor=w.captain)
    assert plan_for(w.idea, actor=w.admin).created_by == w.admin


def test_a_project_has_one_plan(w):
    """A second plan is refused."""
    plan_for(w.idea, actor=w.hr)
    with pytest.raises(ValidationError):
        plan_for(w.idea, actor=w.hr)


@pytest.mark.parametrize(
    "rows, currency, field",
    [
        ([], "CNY", "tranches"),
        ([{"amount": "0", "milestone": "M"}], "CNY", "tranches"),
        ([{"amount": "-5", "milestone": "M"}], "CNY", "tranches"),
        ([{"amount": "abc", "milestone": "M"}], "CNY", "tranches"),
        ([{"amount": "99999999999", "milestone": "M"}], "CNY", "tranches"),
        ([{"amount": "5", "milestone": "  "}], "CNY", "tranches"),
        ([{"amount": "5", "milestone": "x" * 301}], "CNY", "tranches"),
        ([{"amount": "5", "milestone": "M"}], "RMB1", "currency"),
    ],
)
def test_a_bad_plan_is_refused(w, rows, currency, field):
    """At least one tranche; amounts above zero; a milestone; a currency code."""
    with pytest.raises(ValidationError) as error:
        investment_plan_create(
            idea=w.idea, actor=w.hr, currency=currency, tranches=rows
        )
    assert field in error.value.message_dict
    assert not InvestmentPlan.objects.exists()


def test_plans_are_made_only_in_realization():
    """Before and after realization nobody plans."""
    for stage in (Stage.GESTATION, CLOSED):
        w = realization_world(stage)
        with pytest.raises(PermissionDenied):
            plan_for(w.idea, actor=w.hr)


def test_a_tranche_is_added_at_the_end(w):
    """A new tranche takes the next position, after cancelled ones too."""
    plan = plan_for(w.idea, actor=w.hr, amounts=("1", "2"))
    tranche_cancel(tranche=tranches(plan)[1], actor=w.hr)
    added = tranche_add(plan=plan, actor=w.admin, amount="5", milestone="Scale up")
    assert added.position == 3
    with pytest.raises(ValidationError):
        tranche_add(plan=plan, actor=w.admin, amount="0", milestone="x")
    with pytest.raises(PermissionDenied):
        tranche_add(plan=plan, actor=w.captain, amount="5", milestone="x")


def test_a_planned_tranche_is_edited_one_in_review_is_not(w):
    """Edits are for planned tranches only."""
    plan = plan_for(w.idea, actor=w.hr)
    first, second = tranches(plan)[:2]
    tranche_update(
        tranche=second, actor=w.admin, amount="2500", milestone="Beta", due_on=None
    )
    second.refresh_from_db()
    assert (second.amount, second.milestone) == (Decimal("2500.00"), "Beta")
    tranche_review_submit(tranche=first, actor=w.member, review="Done.")
    with pytest.raises(ValidationError):
        tranche_update(tranche=first, actor=w.admin, amount="1", milestone="x")
    with pytest.raises(ValidationError):
        tranche_update(tranche=second, actor=w.hr, amount="-1", milestone="x")
    with pytest.raises(PermissionDenied):
        tranche_update(tranche=second, actor=w.member, amount="1", milestone="x")


def test_a_planned_tranche_is_cancelled_one_in_review_is_not(w):
    """Cancelling is for planned tranches; cancelled ones leave the ledger."""
    plan = plan_for(w.idea, actor=w.hr)
    first, second, third = tranches(plan)
    tranche_cancel(tranche=third, actor=w.admin)
    assert investment_plan_get(idea=w.idea).ledger.planned == Decimal("3000.00")
    tranche_review_submit(tranche=first, actor=w.member, review="Done.")
    with pytest.raises(ValidationError):
        tranche_cancel(tranche=first, actor=w.hr)
    with pytest.raises(ValidationError):
        tranche_cancel(tranche=third, actor=w.hr)
    with pytest.raises(PermissionDenied):
        tranche_cancel(tranche=second, actor=w.captain)


def test_cancelling_the_last_unreleased_tranche_completes_the_plan(w):
    """Every live tranche released: the plan completes, the idea is realized."""
    plan = plan_for(w.idea, actor=w.hr, amounts=("1", "2"))
    first, second = tranches(plan)
    release(first, team_member=w.member, hr=w.hr)
    tranche_cancel(tranche=second, actor=w.admin)
    plan.refresh_from_db()
    w.idea.refresh_from_db()
    assert plan.status == InvestmentPlan.Status.COMPLETED
    assert w.idea.stage == Stage.REALIZED


def test_cancelling_every_tranche_leaves_the_plan_active(w):
    """Nothing released: the plan stays active (tranches can be added)."""
    plan = plan_for(w.idea, actor=w.hr, amounts=("1",))
    tranche_cancel(tranche=tranches(plan)[0], actor=w.hr)
    plan.refresh_from_db()
    assert plan.status == InvestmentPlan.Status.ACTIVE


# --- Milestone reviews and releases -----------------------------------------------


def test_the_team_submits_the_next_milestone_review(w):
    """The review waits for HR, with who and when; HR is told."""
    plan = plan_for(w.idea, actor=w.hr)
    tranche = tranche_review_submit(
        tranche=tranches(plan)[0], actor=w.member, review="  Pilot done.  "
    )
    assert tranche.status == Tranche.Status.IN_REVIEW
    assert (tranche.review, tranche.review_submitted_by) == ("Pilot done.", w.member)
    assert tranche.review_submitted_at is not None
    assert notified(w.hr, "milestone review")


def test_tranches_are_reviewed_in_order(w):
    """The second cannot be reviewed before the first is released."""
    plan = plan_for(w.idea, actor=w.hr)
    first, second, _ = tranches(plan)
    with pytest.raises(ValidationError) as error:
        tranche_review_submit(tranche=second, actor=w.captain, review="x")
    assert error.value.code == "out_of_order"
    tranche_review_submit(tranche=first, actor=w.captain, review="x")
    with pytest.raises(ValidationError):
        tranche_review_submit(tranche=second, actor=w.captain, review="x")
    tranche_approve(tranche=first, actor=w.hr)
    tranche_review_submit(tranche=second, actor=w.captain, review="x")


def test_a_cancelled_tranche_does_not_block_the_next(w):
    """With the first cancelled, the second is next."""
    plan = plan_for(w.idea, actor=w.hr)
    first, second, _ = tranches(plan)
    tranche_cancel(tranche=first, actor=w.hr)
    tranche_review_submit(tranche=second, actor=w.member, review="x")


def test_a_review_is_refused_twice_blank_or_from_outside_the_team(w):
    """Already waiting, empty text, or not on the team: refused."""
    plan = plan_for(w.idea, actor=w.hr)
    first = tranches(plan)[0]
    with pytest.raises(ValidationError) as error:
        tranche_review_submit(tranche=first, actor=w.member, review="  ")
    assert "review" in error.value.message_dict
    for outsider in (w.hr, w.admin, w.colleague, w.manager):
        with pytest.raises(PermissionDenied):
            tranche_review_submit(tranche=first, actor=outsider, review="x")
    tranche_review_submit(tranche=first, actor=w.member, review="x")
    with pytest.raises(ValidationError) as error:
        tranche_review_submit(tranche=first, actor=w.captain, review="y")
    assert error.value.code == "already_in_review"


def test_hr_approval_releases_the_tranche(w):
    """Released with who, when and the note; the ledger moves; the team is told."""
    plan = plan_for(w.idea, actor=w.hr)
    first = tranches(plan)[0]
    tranche_review_submit(tranche=first, actor=w.member, review="Done.")
    released = tranche_approve(tranche=first, actor=w.hr, note="Well done")
    assert released.status == Tranche.Status.RELEASED
    assert (released.released_by, released.decision_note) == (w.hr, "Well done")
    assert released.released_at is not None
    ledger = investment_plan_get(idea=w.idea).ledger
    assert (ledger.planned, ledger.released, ledger.remaining) == (
        Decimal("6000.00"),
        Decimal("1000.00"),
        Decimal("5000.00"),
    )
    assert notified(w.captain, "is released")
    w.idea.refresh_from_db()
    assert w.idea.stage == Stage.REALIZATION


@pytest.mark.parametrize("role", ["admin", "captain", "member", "manager"])
def test_only_hr_releases(w, role):
    """Racecourse admins manage the plan but only HR releases money."""
    plan = plan_for(w.idea, actor=w.hr)
    first = tranches(plan)[0]
    tranche_review_submit(tranche=first, actor=w.member, review="Done.")
    with pytest.raises(PermissionDenied):
        tranche_approve(tranche=first, actor=getattr(w, role))
    with pytest.raises(PermissionDenied):
        tranche_send_back(tranche=first, actor=getattr(w, role), note="x")


def test_only_a_tranche_in_review_is_approved(w):
    """Approving a planned or a released tranche is refused."""
    plan = plan_for(w.idea, actor=w.hr)
    first = tranches(plan)[0]
    with pytest.raises(ValidationError) as error:
        tranche_approve(tranche=first, actor=w.hr)
    assert error.value.code == "not_in_review"
    release(first, team_member=w.member, hr=w.hr)
    with pytest.raises(ValidationError):
        tranche_approve(tranche=first, actor=w.hr)


def test_releasing_the_last_tranche_completes_the_plan_and_realizes_the_idea(w):
    """The plan completes and the idea moves to realized through the funnel."""
    plan = plan_for(w.idea, actor=w.hr, amounts=("1", "2"))
    for tranche in tranches(plan):
        release(tranche, team_member=w.member, hr=w.hr)
    plan.refresh_from_db()
    w.idea.refresh_from_db()
    assert plan.status == InvestmentPlan.Status.COMPLETED
    assert w.idea.stage == Stage.REALIZED
    move = StageTransition.objects.get(idea=w.idea, to_stage=Stage.REALIZED)
    assert move.actor == w.hr
    assert notified(w.member, "realized")
    ledger = investment_plan_get(idea=w.idea).ledger
    assert ledger.remaining == Decimal("0.00")


def test_hr_sends_a_review_back_with_a_note(w):
    """Back to planned, the review kept, the note recorded; a new review may follow."""
    plan = plan_for(w.idea, actor=w.hr)
    first = tranches(plan)[0]
    tranche_review_submit(tranche=first, actor=w.member, review="Half.")
    with pytest.raises(ValidationError) as error:
        tranche_send_back(tranche=first, actor=w.hr, note=" ")
    assert "note" in error.value.message_dict
    back = tranche_send_back(tranche=first, actor=w.hr, note="Need numbers")
    assert (back.status, back.review, back.decision_note) == (
        Tranche.Status.PLANNED,
        "Half.",
        "Need numbers",
    )
    assert notified(w.captain, "sent back")
    with pytest.raises(ValidationError):
        tranche_send_back(tranche=first, actor=w.hr, note="again")
    again = tranche_review_submit(tranche=first, actor=w.captain, review="All.")
    assert (again.status, again.review) == (Tranche.Status.IN_REVIEW, "All.")


# --- Closing ----------------------------------------------------------------------


def test_hr_closes_the_project_and_it_leaves_the_race(w):
    """Plan closed with the reason, unreleased tranches cancelled, released
    ones kept; the idea is eliminated through the funnel with the reason."""
    plan = plan_for(w.idea, actor=w.hr)
    first, second, third = tranches(plan)
    release(first, team_member=w.member, hr=w.hr)
    tranche_review_submit(tranche=second, actor=w.member, review="x")
    idea = realization_close(idea=w.idea, actor=w.hr, reason="No market.")
    plan.refresh_from_db()
    assert (plan.status, plan.closed_reason) == ("closed", "No market.")
    assert [t.status for t in tranches(plan)] == ["released", "cancelled", "cancelled"]
    assert idea.stage == Stage.ELIMINATED
    move = StageTransition.objects.get(idea=w.idea, to_stage=Stage.ELIMINATED)
    assert (move.from_stage, move.actor, move.reason) == (
        Stage.REALIZATION,
        w.hr,
        "No market.",
    )
    ledger = investment_plan_get(idea=w.idea).ledger
    assert (ledger.planned, ledger.remaining) == (Decimal("1000.00"), Decimal("0.00"))


def test_a_project_without_a_plan_can_be_closed(w):
    """Closing does not need a plan."""
    assert realization_close(idea=w.idea, actor=w.hr, reason="r").stage == (
        Stage.ELIMINATED
    )


def test_closing_needs_a_reason_and_hr(w):
    """No reason, or not HR: refused, and nothing changes."""
    plan_for(w.idea, actor=w.hr)
    with pytest.raises(ValidationError):
        realization_close(idea=w.idea, actor=w.hr, reason="  ")
    for role in ("admin", "captain", "member"):
        with pytest.raises(PermissionDenied):
            realization_close(idea=w.idea, actor=getattr(w, role), reason="r")
    w.idea.refresh_from_db()
    assert w.idea.stage == Stage.REALIZATION
    assert InvestmentPlan.objects.get().status == "active"


def test_a_realized_project_cannot_be_closed():
    """Once realized, closing is refused."""
    w = realization_world(Stage.REALIZED)
    with pytest.raises(PermissionDenied):
        realization_close(idea=w.idea, actor=w.hr, reason="r")


def test_a_withdrawn_project_takes_no_more_plan_changes(w):
    """The captain withdrew the idea: its active plan is frozen."""
    plan = plan_for(w.idea, actor=w.hr)
    funnel.idea_withdraw(idea=w.idea, actor=w.captain)
    with pytest.raises(PermissionDenied):
        tranche_add(plan=plan, actor=w.hr, amount="1", milestone="x")
    with pytest.raises(PermissionDenied):
        tranche_review_submit(tranche=tranches(plan)[0], actor=w.member, review="x")


@pytest.mark.parametrize("leave", ["withdraw", "merge"])
def test_leaving_realization_any_way_closes_the_plan(w, leave):
    """Withdrawn or merged, a project's plan closes and nothing is left to release."""
    plan = plan_for(w.idea, actor=w.hr)
    first = tranches(plan)[0]
    tranche_review_submit(tranche=first, actor=w.member, review="Done.")
    if leave == "withdraw":
        funnel.idea_withdraw(idea=w.idea, actor=w.captain, reason="We stop here.")
    else:
        other = project(captain=UserFactory())
        funnel.idea_merge(idea=w.idea, into=other, actor=w.hr, reason="Joined.")
    plan.refresh_from_db()
    assert plan.status == InvestmentPlan.Status.CLOSED
    assert plan.closed_reason in ("We stop here.", "Joined.")
    assert {t.status for t in tranches(plan)} == {Tranche.Status.CANCELLED}


def test_a_completed_plan_stays_completed_when_the_idea_is_realized(w):
    plan = plan_for(w.idea, actor=w.hr, amounts=("10",))
    release(tranches(plan)[0], team_member=w.member, hr=w.hr)
    plan.refresh_from_db()
    assert plan.status == InvestmentPlan.Status.COMPLETED
