"""Reads for ideas, above all: the list query agrees with the ``view_idea`` rule."""

import itertools
import random

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from contests.models import Racecourse, Trainer
from horserace.common.permissions import can
from ideas import funnel
from ideas.models import Idea, RequestStatus, Stage, TrainerAssignment, Visibility
from ideas.selectors import (
    idea_get_visible,
    idea_list_visible,
    idea_stage_counts,
    ideas_of_user,
    invitation_list,
    invitations_pending,
    join_request_list,
    team_pending,
)
from ideas.services.registration import idea_register
from ideas.services.teams import (
    invitation_accept,
    invitation_decline,
    join_request_create,
    team_invite,
)
from tests.factories import (
    ChallengeFactory,
    DepartmentFactory,
    RacecourseFactory,
    SeasonFactory,
    StageWindowFactory,
    UserFactory,
    idea_draft,
    idea_in_stage,
    open_racecourse,
)

pytestmark = pytest.mark.django_db


def _walk(idea, stage):
    """Move a draft to ``stage`` through the funnel."""
    if stage == Stage.DRAFT:
        return
    if stage == Stage.WITHDRAWN:
        funnel.idea_withdraw(idea=idea, actor=idea.author)
        return
    idea_register(idea=idea, actor=idea.author)
    if stage == Stage.ELIMINATED:
        funnel.idea_open_screening(idea=idea)
        funnel.idea_eliminate(idea=idea, reason="Voted down")


@pytest.fixture
def population():
    """A small company: a department tree, people in every role, ideas everywhere.

    Departments: root > child > grandchild, and an unrelated one. Racecourses:
    main, farm, the root's and the child's department racecourses, and a
    department racecourse with no department. Ideas: every racecourse x
    visibility x stage (draft, registered, eliminated, withdrawn), by rotating
    authors, with members, pending and declined invitations scattered by a
    seeded random generator.
    """
    rng = random.Random(20261121)
    root = DepartmentFactory(code="root")
    child = DepartmentFactory(code="child", parent=root)
    grandchild = DepartmentFactory(code="grandchild", parent=child)
    other = DepartmentFactory(code="other")

    season = SeasonFactory(teams_per_person=500)
    racecourses = [
        RacecourseFactory(season=season, kind=Racecourse.Kind.MAIN, team_size_limit=50),
        RacecourseFactory(season=season, kind=Racecourse.Kind.FARM, team_size_limit=50),
        RacecourseFactory(season=season, department=root, team_size_limit=50),
        RacecourseFactory(season=season, department=child, team_size_limit=50),
        RacecourseFactory(season=season, department=None, team_size_limit=50),
    ]
    for racecourse in racecourses:
        if not racecourse.is_farm:
            StageWindowFactory(racecourse=racecourse)

    users = {
        "root": UserFactory(department=root),
        "child": UserFactory(department=child),
        "grandchild": UserFactory(department=grandchild),
        "other": UserFactory(department=other),
        "no_department": UserFactory(department=None),
        "evaluator_other": UserFactory(department=other, is_evaluator=True),
        "evaluator_child": UserFactory(department=child, is_evaluator=True),
        "mentor": UserFactory(department=root, is_mentor=True),
        "hr_admin": UserFactory(department=other, is_hr_admin=True),
        "superuser": UserFactory(department=None, is_superuser=True),
        "child_racecourse_admin": UserFactory(department=other),
        "inactive": UserFactory(department=child, is_active=False),
    }
    racecourses[3].admins.add(users["child_racecourse_admin"])
    racecourses[2].admins.add(users["evaluator_other"])
    authors = [
        users[k] for k in ("root", "child", "grandchild", "other", "no_department")
    ]
    joiners = [u for k, u in users.items() if k != "inactive"]

    ideas = []
    combos = itertools.product(
        racecourses,
        Visibility.values,
        [Stage.DRAFT, Stage.REGISTERED, Stage.ELIMINATED, Stage.WITHDRAWN],
    )
    for n, (racecourse, visibility, stage) in enumerate(combos):
        author = authors[n % len(authors)]
        idea = idea_draft(
            author=author,
            racecourse=racecourse,
            visibility=visibility,
            title=f"Idea {n} {visibility} {stage}",
        )
        others = [u for u in joiners if u != author]
        member, pending, declined = rng.sample(others, 3)
        if rng.random() < 0.5:
            invitation_accept(
                invitation=team_invite(idea=idea, actor=author, invitee=member),
                actor=member,
            )
        if rng.random() < 0.4:
            team_invite(idea=idea, actor=author, invitee=pending)
        if rng.random() < 0.3 and declined != pending:
            invitation_decline(
                invitation=team_invite(idea=idea, actor=author, invitee=declined),
                actor=declined,
            )
        _walk(idea, stage)
        idea.refresh_from_db()
        assert idea.stage == stage
        ideas.append(idea)
    # The mentor trains some confidential teams: now, before, or only asked.
    trainer = Trainer.objects.create(season=season, user=users["mentor"], capacity=50)
    confidential = [i for i in ideas if i.visibility == Visibility.CONFIDENTIAL]
    statuses = ["active", "ended", "requested", "declined"]
    for idea, status in zip(confidential[1::5], statuses, strict=False):
        TrainerAssignment.objects.create(idea=idea, trainer=trainer, status=status)
    users["anonymous"] = AnonymousUser()
    return users, ideas


