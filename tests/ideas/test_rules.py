"""Who may do what with an idea: the role x action matrix of ``ideas.rules``.

The idea sits on the department racecourse of department D. Its captain is in
D; everyone else with a role (member, evaluator, HR admin, racecourse admin)
is in another department O, so each row shows what the role itself grants.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from contests.models import Racecourse
from ideas import funnel
from ideas.models import Stage, Visibility
from ideas.services.teams import invitation_accept, team_invite
from tests.factories import (
    DepartmentFactory,
    RacecourseFactory,
    SeasonFactory,
    StageWindowFactory,
    UserFactory,
    idea_draft,
)

pytestmark = pytest.mark.django_db

PERMS = [
    "view_idea",
    "read_content",
    "see_team",
    "change_idea",
    "register_idea",
    "withdraw_idea",
    "manage_team",
    "request_join",
    "leave_team",
]
ROLES = [
    "captain",
    "member",
    "same_department",
    "other_department",
    "evaluator",
    "hr_admin",
    "racecourse_admin",
    "anonymous",
]
VISIBILITIES = [Visibility.EVERYONE, Visibility.RACECOURSE, Visibility.CONFIDENTIAL]
STAGES = [Stage.DRAFT, Stage.REGISTERED, Stage.ELIMINATED]

# Expected answers. Each row has three groups, one per visibility
# (everyone, racecourse, confidential); inside a group one digit per stage
# (draft, registered, eliminated): 1 = allowed, 0 = refused.
MATRIX = {
    "view_idea": {
        "captain":          "111 111 111",
        "member":           "111 111 111",
        "same_department":  "011 011 000",
        "other_department": "011 000 000",
        "evaluator":        "011 000 000",
        "hr_admin":         "111 111 111",
        "racecourse_admin": "011 011 011",
        "anonymous":        "000 000 000",
    },
    # A confidential idea's body: HR and the admin know it exists, and read
    # it only after opening it with a reason (test_visibility.py).
    "read_content": {
        "captain":          "111 111 111",
        "member":           "111 111 111",
        "same_department":  "011 011 000",
        "other_department": "011 000 000",
        "evaluator":        "011 000 000",
        "hr_admin":         "111 111 000",
        "racecourse_admin": "011 011 000",
        "anonymous":        "000 000 000",
    },
    "see_team": {
        "captain":          "111 111 111",
        "member":           "111 111 111",
        "same_department":  "011 011 000",
        "other_department": "011 000 000",
        "evaluator":        "011 000 000",
        "hr_admin":         "111 111 000",
        "racecourse_admin": "011 011 000",
        "anonymous":        "000 000 000",
    },
    "change_idea": {
        "captain":          "110 110 110",
        "member":           "000 000 000",
        "same_department":  "000 000 000",
        "other_department": "000 000 000",
        "evaluator":        "000 000 000",
        "hr_admin":         "000 000 000",
        "racecourse_admin": "000 000 000",
        "anonymous":        "000 000 000",
    },
    "register_idea": {
        "captain":          "100 100 100",
        "member":           "000 000 000",
        "same_department":  "000 000 000",
        "other_department": "000 000 000",
        "evaluator":        "000 000 000",
        "hr_admin":         "000 000 000",
        "racecourse_admin": "000 000 000",
        "anonymous":        "000 000 000",
    },
    "withdraw_idea": {
        "captain":          "110 110 110",
        "member":           "000 000 000",
        "same_department":  "000 000 000",
        "other_department": "000 000 000",
        "evaluator":        "000 000 000",
        "hr_admin":         "000 000 000",
        "racecourse_admin": "000 000 000",
        "anonymous":        "000 000 000",
    },
    "manage_team": {
        "captain":          "110 110 110",
        "member":           "000 000 000",
        "same_department":  "000 000 000",
        "other_department": "000 000 000",
        "evaluator":        "000 000 000",
        "hr_admin":         "000 000 000",
        "racecourse_admin": "000 000 000",
        "anonymous":        "000 000 000",
    },
    "request_join": {
        "captain":          "000 000 000",
        "member":           "000 000 000",
        "same_department":  "010 010 000",
        "other_department": "010 000 000",
        "evaluator":        "010 000 000",
        "hr_admin":         "110 110 000",
        "racecourse_admin": "010 010 000",
        "anonymous":        "000 000 000",
    },
    "leave_team": {
        "captain":          "000 000 000",
        "member":           "111 111 111",
        "same_department":  "000 000 000",
        "other_department": "000 000 000",
        "evaluator":        "000 000 000",
        "hr_admin":         "000 000 000",
        "racecourse_admin": "000 000 000",
        "anonymous":        "000 000 000",
    },
}  # fmt: skip


def expected(perm: str, role: str, visibility: str, stage: str) -> bool:
    groups = MATRIX[perm][role].split()
    digit = groups[VISIBILITIES.index(visibility)][STAGES.index(stage)]
    return digit == "1"


def test_matrix_is_complete():
    """Every permission has a row for every role and a digit for every case."""
    assert set(MATRIX) == set(PERMS)
    for rows in MATRIX.values():
        assert set(rows) == set(ROLES)
        for row in rows.values():
            assert [len(g) for g in row.split()] == [len(STAGES)] * len(VISIBILITIES)


@pytest.fixture
def world():
    """Department D's racecourse, and one person for each role."""
    home, away = DepartmentFactory(code="d"), DepartmentFactory(code="o")
    racecourse = RacecourseFactory(
        season=SeasonFactory(teams_per_person=50),
        kind=Racecourse.Kind.DEPARTMENT,
        department=home,
        team_size_limit=20,
    )
    StageWindowFactory(racecourse=racecourse)
    people = {
        "captain": UserFactory(department=home),
        "member": UserFactory(department=away),
        "same_department": UserFactory(department=home),
        "other_department": UserFactory(department=away),
        "evaluator": UserFactory(department=away, is_evaluator=True),
        "hr_admin": UserFactory(department=away, is_hr_admin=True),
        "racecourse_admin": UserFactory(department=away),
        "anonymous": AnonymousUser(),
    }
    racecourse.admins.add(people["racecourse_admin"])
    return racecourse, people


