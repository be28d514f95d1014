"""Who may do what in the evaluator pool: the role × action × stage matrix.

The project sits on a racecourse with a pool of evaluators. Roles: HR, the
racecourse's admin, an evaluator of the pool (not assigned), an assigned
evaluator, a pool evaluator with a declared conflict, an evaluator outside the
pool, the captain, a team member, another employee, and an anonymous visitor.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from horserace.common.permissions import can
from ideas.models import Stage
from ideas.services.teams import invitation_accept, team_invite
from tests.factories import UserFactory, idea_in_stage
from tests.factories_evaluation import assign, evaluator, racecourse_with_pool
from voting.models import Conflict

pytestmark = pytest.mark.django_db

ROLES = [
    "hr_admin",
    "racecourse_admin",
    "pool_evaluator",
    "assigned_evaluator",
    "conflicted_evaluator",
    "other_evaluator",
    "captain",
    "member",
    "employee",
    "anonymous",
]
STAGES = [Stage.SCREENING, Stage.GESTATION, Stage.EVALUATION, Stage.REALIZATION]

# One digit per stage (screening, gestation, evaluation, realization):
# 1 = allowed, 0 = refused. Object: the idea.
MATRIX = {
    "voting.assign_evaluator": {
        "hr_admin":             "0010",
        "racecourse_admin":     "0010",
        "pool_evaluator":       "0000",
        "assigned_evaluator":   "0000",
        "conflicted_evaluator": "0000",
        "other_evaluator":      "0000",
        "captain":              "0000",
        "member":               "0000",
        "employee":             "0000",
        "anonymous":            "0000",
    },
    "voting.state_preference": {
        "hr_admin":             "0000",
        "racecourse_admin":     "0000",
        "pool_evaluator":       "0010",
        "assigned_evaluator":   "0010",
        "conflicted_evaluator": "0000",
        "other_evaluator":      "0000",
        "captain":              "0000",
        "member":               "0000",
        "employee":             "0000",
        "anonymous":            "0000",
    },
    "voting.declare_own_conflict": {
        "hr_admin":             "0000",
        "racecourse_admin":     "0000",
        "pool_evaluator":       "0110",
        "assigned_evaluator":   "0110",
        "conflicted_evaluator": "0110",
        "other_evaluator":      "0000",
        "captain":              "0000",
        "member":               "0000",
        "employee":             "0000",
        "anonymous":            "0000",
    },
    "voting.declare_team_conflict": {
        "hr_admin":             "0000",
        "racecourse_admin":     "0000",
        "pool_evaluator":       "0000",
        "assigned_evaluator":   "0000",
        "conflicted_evaluator": "0000",
        "other_evaluator":      "0000",
        "captain":              "0110",
        "member":               "0000",
        "employee":             "0000",
        "anonymous":            "0000",
    },
    "voting.record_conflict": {
        "hr_admin":             "0110",
        "racecourse_admin":     "0110",
        "pool_evaluator":       "0000",
        "assigned_evaluator":   "0000",
        "conflicted_evaluator": "0000",
        "other_evaluator":      "0000",
        "captain":              "0000",
        "member":               "0000",
        "employee":             "0000",
        "anonymous":            "0000",
    },
    "voting.view_idea_conflicts": {
        "hr_admin":             "1111",
        "racecourse_admin":     "1111",
        "pool_evaluator":       "0000",
        "assigned_evaluator":   "0000",
        "conflicted_evaluator": "0000",
        "other_evaluator":      "0000",
        "captain":              "1111",
        "member":               "1111",
        "employee":             "0000",
        "anonymous":            "0000",
    },
    # The shared predicates, as the scorecard rules use them.
    "is_assigned_evaluator": {
        "hr_admin":             "0000",
        "racecourse_admin":     "0000",
        "pool_evaluator":       "0000",
        "assigned_evaluator":   "1111",
        "conflicted_evaluator": "0000",
        "other_evaluator":      "0000",
        "captain":              "0000",
        "member":               "0000",
        "employee":             "0000",
        "anonymous":            "0000",
    },
    "is_conflicted_with": {
        "hr_admin":             "0000",
        "racecourse_admin":     "0000",
        "pool_evaluator":       "0000",
        "assigned_evaluator":   "0000",
        "conflicted_evaluator": "1111",
        "other_evaluator":      "0000",
        "captain":              "1111",
        "member":               "1111",
        "employee":             "0000",
        "anonymous":            "0000",
    },
}  # fmt: skip

# Object: the racecourse; no stage.
MANAGE = {
    "hr_admin": True,
    "racecourse_admin": True,
    "pool_evaluator": False,
    "assigned_evaluator": False,
    "conflicted_evaluator": False,
    "other_evaluator": False,
    "captain": False,
    "member": False,
    "employee": False,
    "anonymous": False,
}


def test_matrix_is_complete():
    """Every permission has a row for every role and a digit for every stage."""
    for rows in MATRIX.values():
        assert set(rows) == set(ROLES)
        assert all(len(row) == len(STAGES) for row in rows.values())
    assert set(MANAGE) == set(ROLES)


def _ask(name: str, user, idea) -> bool:
    from voting import rules as voting_rules

    if name.startswith("voting."):
        return can(user, name, idea)
    return bool(getattr(voting_rules, name)(user, idea))


@pytest.fixture
def people():
    racecourse = racecourse_with_pool(0)
    people = {
        "hr_admin": UserFactory(is_hr_admin=True),
        "racecourse_admin": UserFactory(),
        "pool_evaluator": evaluator(),
        "assigned_evaluator": evaluator(),
        "conflicted_evaluator": evaluator(),
        "other_evaluator": evaluator(),
        "captain": UserFactory(),
        "member": UserFactory(),
        "employee": UserFactory(),
        "anonymous": AnonymousUser(),
    }
    racecourse.admins.add(people["racecourse_admin"])
    racecourse.evaluators.add(
        people["pool_evaluator"],
        people["assigned_evaluator"],
        people["conflicted_evaluator"],
    )
    return racecourse, people


@pytest.mark.parametrize("stage", STAGES)
def test_role_action_stage_matrix(people, stage):
    """Each role may do exactly what MATRIX says in each stage."""
    racecourse, people = people
    idea = idea_in_stage(stage, racecourse=racecourse, author=people["captain"])
    invitation = team_invite(
        idea=idea, actor=people["captain"], invitee=people["member"]
    )
    invitation_accept(invitation=invitation, actor=people["member"])
    assign(idea, people["assigned_evaluator"])
    Conflict.objects.create(
        idea=idea,
        evaluator=people["conflicted_evaluator"],
        kind=Conflict.Kind.PERSONAL,
        source=Conflict.Source.EVALUATOR,
        declared_by=people["conflicted_evaluator"],
    )
    column = STAGES.index(stage)
    got, want = {}, {}
    for name, rows in MATRIX.items():
        for role in ROLES:
            got[(name, role)] = _ask(name, people[role], idea)
            want[(name, role)] = rows[role][column] == "1"
    assert got == want


def test_manage_evaluation_is_hr_and_the_racecourse_admin(people):
    """Pool, settings, automatic assignment and the conflict list: HR and the
    racecourse's admins only (an admin of another racecourse is refused)."""
    racecourse, people = people
    got = {
        role: can(people[role], "voting.manage_evaluation", racecourse)
        for role in ROLES
    }
    assert got == MANAGE
    elsewhere = racecourse_with_pool(0)
    assert not can(people["racecourse_admin"], "voting.manage_evaluation", elsewhere)


