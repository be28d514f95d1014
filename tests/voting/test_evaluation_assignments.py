"""Services of the evaluator pool: settings, pool, automatic and manual
assignment, and preferences, each with its refusals."""

import random

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from horserace.notifications.models import Notification
from ideas.models import Stage
from ideas.services.teams import invitation_accept, team_invite
from tests.factories import DepartmentFactory, UserFactory, idea_in_stage
from tests.factories_evaluation import (
    assign,
    evaluator,
    idea_in_evaluation,
    pool_of,
    racecourse_with_pool,
    scorecard,
)
from voting.evaluation.assignments.assign import (
    assignment_add,
    assignment_remove,
    assignments_auto,
)
from voting.evaluation.assignments.pool import (
    evaluation_settings_update,
    evaluator_pool_add,
    evaluator_pool_remove,
    preference_set,
)
from voting.evaluation.assignments.selectors import evaluator_load
from voting.evaluation.conflicts.automatic import conflict_map
from voting.evaluation.conflicts.declared import conflict_declare
from voting.models import Assignment, Conflict, EvaluatorPreference, Scorecard

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr():
    return UserFactory(is_hr_admin=True)


@pytest.fixture
def racecourse():
    return racecourse_with_pool(
        4, evaluators_per_project=2, max_projects_per_evaluator=3
    )


@pytest.fixture
def admin(racecourse):
    user = UserFactory()
    racecourse.admins.add(user)
    return user


@pytest.fixture
def project(racecourse):
    return idea_in_evaluation(racecourse=racecourse)


# --- Settings --------------------------------------------------------------------


def test_settings_update_changes_what_is_given(racecourse, admin):
    """The racecourse admin sets k, L and the flags; None leaves a setting."""
    evaluation_settings_update(
        actor=admin,
        racecourse=racecourse,
        evaluators_per_project=3,
        blind_evaluation=True,
    )
    racecourse.refresh_from_db()
    assert racecourse.evaluators_per_project == 3
    assert racecourse.max_projects_per_evaluator == 3  # unchanged
    assert racecourse.blind_evaluation and not racecourse.conflict_same_department


@pytest.mark.parametrize(
    "field,value",
    [
        ("evaluators_per_project", 0),
        ("evaluators_per_project", 21),
        ("max_projects_per_evaluator", 0),
        ("max_projects_per_evaluator", 201),
    ],
)
def test_settings_out_of_range_are_refused(racecourse, hr, field, value):
    with pytest.raises(ValidationError) as error:
        evaluation_settings_update(actor=hr, racecourse=racecourse, **{field: value})
    assert field in error.value.message_dict


def test_settings_need_hr_or_the_racecourse_admin(racecourse):
    """An evaluator of the pool, or another racecourse's admin, is refused."""
    other_admin = UserFactory()
    racecourse_with_pool(0).admins.add(other_admin)
    for actor in (pool_of(racecourse)[0], other_admin):
        with pytest.raises(PermissionDenied):
            evaluation_settings_update(
                actor=actor, racecourse=racecourse, blind_evaluation=True
            )


def test_turning_on_same_department_drops_the_assignments_it_forbids(racecourse, hr):
    """Assignments the new rule forbids go, and their evaluators are told."""
    dept = DepartmentFactory()
    colleague = evaluator(department=dept)
    idea = idea_in_evaluation(
        racecourse=racecourse, author=UserFactory(department=dept)
    )
    assign(idea, colleague)
    keep = assign(idea, pool_of(racecourse)[0])
    evaluation_settings_update(
        actor=hr, racecourse=racecourse, conflict_same_department=True
    )
    assert list(Assignment.objects.filter(idea=idea)) == [keep]
    assert Notification.objects.filter(recipient=colleague).exists()


# --- Pool ------------------------------------------------------------------------


