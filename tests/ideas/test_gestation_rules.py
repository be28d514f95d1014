"""Who may do what in gestation: the role x action x stage matrix of the
gestation block of ``ideas.rules``, and the deadline rules of the proposal.

The idea is visible to everyone in the company and its racecourse's
gestation window is open. Rules are asked through ``horserace.common.permissions.can``
(no superuser pass), as the services ask them.
"""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from horserace.common.permissions import can
from ideas.models import ProposalExtension, Stage, TrainerAssignment
from tests.factories import UserFactory, idea_in_stage, open_racecourse
from tests.factories_gestation import (
    add_member,
    close_window,
    gestating_idea,
    gestation_window,
    trainer_for,
)

pytestmark = pytest.mark.django_db

PERMS = [
    "view_gestation",
    "see_resources",
    "request_resources",
    "decide_resources",
    "assign_trainer",
    "request_trainer",
    "end_trainer",
    "see_sessions",
    "log_session",
    "see_progress",
    "set_milestones",
    "post_progress",
    "submit_proposal",
    "grant_extension",
    "eliminate_without_proposal",
]
ROLES = [
    "captain",
    "member",
    "trainer",
    "past_trainer",
    "racecourse_admin",
    "hr_admin",
    "evaluator",
    "employee",
    "anonymous",
]
STAGES = [Stage.SCREENING, Stage.GESTATION, Stage.EVALUATION]

# One digit per stage (screening, gestation, evaluation): 1 = allowed.
MATRIX = {
    "view_gestation": {
        "captain": "111", "member": "111", "trainer": "111", "past_trainer": "111",
        "racecourse_admin": "111", "hr_admin": "111",
        "evaluator": "000", "employee": "000", "anonymous": "000",
    },
    "see_resources": {
        "captain": "111", "member": "111", "trainer": "000", "past_trainer": "000",
        "racecourse_admin": "111", "hr_admin": "111",
        "evaluator": "000", "employee": "000", "anonymous": "000",
    },
    "request_resources": {
        "captain": "010", "member": "000", "trainer": "000", "past_trainer": "000",
        "racecourse_admin": "000", "hr_admin": "000",
        "evaluator": "000", "employee": "000", "anonymous": "000",
    },
    "decide_resources": {
        "captain": "000", "member": "000", "trainer": "000", "past_trainer": "000",
        "racecourse_admin": "010", "hr_admin": "010",
        "evaluator": "000", "employee": "000", "anonymous": "000",
    },
    "assign_trainer": {
        "captain": "000", "member": "000", "trainer": "000", "past_trainer": "000",
        "racecourse_admin": "010", "hr_admin": "010",
        "evaluator": "000", "employee": "000", "anonymous": "000",
    },
    "request_trainer": {
        "captain": "010", "member": "000", "trainer": "000", "past_trainer": "000",
        "racecourse_admin": "000", "hr_admin": "000",
        "evaluator": "000", "employee": "000", "anonymous": "000",
    },
    "end_trainer": {
        "captain": "000", "member": "000", "trainer": "000", "past_trainer": "000",
        "racecourse_admin": "111", "hr_admin": "111",
        "evaluator": "000", "employee": "000", "anonymous": "000",
    },
    "see_sessions": {
        "captain": "111", "member": "111", "trainer": "111", "past_trainer": "111",
        "racecourse_admin": "000", "hr_admin": "111",
        "evaluator": "000", "employee": "000", "anonymous": "000",
    },
    "log_session": {
        "captain": "000", "member": "000", "trainer": "010", "past_trainer": "000",
        "racecourse_admin": "000", "hr_admin": "000",
        "evaluator": "000", "employee": "000", "anonymous": "000",
    },
    "see_progress": {
        "captain": "111", "member": "111", "trainer": "111", "past_trainer": "111",
        "racecourse_admin": "111", "hr_admin": "111",
        "evaluator": "111", "employee": "111", "anonymous": "000",
    },
    "set_milestones": {
        "captain": "010", "member": "000", "trainer": "000", "past_trainer": "000",
        "racecourse_admin": "000", "hr_admin": "000",
        "evaluator": "000", "employee": "000", "anonymous": "000",
    },
    "post_progress": {
        "captain": "010", "member": "010", "trainer": "000", "past_trainer": "000",
        "racecourse_admin": "000", "hr_admin": "000",
        "evaluator": "000", "employee": "000", "anonymous": "000",
    },
    "submit_proposal": {
        "captain": "010", "member": "000", "trainer": "000", "past_trainer": "000",
        "racecourse_admin": "000", "hr_admin": "000",
        "evaluator": "000", "employee": "000", "anonymous": "000",
    },
    "grant_extension": {
        "captain": "000", "member": "000", "trainer": "000", "past_trainer": "000",
        "racecourse_admin": "000", "hr_admin": "010",
        "evaluator": "000", "employee": "000", "anonymous": "000",
    },
    # The window is open here: nobody eliminates yet (see the deadline tests).
    "eliminate_without_proposal": {
        "captain": "000", "member": "000", "trainer": "000", "past_trainer": "000",
        "racecourse_admin": "000", "hr_admin": "000",
        "evaluator": "000", "employee": "000", "anonymous": "000",
    },
}  # fmt: skip


def test_matrix_is_complete():
    """Every permission has a row for every role and a digit for every stage."""
    assert set(MATRIX) == set(PERMS)
    for rows in MATRIX.values():
        assert set(rows) == set(ROLES)
        assert all(len(row) == len(STAGES) for row in rows.values())