def build_idea(racecourse, captain, member, visibility, stage):
    """An idea with a captain and one member, walked through the funnel to ``stage``."""
    idea = idea_draft(author=captain, racecourse=racecourse, visibility=visibility)
    invitation_accept(
        invitation=team_invite(idea=idea, actor=captain, invitee=member), actor=member
    )
    if stage != Stage.DRAFT:
        funnel.idea_register(idea=idea, actor=captain)
    if stage == Stage.ELIMINATED:
        funnel.idea_open_screening(idea=idea)
        funnel.idea_eliminate(idea=idea, reason="Voted down")
    idea.refresh_from_db()
    assert idea.stage == stage
    return idea


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_role_action_matrix(world, role, visibility, stage):
    """Each role may do exactly what MATRIX says, for each visibility and stage."""
    racecourse, people = world
    idea = build_idea(
        racecourse, people["captain"], people["member"], visibility, stage
    )
    user = people[role]

    got = {perm: user.has_perm(f"ideas.{perm}", idea) for perm in PERMS}

    want = {perm: expected(perm, role, visibility, stage) for perm in PERMS}
    assert got == want


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_invitee_may_read_the_idea_while_the_invitation_waits(world, visibility):
    """A pending invitation opens even a confidential draft to the invitee."""
    racecourse, people = world
    idea = build_idea(
        racecourse, people["captain"], people["member"], visibility, Stage.DRAFT
    )
    invitee = UserFactory()
    team_invite(idea=idea, actor=people["captain"], invitee=invitee)
    assert invitee.has_perm("ideas.view_idea", idea)
    assert not invitee.has_perm("ideas.change_idea", idea)
    assert not invitee.has_perm("ideas.leave_team", idea)