def test_list_agrees_with_the_view_rule_for_everyone(population):
    """For every person and every idea: listed exactly when ``view_idea`` allows.

    This is the proof that the queryset in the selector and the predicate in
    ``ideas.rules`` are the same visibility rule written twice.
    """
    users, ideas = population
    disagreements = []
    sizes = {}
    for name, user in users.items():
        listed = set(idea_list_visible(user=user).values_list("pk", flat=True))
        allowed = {i.pk for i in ideas if user.has_perm("ideas.view_idea", i)}
        sizes[name] = len(allowed)
        for pk in listed ^ allowed:
            idea = next(i for i in ideas if i.pk == pk)
            disagreements.append(
                f"{name}: {idea.title} on {idea.racecourse.kind}"
                f"/{idea.racecourse.department} listed={pk in listed}"
            )
    assert disagreements == []
    # The population is rich enough to mean something.
    assert sizes["hr_admin"] == sizes["superuser"] == len(ideas)
    assert sizes["anonymous"] == 0
    assert 0 < sizes["other"] < sizes["child"] < len(ideas)


def test_body_filter_agrees_with_the_read_rule_for_everyone(population):
    """``content_q`` (search, lists) and ``ideas.read_content`` are one rule.

    HR and a racecourse admin read a confidential body only once opened.
    """
    from ideas.models import IdeaAccess
    from ideas.services.access import idea_access_request
    from ideas.visibility import content_q

    users, ideas = population
    secret = next(
        i
        for i in ideas
        if i.visibility == Visibility.CONFIDENTIAL
        and not can(users["hr_admin"], "ideas.read_content", i)
    )
    hr_before = {i.pk for i in ideas if can(users["hr_admin"], "ideas.read_content", i)}
    idea_access_request(
        idea=secret,
        user=users["hr_admin"],
        kind=IdeaAccess.Kind.OPEN,
        reason="Checking a complaint about this project.",
    )
    disagreements, sizes = [], {}
    for name, user in users.items():
        # ``can``, not ``has_perm``: Django answers yes to anything for a superuser.
        visible = [i for i in ideas if can(user, "ideas.view_idea", i)]
        readable = set(
            Idea.objects.filter(content_q(user), pk__in=[i.pk for i in visible])
            .values_list("pk", flat=True)
            .distinct()
        )
        allowed = {i.pk for i in visible if can(user, "ideas.read_content", i)}
        sizes[name] = (len(visible), len(allowed))
        disagreements += [f"{name}: {pk}" for pk in readable ^ allowed]
    assert disagreements == []
    # HR knows every idea exists but reads one confidential body: the one opened.
    assert sizes["hr_admin"] == (len(ideas), len(hr_before) + 1)
    assert len(hr_before) < len(ideas)  # confidential bodies are sealed to HR


def test_idea_get_visible_follows_the_same_rule(population):
    """The detail read returns visible ideas and 404s for the rest."""
    users, ideas = population
    user = users["other"]
    for idea in ideas:
        if user.has_perm("ideas.view_idea", idea):
            assert idea_get_visible(user=user, pk=idea.pk) == idea
        else:
            with pytest.raises(Http404):
                idea_get_visible(user=user, pk=idea.pk)


@pytest.mark.parametrize("pk", [0, 999_999, "abc", None])
def test_idea_get_visible_404s_for_missing_or_malformed_ids(pk):
    """Bad ids are a 404, never a 500."""
    with pytest.raises(Http404):
        idea_get_visible(user=UserFactory(), pk=pk)


def test_list_has_no_duplicates_and_counts_the_team():
    """Ideas with several members and invitations appear once, with their team size."""
    idea = idea_in_stage(Stage.REGISTERED)
    viewer = UserFactory()
    for _ in range(2):
        member = UserFactory()
        invitation_accept(
            invitation=team_invite(idea=idea, actor=idea.author, invitee=member),
            actor=member,
        )
    team_invite(idea=idea, actor=idea.author, invitee=viewer)
    team_invite(idea=idea, actor=idea.author, invitee=UserFactory())

    rows = list(idea_list_visible(user=viewer))

    assert [r.pk for r in rows] == [idea.pk]
    assert rows[0].team_size == 3


def test_list_filters_by_stage_challenge_racecourse_and_season():
    """Filters narrow the visible ideas; they never widen them."""
    racecourse = open_racecourse()
    challenge = ChallengeFactory(racecourse=racecourse)
    registered = idea_in_stage(
        Stage.REGISTERED, racecourse=racecourse, challenge=challenge
    )
    gestating = idea_in_stage(Stage.GESTATION, racecourse=racecourse)
    elsewhere = idea_in_stage(Stage.REGISTERED)
    idea_draft(racecourse=racecourse, challenge=challenge)  # someone's draft
    viewer = UserFactory()

    def pks(**filters):
        return set(
            idea_list_visible(user=viewer, **filters).values_list("pk", flat=True)
        )

    assert pks() == {registered.pk, gestating.pk, elsewhere.pk}
    assert pks(stage=Stage.GESTATION) == {gestating.pk}
    assert pks(stage=Stage.DRAFT) == set()
    assert pks(challenge_id=challenge.pk) == {registered.pk}
    assert pks(racecourse=racecourse) == {registered.pk, gestating.pk}
    assert pks(season=elsewhere.racecourse.season) == {elsewhere.pk}
    assert pks(racecourse=racecourse, stage=Stage.REGISTERED) == {registered.pk}