def test_pool_add_puts_an_evaluator_in_and_tells_them(racecourse, admin):
    newcomer = evaluator()
    evaluator_pool_add(actor=admin, racecourse=racecourse, user=newcomer)
    assert racecourse.evaluators.filter(pk=newcomer.pk).exists()
    assert Notification.objects.filter(recipient=newcomer).exists()


@pytest.mark.parametrize("who", ["employee", "inactive", "member_of_pool"])
def test_pool_add_refusals(racecourse, hr, who):
    """Only active people with the evaluator role, and only once."""
    user = {
        "employee": lambda: UserFactory(),
        "inactive": lambda: evaluator(is_active=False),
        "member_of_pool": lambda: pool_of(racecourse)[0],
    }[who]()
    with pytest.raises(ValidationError) as error:
        evaluator_pool_add(actor=hr, racecourse=racecourse, user=user)
    assert "user" in error.value.message_dict


def test_pool_add_needs_a_manager(racecourse):
    with pytest.raises(PermissionDenied):
        evaluator_pool_add(actor=UserFactory(), racecourse=racecourse, user=evaluator())


def test_pool_remove_drops_unscored_assignments(racecourse, admin, project):
    """Leaving the pool takes the evaluator's assignments (drafts included)."""
    judge = pool_of(racecourse)[0]
    scorecard(assign(project, judge))
    other = idea_in_evaluation(racecourse=racecourse)
    assign(other, judge)
    dropped = evaluator_pool_remove(actor=admin, racecourse=racecourse, user=judge)
    assert dropped == 2
    assert not racecourse.evaluators.filter(pk=judge.pk).exists()
    assert not Assignment.objects.filter(evaluator=judge).exists()
    assert not Scorecard.objects.exists()


def test_pool_remove_refused_after_a_submitted_scorecard(racecourse, hr, project):
    judge = pool_of(racecourse)[0]
    scorecard(assign(project, judge), submitted=True)
    with pytest.raises(ValidationError) as error:
        evaluator_pool_remove(actor=hr, racecourse=racecourse, user=judge)
    assert error.value.code == "scored"
    assert racecourse.evaluators.filter(pk=judge.pk).exists()


def test_pool_remove_refusals(racecourse, hr):
    with pytest.raises(ValidationError):
        evaluator_pool_remove(actor=hr, racecourse=racecourse, user=evaluator())
    with pytest.raises(PermissionDenied):
        evaluator_pool_remove(
            actor=pool_of(racecourse)[1],
            racecourse=racecourse,
            user=pool_of(racecourse)[0],
        )


# --- Automatic assignment -----------------------------------------------------------


def _check_invariants(racecourse):
    """Every project has at most k, nobody more than L, no conflict assigned."""
    ideas = list(
        racecourse.ideas.filter(stage=Stage.EVALUATION).select_related("racecourse")
    )
    conflicts = conflict_map(ideas=ideas)
    for a in Assignment.objects.filter(idea__in=ideas):
        assert a.evaluator_id not in conflicts[a.idea_id]
    for judge in pool_of(racecourse):
        load = evaluator_load(racecourse=racecourse, evaluator=judge)
        assert load <= racecourse.max_projects_per_evaluator
    for idea in ideas:
        assert idea.evaluation_assignments.count() <= racecourse.evaluators_per_project


def test_auto_assigns_k_per_project_within_l(racecourse, admin):
    """Four evaluators, L = 3, k = 2: five projects get two each."""
    ideas = [idea_in_evaluation(racecourse=racecourse) for _ in range(5)]
    result = assignments_auto(actor=admin, racecourse=racecourse)
    assert len(result.created) == 10
    assert result.report.short == [] and result.report.connected
    for idea in ideas:
        assert idea.evaluation_assignments.count() == 2
    assert {a.source for a in result.created} == {Assignment.Source.AUTO}
    assert {a.assigned_by for a in result.created} == {admin}
    _check_invariants(racecourse)
    summary = result.summary()
    assert summary["created"] == 10 and len(summary["loads"]) == 4