def test_declined_invitation_no_longer_opens_the_idea(world):
    """Once the invitee answers no, a confidential idea is closed to them again."""
    from ideas.services.teams import invitation_decline

    racecourse, people = world
    idea = build_idea(
        racecourse,
        people["captain"],
        people["member"],
        Visibility.CONFIDENTIAL,
        Stage.REGISTERED,
    )
    invitee = UserFactory()
    invitation = team_invite(idea=idea, actor=people["captain"], invitee=invitee)
    invitation_decline(invitation=invitation, actor=invitee)
    assert not invitee.has_perm("ideas.view_idea", idea)


def test_sub_departments_belong_to_the_racecourse_audience(world):
    """People in a department below D see D's racecourse-only ideas; above D do not."""
    racecourse, people = world
    home = racecourse.department
    parent = DepartmentFactory()
    home.parent = parent
    home.save()
    child = DepartmentFactory(parent=home)
    grandchild = DepartmentFactory(parent=child)
    idea = build_idea(
        racecourse,
        people["captain"],
        people["member"],
        Visibility.RACECOURSE,
        Stage.REGISTERED,
    )
    assert UserFactory(department=child).has_perm("ideas.view_idea", idea)
    assert UserFactory(department=grandchild).has_perm("ideas.view_idea", idea)
    assert not UserFactory(department=parent).has_perm("ideas.view_idea", idea)
    assert not UserFactory(department=None).has_perm("ideas.view_idea", idea)


@pytest.mark.parametrize("kind", [Racecourse.Kind.MAIN, Racecourse.Kind.FARM])
def test_main_racecourse_and_farm_are_open_to_the_whole_company(kind):
    """On the main racecourse and the farm, "racecourse members" means everyone."""
    racecourse = RacecourseFactory(kind=kind)
    StageWindowFactory(racecourse=racecourse)
    captain = UserFactory(department=DepartmentFactory())
    idea = idea_draft(
        author=captain, racecourse=racecourse, visibility=Visibility.RACECOURSE
    )
    funnel.idea_register(idea=idea, actor=captain)
    assert UserFactory(department=None).has_perm("ideas.view_idea", idea)
    assert UserFactory(department=DepartmentFactory()).has_perm("ideas.view_idea", idea)


def test_admin_of_another_racecourse_gains_nothing(world):
    """Racecourse admin rights stop at their own racecourse."""
    racecourse, people = world
    elsewhere_admin = UserFactory(department=DepartmentFactory())
    RacecourseFactory(season=racecourse.season).admins.add(elsewhere_admin)
    idea = build_idea(
        racecourse,
        people["captain"],
        people["member"],
        Visibility.RACECOURSE,
        Stage.REGISTERED,
    )
    assert not elsewhere_admin.has_perm("ideas.view_idea", idea)


def test_anyone_active_and_signed_in_may_submit_ideas():
    """``ideas.add_idea`` needs an active, signed-in account."""
    assert UserFactory().has_perm("ideas.add_idea")
    assert not UserFactory(is_active=False).has_perm("ideas.add_idea")
    assert not AnonymousUser().has_perm("ideas.add_idea")


def test_rules_use_prefetched_memberships_without_queries(
    world, django_assert_num_queries
):
    """With memberships prefetched, team-role checks ask the database nothing."""
    from django.db.models import prefetch_related_objects

    racecourse, people = world
    idea = build_idea(
        racecourse,
        people["captain"],
        people["member"],
        Visibility.EVERYONE,
        Stage.REGISTERED,
    )
    prefetch_related_objects([idea], "memberships")
    with django_assert_num_queries(0):
        assert people["captain"].has_perm("ideas.change_idea", idea)
        assert people["member"].has_perm("ideas.leave_team", idea)
        assert not people["member"].has_perm("ideas.manage_team", idea)