@pytest.fixture
def world():
    """One person per role, and a racecourse with an open gestation window."""
    racecourse = open_racecourse()
    gestation_window(racecourse)
    people = {
        "captain": UserFactory(),
        "member": UserFactory(),
        "trainer": UserFactory(is_mentor=True),
        "past_trainer": UserFactory(is_mentor=True),
        "racecourse_admin": UserFactory(),
        "hr_admin": UserFactory(is_hr_admin=True),
        "evaluator": UserFactory(is_evaluator=True),
        "employee": UserFactory(),
        "anonymous": AnonymousUser(),
    }
    racecourse.admins.add(people["racecourse_admin"])
    return racecourse, people


def build_idea(racecourse, people, stage):
    """An idea in ``stage`` with a captain, a member, a trainer and a past one."""
    idea = idea_in_stage(stage, racecourse=racecourse, author=people["captain"])
    add_member(idea, people["member"])
    for role, status in (("trainer", "active"), ("past_trainer", "ended")):
        TrainerAssignment.objects.create(
            idea=idea,
            trainer=trainer_for(idea, user=people[role]),
            status=status,
        )
    return idea


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("role", ROLES)
def test_role_action_stage_matrix(world, role, stage):
    """Each role may do exactly what MATRIX says in each stage."""
    racecourse, people = world
    idea = build_idea(racecourse, people, stage)
    user = people[role]
    got = {perm: can(user, f"ideas.{perm}", idea) for perm in PERMS}
    want = {perm: MATRIX[perm][role][STAGES.index(stage)] == "1" for perm in PERMS}
    assert got == want


# --- Deadlines: the proposal and HR's elimination -------------------------------------


@pytest.mark.parametrize(
    ("window", "extension", "submit", "eliminate"),
    [
        ("none", None, True, True),
        ("open", None, True, False),
        ("not_yet_open", None, False, False),
        ("closed", None, False, True),
        ("closed", "running", True, True),
        ("closed", "ran_out", False, True),
    ],
)
def test_proposal_deadline_rules(window, extension, submit, eliminate):
    """The captain submits while the window is open (or there is none) or an
    extension runs; HR eliminates only once the deadline has passed."""
    idea = gestating_idea(window=window != "none")
    hr = UserFactory(is_hr_admin=True)
    now = timezone.now()
    if window == "closed":
        close_window(idea.racecourse.windows.get(stage="gestation"))
    if window == "not_yet_open":
        idea.racecourse.windows.filter(stage="gestation").update(
            opens_at=now + dt.timedelta(days=1), closes_at=now + dt.timedelta(days=5)
        )
    if extension:
        until = now + (
            dt.timedelta(days=2) if extension == "running" else -dt.timedelta(hours=1)
        )
        ProposalExtension.objects.create(
            idea=idea, until=until, reason="r", granted_by=hr
        )
    idea.racecourse.refresh_from_db()
    assert can(idea.author, "ideas.submit_proposal", idea) is submit
    assert can(hr, "ideas.eliminate_without_proposal", idea) is eliminate
    assert not can(idea.member, "ideas.submit_proposal", idea)
    assert not can(idea.author, "ideas.eliminate_without_proposal", idea)


def test_a_superuser_who_is_no_hr_is_still_hr_for_gestation_but_never_captain():
    """Superusers count as HR (the accounts rule) but gain no team rights."""
    idea = gestating_idea()
    root = UserFactory(is_superuser=True)
    assert can(root, "ideas.grant_extension", idea)
    assert not can(root, "ideas.request_resources", idea)
    assert not can(root, "ideas.log_session", idea)


def test_a_confidential_project_is_managed_by_its_admin_only_once_opened(client):
    """HR runs it; the racecourse admin neither manages it nor finds it on the
    desk until they open it with a reason (``ideas.visibility``)."""
    from decimal import Decimal

    from django.urls import reverse

    from ideas.models import Visibility
    from ideas.services.gestation.resources import resource_request_create
    from tests.factories_gestation import budget_for

    idea = gestating_idea(visibility=Visibility.CONFIDENTIAL, title="Secret lockers")
    admin, hr = UserFactory(), UserFactory(is_hr_admin=True)
    idea.racecourse.admins.add(admin)
    budget = budget_for(idea)
    resource_request_create(
        idea=idea,
        actor=idea.author,
        resource=budget.resource,
        amount=Decimal(3),
        justification="Tests.",
    )
    for perm in ("view_gestation", "decide_resources", "assign_trainer"):
        assert not can(admin, f"ideas.{perm}", idea)
    # HR runs the desk unopened; the workspace is the project's body.
    assert can(hr, "ideas.decide_resources", idea)
    assert can(hr, "ideas.assign_trainer", idea)
    assert not can(hr, "ideas.view_gestation", idea)
    desk = reverse("gestation:desk", args=[idea.racecourse_id])
    client.force_login(admin)
    assert "Secret lockers" not in client.get(desk).content.decode()
    client.force_login(hr)
    assert "Secret lockers" in client.get(desk).content.decode()
    from ideas.services.access import idea_access_request

    idea_access_request(
        idea=idea, user=admin, kind="open", reason="The team asked me for help."
    )
    for perm in ("view_gestation", "decide_resources", "assign_trainer"):
        assert can(admin, f"ideas.{perm}", idea)
    client.force_login(admin)
    assert "Secret lockers" in client.get(desk).content.decode()