def test_auto_is_idempotent(racecourse, hr):
    """Running it twice adds nothing the second time."""
    for _ in range(3):
        idea_in_evaluation(racecourse=racecourse)
    assignments_auto(actor=hr, racecourse=racecourse)
    again = assignments_auto(actor=hr, racecourse=racecourse)
    assert again.created == [] and Assignment.objects.count() == 6


def test_auto_never_assigns_a_conflict(racecourse, hr, project):
    """Declared and automatic conflicts are respected; a project only its
    conflicted evaluators could take is reported short, with the reason."""
    judges = pool_of(racecourse)
    for judge in judges[:3]:
        conflict_declare(actor=judge, idea=project, evaluator=judge, kind="other")
    boss = judges[3]
    bossed = idea_in_evaluation(racecourse=racecourse, author=UserFactory(manager=boss))
    result = assignments_auto(actor=hr, racecourse=racecourse)
    assert list(project.evaluation_assignments.values_list("evaluator", flat=True)) == [
        boss.pk
    ]
    assert not bossed.evaluation_assignments.filter(evaluator=boss).exists()
    short = {s.project: s.reason for s in result.report.short}
    assert short == {project.pk: "conflicts"}
    _check_invariants(racecourse)


def test_auto_removes_assignments_a_new_conflict_forbids(racecourse, hr, project):
    """An evaluator who joined the team after being assigned loses the
    assignment on the next run, and another takes the place."""
    judge = pool_of(racecourse)[0]
    assign(project, judge)
    invitation = team_invite(idea=project, actor=project.author, invitee=judge)
    invitation_accept(invitation=invitation, actor=judge)
    result = assignments_auto(actor=hr, racecourse=racecourse)
    assert result.removed_conflicted == 1
    assert not project.evaluation_assignments.filter(evaluator=judge).exists()
    assert project.evaluation_assignments.count() == 2


def test_auto_keeps_existing_assignments_and_tops_up(racecourse, hr, project):
    manual = assign(project, pool_of(racecourse)[2])
    result = assignments_auto(actor=hr, racecourse=racecourse)
    assert len(result.created) == 1
    assert Assignment.objects.filter(pk=manual.pk).exists()


def test_auto_only_assigns_projects_in_evaluation_and_real_evaluators(hr):
    """Ideas in other stages are left alone; pool members whose evaluator
    role was revoked get nothing."""
    racecourse = racecourse_with_pool(3, evaluators_per_project=3)
    revoked = pool_of(racecourse)[0]
    revoked.is_evaluator = False
    revoked.save()
    gestating = idea_in_stage(Stage.GESTATION, racecourse=racecourse)
    project = idea_in_evaluation(racecourse=racecourse)
    result = assignments_auto(actor=hr, racecourse=racecourse)
    assert not gestating.evaluation_assignments.exists()
    assert not project.evaluation_assignments.filter(evaluator=revoked).exists()
    assert [(s.project, s.reason) for s in result.report.short] == [
        (project.pk, "pool")
    ]


def test_auto_honours_preferences(hr):
    """With room for everyone, "would like to" wins and "rather not" loses."""
    racecourse = racecourse_with_pool(3, evaluators_per_project=1)
    a, b, c = pool_of(racecourse)
    project = idea_in_evaluation(racecourse=racecourse)
    preference_set(evaluator=a, idea=project, level=-1)
    preference_set(evaluator=c, idea=project, level=1)
    assignments_auto(actor=hr, racecourse=racecourse)
    assert list(project.evaluation_assignments.values_list("evaluator", flat=True)) == [
        c.pk
    ]


def test_auto_tells_each_evaluator_once(racecourse, hr):
    for _ in range(3):
        idea_in_evaluation(racecourse=racecourse)
    assignments_auto(actor=hr, racecourse=racecourse)
    for judge in pool_of(racecourse):
        load = evaluator_load(racecourse=racecourse, evaluator=judge)
        assert Notification.objects.filter(recipient=judge).count() == (
            1 if load else 0
        )


