"""Who may do what in realization: the role x action x stage matrix.

The project sits on a main racecourse. "manager" is the member's manager (not
on the team); "colleague" is a plain employee of the same department;
"closed" is an idea HR closed while in realization (now eliminated).
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from horserace.common.permissions import can
from ideas.models import Stage, Visibility
from ideas.services.realization.allocations import time_allocation_propose
from ideas.services.realization.closing import realization_close
from tests.factories import UserFactory
from tests.factories_realization import CLOSED, plan_for, realization_world, release

pytestmark = pytest.mark.django_db

PERMS = [
    "view_realization",
    "manage_realization",
    "propose_allocation",
    "submit_milestone_review",
    "release_tranche",
    "close_realization",
]
ROLES = [
    "captain",
    "member",
    "manager",
    "colleague",
    "evaluator",
    "hr_admin",
    "racecourse_admin",
    "anonymous",
]
STAGES = [Stage.GESTATION, Stage.EVALUATION, Stage.REALIZATION, Stage.REALIZED, CLOSED]

# One digit per stage (gestation, evaluation, realization, realized, closed):
# 1 = allowed, 0 = refused.
MATRIX = {
    "view_realization": {
        "captain":          "00111",
        "member":           "00111",
        "manager":          "00000",
        "colleague":        "00000",
        "evaluator":        "00000",
        "hr_admin":         "00111",
        "racecourse_admin": "00111",
        "anonymous":        "00000",
    },
    "manage_realization": {
        "captain":          "00000",
        "member":           "00000",
        "manager":          "00000",
        "colleague":        "00000",
        "evaluator":        "00000",
        "hr_admin":         "00100",
        "racecourse_admin": "00100",
        "anonymous":        "00000",
    },
    "propose_allocation": {
        "captain":          "00100",
        "member":           "00000",
        "manager":          "00000",
        "colleague":        "00000",
        "evaluator":        "00000",
        "hr_admin":         "00100",
        "racecourse_admin": "00100",
        "anonymous":        "00000",
    },
    "submit_milestone_review": {
        "captain":          "00100",
        "member":           "00100",
        "manager":          "00000",
        "colleague":        "00000",
        "evaluator":        "00000",
        "hr_admin":         "00000",
        "racecourse_admin": "00000",
        "anonymous":        "00000",
    },
    "release_tranche": {
        "captain":          "00000",
        "member":           "00000",
        "manager":          "00000",
        "colleague":        "00000",
        "evaluator":        "00000",
        "hr_admin":         "00100",
        "racecourse_admin": "00000",
        "anonymous":        "00000",
    },
    "close_realization": {
        "captain":          "00000",
        "member":           "00000",
        "manager":          "00000",
        "colleague":        "00000",
        "evaluator":        "00000",
        "hr_admin":         "00100",
        "racecourse_admin": "00000",
        "anonymous":        "00000",
    },
}  # fmt: skip

# Deciding a time allocation, per stage the allocation's idea is in
# (realization, realized, closed); the allocation is still waiting.
DECIDE_STAGES = [Stage.REALIZATION, Stage.REALIZED, CLOSED]
DECIDE = {
    "captain":          "000",
    "member":           "000",
    "manager":          "110",
    "colleague":        "000",
    "evaluator":        "000",
    "hr_admin":         "000",
    "racecourse_admin": "000",
    "anonymous":        "000",
}  # fmt: skip

DESK = {"hr_admin", "racecourse_admin"}


def people(w):
    return {
        "captain": w.captain,
        "member": w.member,
        "manager": w.manager,
        "colleague": w.colleague,
        "evaluator": UserFactory(is_evaluator=True),
        "hr_admin": w.hr,
        "racecourse_admin": w.admin,
        "anonymous": AnonymousUser(),
    }


def test_matrix_is_complete():
    """Every permission has a row for every role and a digit for every stage."""
    assert set(MATRIX) == set(PERMS)
    for rows in MATRIX.values():
        assert set(rows) == set(ROLES)
        assert all(len(row) == len(STAGES) for row in rows.values())
    assert set(DECIDE) == set(ROLES)
    assert all(len(row) == len(DECIDE_STAGES) for row in DECIDE.values())


@pytest.mark.parametrize("stage", STAGES)
def test_role_action_stage_matrix(stage):
    """Each role may do exactly what MATRIX says in each stage."""
    w = realization_world(stage)
    everyone = people(w)
    got = {
        (perm, role): can(user, f"ideas.{perm}", w.idea)
        for perm in PERMS
        for role, user in everyone.items()
    }
    want = {
        (perm, role): MATRIX[perm][role][STAGES.index(stage)] == "1"
        for perm in PERMS
        for role in ROLES
    }
    assert got == want


def _allocation_in(stage):
    w = realization_world(Stage.REALIZATION)
    allocation = time_allocation_propose(
        idea=w.idea, actor=w.captain, member=w.member, share=20
    )
    if stage == Stage.REALIZED:
        plan = plan_for(w.idea, actor=w.hr, amounts=("1",))
        release(plan.tranches.get(), team_member=w.member, hr=w.hr)
    elif stage == CLOSED:
        realization_close(idea=w.idea, actor=w.hr, reason="r")
    allocation.refresh_from_db()
    return w, allocation


@pytest.mark.parametrize("stage", DECIDE_STAGES)
def test_only_the_manager_decides_an_allocation(stage):
    """The member's manager decides while the project is funded, not once closed."""
    w, allocation = _allocation_in(stage)
    got = {
        role: can(user, "ideas.decide_allocation", allocation)
        for role, user in people(w).items()
    }
    want = {role: DECIDE[role][DECIDE_STAGES.index(stage)] == "1" for role in ROLES}
    assert got == want


def test_the_realization_desk_is_for_hr_and_racecourse_admins():
    """HR and anyone who runs a racecourse open the desk; nobody else."""
    w = realization_world()
    got = {
        role: can(user, "ideas.view_realization_desk")
        for role, user in people(w).items()
    }
    assert got == {role: role in DESK for role in ROLES}


def test_a_confidential_project_is_hrs_alone():
    """A racecourse admin who may not see a confidential idea neither sees nor
    manages its realization; HR does both; the team still sees it."""
    w = realization_world(visibility=Visibility.CONFIDENTIAL)
    assert not can(w.admin, "ideas.view_realization", w.idea)
    assert not can(w.admin, "ideas.manage_realization", w.idea)
    assert not can(w.admin, "ideas.propose_allocation", w.idea)
    assert can(w.hr, "ideas.manage_realization", w.idea)
    assert can(w.member, "ideas.view_realization", w.idea)


def test_a_superuser_is_hr_but_not_on_the_team():
    """No blanket pass: a superuser releases money like HR but cannot submit a
    review for a team they are not on, nor decide someone else's allocation."""
    w = realization_world()
    boss = UserFactory(is_superuser=True, is_staff=True)
    allocation = time_allocation_propose(
        idea=w.idea, actor=w.captain, member=w.member, share=20
    )
    assert can(boss, "ideas.release_tranche", w.idea)
    assert not can(boss, "ideas.submit_milestone_review", w.idea)
    assert not can(boss, "ideas.decide_allocation", allocation)


def test_an_inactive_hr_admin_may_do_nothing():
    """A deactivated HR account loses every realization permission."""
    w = realization_world()
    w.hr.is_active = False
    w.hr.save()
    assert not any(can(w.hr, f"ideas.{perm}", w.idea) for perm in PERMS)