def test_losing_the_evaluator_role_closes_the_pool_rules(people):
    """An evaluator whose role HR revoked no longer acts as one of the pool."""
    racecourse, people = people
    idea = idea_in_stage(Stage.EVALUATION, racecourse=racecourse)
    judge = people["pool_evaluator"]
    assert can(judge, "voting.state_preference", idea)
    judge.is_evaluator = False
    judge.save()
    assert not can(judge, "voting.state_preference", idea)
    assert not can(judge, "voting.declare_own_conflict", idea)


# --- Withdrawing a conflict: object is the conflict ------------------------------

SOURCES = ["evaluator", "team", "admin"]
# One digit per source (evaluator's own, the team's, an admin's), in evaluation.
WITHDRAW = {
    "hr_admin":             "111",
    "racecourse_admin":     "111",
    "named_evaluator":      "100",
    "captain":              "010",
    "member":               "000",
    "employee":             "000",
}  # fmt: skip


@pytest.mark.parametrize("stage", [Stage.EVALUATION, Stage.REALIZATION])
def test_withdraw_conflict_matrix(people, stage):
    """Who may take back a declared conflict, by who declared it; nobody once
    the project has left evaluation."""
    racecourse, roles = people
    roles = roles | {"named_evaluator": roles["pool_evaluator"]}
    idea = idea_in_stage(stage, racecourse=racecourse, author=roles["captain"])
    invitation_accept(
        invitation=team_invite(
            idea=idea, actor=roles["captain"], invitee=roles["member"]
        ),
        actor=roles["member"],
    )
    declarer = {
        "evaluator": roles["named_evaluator"],
        "team": roles["captain"],
        "admin": roles["hr_admin"],
    }
    got, want = {}, {}
    for source in SOURCES:
        conflict = Conflict.objects.create(
            idea=idea,
            evaluator=roles["named_evaluator"],
            kind=Conflict.Kind.OTHER,
            source=source,
            declared_by=declarer[source],
        )
        for role, row in WITHDRAW.items():
            got[(role, source)] = can(roles[role], "voting.withdraw_conflict", conflict)
            allowed = row[SOURCES.index(source)] == "1"
            want[(role, source)] = allowed and stage == Stage.EVALUATION
        conflict.delete()
    assert got == want