def test_auto_needs_a_manager(racecourse):
    with pytest.raises(PermissionDenied):
        assignments_auto(actor=pool_of(racecourse)[0], racecourse=racecourse)


def test_auto_on_a_generated_pool_keeps_every_rule(hr):
    """A generated pool with random conflicts, preferences and departments:
    nothing conflicted, nothing above L, everyone possible filled, and a
    second run adds nothing."""
    rng = random.Random(7)
    depts = [DepartmentFactory() for _ in range(3)]
    racecourse = racecourse_with_pool(
        0,
        evaluators_per_project=3,
        max_projects_per_evaluator=4,
        conflict_same_department=True,
    )
    judges = [evaluator(department=rng.choice(depts)) for _ in range(9)]
    racecourse.evaluators.add(*judges)
    ideas = [
        idea_in_evaluation(
            racecourse=racecourse,
            author=UserFactory(department=rng.choice(depts)),
        )
        for _ in range(10)
    ]
    for idea in ideas:
        for judge in rng.sample(judges, 2):
            if rng.random() < 0.3:
                Conflict.objects.create(
                    idea=idea,
                    evaluator=judge,
                    kind="other",
                    source="admin",
                    declared_by=hr,
                )
            elif rng.random() < 0.5:
                EvaluatorPreference.objects.update_or_create(
                    evaluator=judge, idea=idea, defaults={"level": rng.choice([-1, 1])}
                )
    result = assignments_auto(actor=hr, racecourse=racecourse)
    _check_invariants(racecourse)
    conflicts = conflict_map(ideas=[i for i in ideas])
    short = {s.project for s in result.report.short}
    for idea in ideas:
        count = idea.evaluation_assignments.count()
        if idea.pk not in short:
            assert count == 3
            continue
        # Short: everyone else is conflicted, already on it, or full.
        on = set(idea.evaluation_assignments.values_list("evaluator", flat=True))
        for judge in judges:
            assert (
                judge.pk in on
                or judge.pk in conflicts[idea.pk]
                or evaluator_load(racecourse=racecourse, evaluator=judge) == 4
            )
    assert assignments_auto(actor=hr, racecourse=racecourse).created == []


# --- Manual assignment -----------------------------------------------------------


def test_assignment_add_by_hand(racecourse, admin, project):
    judge = pool_of(racecourse)[0]
    assignment = assignment_add(actor=admin, idea=project, evaluator=judge)
    assert assignment.source == Assignment.Source.MANUAL
    assert assignment.assigned_by == admin
    assert Notification.objects.filter(recipient=judge).exists()


def test_assignment_add_refusals(racecourse, hr, project):
    """Out of the pool, conflicted, or already assigned: refused, with the
    field named."""
    judge, conflicted = pool_of(racecourse)[:2]
    conflict_declare(actor=conflicted, idea=project, evaluator=conflicted, kind="other")
    assign(project, judge)
    cases = [(evaluator(), None), (conflicted, "conflict"), (judge, "duplicate")]
    for person, code in cases:
        with pytest.raises(ValidationError) as error:
            assignment_add(actor=hr, idea=project, evaluator=person)
        assert "evaluator" in error.value.message_dict
        if code:
            assert error.value.error_dict["evaluator"][0].code == code


def test_assignment_add_over_l_needs_the_override(racecourse, hr):
    """At L already: refused, unless the manager overrides the limit."""
    judge = pool_of(racecourse)[0]
    for _ in range(3):
        assign(idea_in_evaluation(racecourse=racecourse), judge)
    extra = idea_in_evaluation(racecourse=racecourse)
    with pytest.raises(ValidationError) as error:
        assignment_add(actor=hr, idea=extra, evaluator=judge)
    assert error.value.error_dict["evaluator"][0].code == "load"
    assignment = assignment_add(
        actor=hr, idea=extra, evaluator=judge, override_load=True
    )
    assert assignment.source == Assignment.Source.MANUAL
    assert evaluator_load(racecourse=racecourse, evaluator=judge) == 4


