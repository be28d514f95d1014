"""Who may score, see scores, read and join the discussion, decide, and open
the panel page: the role x action x state matrix of the scorecard rules.

States: the project in gestation (assignments exist, nothing scored); in
offline evaluation before and after the assigned evaluator submits (another
evaluator has always submitted); and after the panel's decision, selected
(realization) or eliminated. The "conflicted" evaluator is assigned and, in
the submitted states, submitted too; then they become the captain's manager,
an automatic conflict, which shuts everything.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from horserace.common.permissions import can
from ideas import funnel
from ideas.models import Stage, Visibility
from ideas.services.teams import invitation_accept, team_invite
from tests.factories import SeasonFactory, StageWindowFactory, UserFactory, idea_draft
from tests.factories_evaluation import assign, evaluator, racecourse_with_pool
from tests.factories_scoring import decided, hr, proposal_for, rubric_for, scored
from voting.evaluation.scorecards.services import scorecard_save
from voting.models import PanelDecision

pytestmark = pytest.mark.django_db

PERMS = ["score_idea", "see_scores", "see_discussion", "comment_panel", "decide"]
ROLES = [
    "assigned",
    "conflicted",
    "pool_unassigned",
    "team_member",
    "racecourse_admin",
    "hr_admin",
    "employee",
]
STATES = ["gestation", "draft", "submitted", "selected", "eliminated"]

# One digit per state, in STATES order: 1 = allowed, 0 = refused.
MATRIX = {
    "score_idea": {
        "assigned":         "01100",
        "conflicted":       "00000",
        "pool_unassigned":  "00000",
        "team_member":      "00000",
        "racecourse_admin": "00000",
        "hr_admin":         "00000",
        "employee":         "00000",
    },
    "see_scores": {
        "assigned":         "00111",
        "conflicted":       "00000",
        "pool_unassigned":  "00000",
        "team_member":      "00000",
        "racecourse_admin": "01111",
        "hr_admin":         "01111",
        "employee":         "00000",
    },
    "see_discussion": {
        "assigned":         "00111",
        "conflicted":       "00000",
        "pool_unassigned":  "00000",
        "team_member":      "00000",
        "racecourse_admin": "01111",
        "hr_admin":         "01111",
        "employee":         "00000",
    },
    "comment_panel": {
        "assigned":         "00100",
        "conflicted":       "00000",
        "pool_unassigned":  "00000",
        "team_member":      "00000",
        "racecourse_admin": "01100",
        "hr_admin":         "01100",
        "employee":         "00000",
    },
    "decide": {
        "assigned":         "00000",
        "conflicted":       "00000",
        "pool_unassigned":  "00000",
        "team_member":      "00000",
        "racecourse_admin": "01100",
        "hr_admin":         "01100",
        "employee":         "00000",
    },
}  # fmt: skip


def test_matrix_is_complete():
    assert set(MATRIX) == set(PERMS)
    for rows in MATRIX.values():
        assert set(rows) == set(ROLES)
        assert all(len(row) == len(STATES) for row in rows.values())


@pytest.fixture
def world():
    racecourse = racecourse_with_pool(0, season=SeasonFactory(teams_per_person=50))
    rubric_for(racecourse)
    people = {
        "assigned": evaluator(),
        "conflicted": evaluator(),
        "pool_unassigned": evaluator(),
        "team_member": UserFactory(),
        "racecourse_admin": UserFactory(),
        "hr_admin": hr(),
        "employee": UserFactory(),
    }
    racecourse.evaluators.add(people["pool_unassigned"])
    racecourse.admins.add(people["racecourse_admin"])
    return racecourse, people


def build(racecourse, people, state, *, visibility=Visibility.EVERYONE):
    """The project in ``state`` with the people of ``world`` in their roles."""
    captain = UserFactory()
    idea = idea_draft(author=captain, racecourse=racecourse, visibility=visibility)
    member = people["team_member"]
    invitation_accept(
        invitation=team_invite(idea=idea, actor=captain, invitee=member), actor=member
    )
    funnel.idea_register(idea=idea, actor=captain)
    for stage in (Stage.SCREENING, Stage.GESTATION):
        funnel.idea_transition(idea=idea, to=stage, actor=captain, reason="test")
    assign(idea, people["assigned"])
    assign(idea, people["conflicted"])
    if state != "gestation":
        funnel.idea_submit_proposal(idea=idea, actor=captain)
        proposal_for(idea)
        scored(idea)  # another evaluator's submitted card
        if state == "draft":
            scorecard_save(actor=people["assigned"], idea=idea, scores={})
        else:
            scored(idea, people["assigned"])
            scored(idea, people["conflicted"])
        if state in ("selected", "eliminated"):
            decided(idea, outcome=state)
    captain.manager = people["conflicted"]
    captain.save()
    idea.refresh_from_db()
    return idea


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", STATES)
def test_role_action_matrix(world, role, state):
    """Each role may do exactly what MATRIX says in each state."""
    racecourse, people = world
    idea = build(racecourse, people, state)
    expected_stage = {
        "gestation": Stage.GESTATION,
        "draft": Stage.EVALUATION,
        "submitted": Stage.EVALUATION,
        "selected": Stage.REALIZATION,
        "eliminated": Stage.ELIMINATED,
    }[state]
    assert idea.stage == expected_stage
    user = people[role]

    got = {perm: can(user, f"voting.{perm}", idea) for perm in PERMS}

    want = {perm: MATRIX[perm][role][STATES.index(state)] == "1" for perm in PERMS}
    assert got == want


def test_nobody_logged_out_may_do_anything(world):
    racecourse, people = world
    idea = build(racecourse, people, "submitted")
    anonymous = AnonymousUser()
    assert not any(rules_perm(anonymous, perm, idea) for perm in PERMS)
    assert not rules_perm(anonymous, "view_panel", racecourse)


def rules_perm(user, perm, obj):
    import rules

    return rules.has_perm(f"voting.{perm}", user, obj)


@pytest.mark.parametrize(
    "role, allowed",
    [
        ("racecourse_admin", True),
        ("hr_admin", True),
        ("assigned", False),
        ("pool_unassigned", False),
        ("employee", False),
    ],
)
def test_view_panel_is_hr_and_the_racecourse_admins(world, role, allowed):
    racecourse, people = world
    assert can(people[role], "voting.view_panel", racecourse) is allowed
    other_admin = UserFactory()
    racecourse_with_pool(0).admins.add(other_admin)
    assert not can(other_admin, "voting.view_panel", racecourse)


def test_a_closed_evaluation_window_ends_scoring_but_not_the_panel(world):
    """After the window closes nobody scores; HR still decides."""
    import datetime as dt

    from django.utils import timezone

    racecourse, people = world
    idea = build(racecourse, people, "submitted")
    now = timezone.now()
    StageWindowFactory(
        racecourse=racecourse,
        stage="evaluation",
        opens_at=now - dt.timedelta(days=10),
        closes_at=now - dt.timedelta(minutes=1),
    )
    assert not can(people["assigned"], "voting.score_idea", idea)
    assert can(people["assigned"], "voting.see_scores", idea)
    assert can(people["hr_admin"], "voting.decide", idea)


def test_confidential_projects_stay_with_hr(world):
    """A racecourse admin may not see a confidential project, so neither its
    scores nor its decision; HR may."""
    racecourse, people = world
    idea = build(racecourse, people, "submitted", visibility=Visibility.CONFIDENTIAL)
    admin = people["racecourse_admin"]
    assert not can(admin, "voting.see_scores", idea)
    assert not can(admin, "voting.decide", idea)
    assert can(people["hr_admin"], "voting.decide", idea)
    # The assigned evaluator keeps their rights: evaluators see confidential ideas.
    assert can(people["assigned"], "voting.see_scores", idea)


def test_an_admin_on_the_team_is_conflicted(world):
    """A racecourse admin who is on the project's team neither sees its
    scores nor decides it."""
    racecourse, people = world
    racecourse.admins.add(people["team_member"])
    idea = build(racecourse, people, "submitted")
    assert not can(people["team_member"], "voting.see_scores", idea)
    assert not can(people["team_member"], "voting.decide", idea)
    assert PanelDecision.objects.count() == 0