def test_list_search_looks_in_title_pitch_and_problem():
    """Search is case-insensitive over title, pitch and problem."""
    by_title = idea_in_stage(Stage.REGISTERED, title="Drone delivery")
    by_pitch = idea_in_stage(Stage.REGISTERED, pitch="Deliver by DRONE.")
    by_problem = idea_in_stage(Stage.REGISTERED, problem="Drones are idle.")
    idea_in_stage(Stage.REGISTERED, title="Cold chain")
    hidden = idea_in_stage(
        Stage.REGISTERED, title="Drone secret", visibility=Visibility.CONFIDENTIAL
    )
    viewer = UserFactory()

    found = set(
        idea_list_visible(user=viewer, search="drone").values_list("pk", flat=True)
    )

    assert found == {by_title.pk, by_pitch.pk, by_problem.pk}
    assert hidden.pk not in found


def test_list_is_newest_first():
    """Lists show the newest ideas first."""
    first = idea_in_stage(Stage.REGISTERED)
    second = idea_in_stage(Stage.REGISTERED)
    pks = list(idea_list_visible(user=UserFactory()).values_list("pk", flat=True))
    assert pks == [second.pk, first.pk]


def test_ideas_of_user_lists_the_users_teams():
    """My ideas: every team I am on, newest first, with team size and open requests."""
    me = UserFactory()
    mine = idea_in_stage(Stage.REGISTERED, author=me)
    theirs = idea_in_stage(Stage.REGISTERED)
    invitation_accept(
        invitation=team_invite(idea=theirs, actor=theirs.author, invitee=me), actor=me
    )
    join_request_create(idea=mine, actor=UserFactory())
    join_request_create(idea=mine, actor=UserFactory())
    idea_in_stage(Stage.REGISTERED)  # not mine

    rows = list(ideas_of_user(user=me))

    assert [(r.idea, r.role) for r in rows] == [(theirs, "member"), (mine, "captain")]
    assert [r.team_size for r in rows] == [2, 1]
    assert [r.pending_requests for r in rows] == [0, 2]


def test_invitations_pending_lists_only_open_invitations_for_the_user():
    """Declined and cancelled invitations, and other people's, are left out."""
    me = UserFactory()
    open_one = idea_in_stage(Stage.REGISTERED)
    answered = idea_in_stage(Stage.REGISTERED)
    waiting = team_invite(idea=open_one, actor=open_one.author, invitee=me)
    invitation_decline(
        invitation=team_invite(idea=answered, actor=answered.author, invitee=me),
        actor=me,
    )
    team_invite(idea=answered, actor=answered.author, invitee=UserFactory())

    assert list(invitations_pending(user=me)) == [waiting]


def test_invitation_and_join_request_lists_for_invitee_requester_and_captain():
    """People see what they received or sent; captains see what waits on them."""
    idea = idea_in_stage(Stage.REGISTERED)
    captain, invitee, asker = idea.author, UserFactory(), UserFactory()
    invitation = team_invite(idea=idea, actor=captain, invitee=invitee)
    join_request = join_request_create(idea=idea, actor=asker)
    outsider = UserFactory()

    assert list(invitation_list(user=invitee)) == [invitation]
    assert list(invitation_list(user=captain)) == [invitation]
    assert list(invitation_list(user=outsider)) == []
    assert list(join_request_list(user=asker)) == [join_request]
    assert list(join_request_list(user=captain)) == [join_request]
    assert list(join_request_list(user=outsider)) == []

    pending = team_pending(idea=idea)
    assert pending == {"invitations": [invitation], "join_requests": [join_request]}
    invitation_decline(invitation=invitation, actor=invitee)
    assert team_pending(idea=idea)["invitations"] == []
    assert invitation_list(user=invitee).get().status == RequestStatus.DECLINED


def test_stage_counts_count_only_what_the_user_may_see():
    """Per-stage counts leave out drafts and ideas hidden from the viewer."""
    racecourse = open_racecourse()
    idea_in_stage(Stage.REGISTERED, racecourse=racecourse)
    idea_in_stage(Stage.REGISTERED, racecourse=racecourse)
    idea_in_stage(Stage.SCREENING, racecourse=racecourse)
    idea_in_stage(
        Stage.SCREENING, racecourse=racecourse, visibility=Visibility.CONFIDENTIAL
    )
    idea_draft(racecourse=racecourse)
    counts = idea_stage_counts(user=UserFactory(), racecourse=racecourse)
    assert counts == {Stage.REGISTERED: 2, Stage.SCREENING: 1}