def test_assignment_add_only_in_evaluation(racecourse, hr):
    idea = idea_in_stage(Stage.GESTATION, racecourse=racecourse)
    with pytest.raises(ValidationError) as error:
        assignment_add(actor=hr, idea=idea, evaluator=pool_of(racecourse)[0])
    assert error.value.code == "stage"


def test_assignment_add_needs_a_manager(racecourse, project):
    judge = pool_of(racecourse)[0]
    for actor in (judge, project.author):
        with pytest.raises(PermissionDenied):
            assignment_add(actor=actor, idea=project, evaluator=judge)


def test_assignment_remove(racecourse, admin, project):
    judge = pool_of(racecourse)[0]
    assignment = assign(project, judge)
    scorecard(assignment)  # a draft is not part of the record
    assignment_remove(actor=admin, assignment=assignment)
    assert not Assignment.objects.exists()
    assert Notification.objects.filter(recipient=judge).exists()


def test_assignment_remove_with_a_submitted_scorecard(racecourse, admin, hr, project):
    """The admin may not; HR must force it, and then the scorecard goes too."""
    assignment = assign(project, pool_of(racecourse)[0])
    scorecard(assignment, submitted=True)
    with pytest.raises(PermissionDenied):
        assignment_remove(actor=admin, assignment=assignment, force=True)
    with pytest.raises(ValidationError) as error:
        assignment_remove(actor=hr, assignment=assignment)
    assert error.value.code == "scored"
    assignment_remove(actor=hr, assignment=assignment, force=True)
    assert not Scorecard.objects.exists()


def test_assignment_remove_refusals(racecourse, hr, project):
    assignment = assign(project, pool_of(racecourse)[0])
    with pytest.raises(PermissionDenied):
        assignment_remove(actor=pool_of(racecourse)[0], assignment=assignment)
    from ideas import funnel

    funnel.idea_select(idea=project, actor=hr)
    with pytest.raises(ValidationError):
        assignment_remove(actor=hr, assignment=assignment)


def test_assignment_remove_twice(racecourse, hr, project):
    """Removing an assignment that is already gone says so."""
    assignment = assign(project, pool_of(racecourse)[0])
    assignment_remove(actor=hr, assignment=assignment)
    with pytest.raises(ValidationError) as error:
        assignment_remove(actor=hr, assignment=assignment)
    assert error.value.code == "gone"


# --- Preferences -----------------------------------------------------------------


def test_preference_set_and_change(racecourse, project):
    judge = pool_of(racecourse)[0]
    preference_set(evaluator=judge, idea=project, level=1)
    preference_set(evaluator=judge, idea=project, level=-1)
    assert EvaluatorPreference.objects.get(evaluator=judge, idea=project).level == -1


def test_preference_refusals(racecourse, project):
    """Outside the pool: 403; conflicted, out of evaluation or a bad level: 400."""
    with pytest.raises(PermissionDenied):
        preference_set(evaluator=evaluator(), idea=project, level=1)
    judge = pool_of(racecourse)[0]
    with pytest.raises(ValidationError):
        preference_set(evaluator=judge, idea=project, level=2)
    gestating = idea_in_stage(Stage.GESTATION, racecourse=racecourse)
    with pytest.raises(ValidationError):
        preference_set(evaluator=judge, idea=gestating, level=1)
    conflict_declare(actor=judge, idea=project, evaluator=judge, kind="other")
    with pytest.raises(ValidationError) as error:
        preference_set(evaluator=judge, idea=project, level=1)
    assert error.value.code == "conflict"
