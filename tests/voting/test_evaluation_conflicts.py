"""Conflicts of interest: automatic ones, declared ones, and their withdrawal."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from horserace.notifications.models import Notification
from ideas.models import Stage, TeamMembership
from ideas.services.teams import invitation_accept, team_invite
from tests.factories import DepartmentFactory, UserFactory, idea_in_stage
from tests.factories_evaluation import (
    assign,
    evaluator,
    idea_in_evaluation,
    pool_of,
    racecourse_with_pool,
)
from voting.evaluation.conflicts.automatic import (
    conflict_map,
    conflicted_evaluator_ids,
    conflicts_for_idea,
    is_conflicted,
    racecourse_conflicts,
)
from voting.evaluation.conflicts.declared import conflict_declare, conflict_withdraw
from voting.models import Assignment, Conflict, Scorecard

pytestmark = pytest.mark.django_db


def _join(idea, user):
    invitation = team_invite(idea=idea, actor=idea.author, invitee=user)
    invitation_accept(invitation=invitation, actor=user)


@pytest.fixture
def racecourse():
    return racecourse_with_pool(3)


@pytest.fixture
def project(racecourse):
    return idea_in_evaluation(racecourse=racecourse)


# --- Automatic conflicts ---------------------------------------------------------


def test_team_members_are_conflicted(racecourse, project):
    """Everyone on the team, captain included, is conflicted automatically."""
    member = evaluator()
    _join(project, member)
    ids = conflicted_evaluator_ids(idea=project)
    assert {project.author_id, member.pk} <= ids
    assert is_conflicted(user=member, idea=project)
    kinds = {(c.evaluator_id, c.kind) for c in conflicts_for_idea(idea=project)}
    assert (member.pk, Conflict.Kind.TEAM) in kinds


def test_the_captains_manager_is_conflicted(racecourse):
    """The captain's manager may not judge the project."""
    boss = evaluator()
    idea = idea_in_evaluation(racecourse=racecourse, author=UserFactory(manager=boss))
    assert is_conflicted(user=boss, idea=idea)
    assert boss.pk in conflicted_evaluator_ids(idea=idea)
    infos = conflicts_for_idea(idea=idea)
    assert any(c.kind == Conflict.Kind.MANAGER and c.is_automatic for c in infos)


def test_same_department_only_when_the_racecourse_asks():
    """Same department as the captain is a conflict only with the flag on."""
    dept = DepartmentFactory()
    racecourse = racecourse_with_pool(0)
    colleague = evaluator(department=dept)
    racecourse.evaluators.add(colleague)
    idea = idea_in_evaluation(
        racecourse=racecourse, author=UserFactory(department=dept)
    )
    assert not is_conflicted(user=colleague, idea=idea)
    assert colleague.pk not in conflicted_evaluator_ids(idea=idea)
    racecourse.conflict_same_department = True
    racecourse.save()
    idea.refresh_from_db()
    assert is_conflicted(user=colleague, idea=idea)
    assert colleague.pk in conflicted_evaluator_ids(idea=idea)
    assert any(
        c.kind == Conflict.Kind.DEPARTMENT for c in conflicts_for_idea(idea=idea)
    )


def test_author_stands_in_for_a_missing_captain(racecourse):
    """With no captain on the team, the author's manager is conflicted."""
    boss = evaluator()
    idea = idea_in_evaluation(racecourse=racecourse, author=UserFactory(manager=boss))
    TeamMembership.objects.filter(idea=idea).delete()
    assert is_conflicted(user=boss, idea=idea)
    assert boss.pk in conflict_map(ideas=[idea])[idea.pk]


def test_declared_conflicts_count(racecourse, project):
    """A declared conflict row conflicts the evaluator like an automatic one."""
    judge = pool_of(racecourse)[0]
    assert not is_conflicted(user=judge, idea=project)
    conflict_declare(actor=judge, idea=project, evaluator=judge, kind="personal")
    assert is_conflicted(user=judge, idea=project)
    assert judge.pk in conflicted_evaluator_ids(idea=project)


def test_anonymous_user_is_never_conflicted(project):
    """Someone not logged in has no conflicts (and no access)."""
    from django.contrib.auth.models import AnonymousUser

    assert not is_conflicted(user=AnonymousUser(), idea=project)


def test_conflict_map_for_many_ideas_in_constant_queries(
    django_assert_max_num_queries,
):
    """The map for a whole racecourse costs the same few queries for 2 or 12
    ideas, and agrees with asking idea by idea."""
    dept = DepartmentFactory()
    racecourse = racecourse_with_pool(4, conflict_same_department=True)
    racecourse.evaluators.add(evaluator(department=dept))
    ideas = [
        idea_in_evaluation(
            racecourse=racecourse,
            author=UserFactory(department=dept, manager=pool_of(racecourse)[i % 4]),
        )
        for i in range(12)
    ]
    judge = pool_of(racecourse)[1]
    conflict_declare(actor=judge, idea=ideas[3], evaluator=judge, kind="financial")
    for idea in ideas:
        idea.racecourse = racecourse
    # Pool, teams (with their managers), the second management level,
    # trainers, entrants, departments, declared rows: seven, for 2 or 12.
    with django_assert_max_num_queries(7):
        conflict_map(ideas=ideas[:2])
    with django_assert_max_num_queries(7):
        result = conflict_map(ideas=ideas)
    for idea in ideas:
        assert result[idea.pk] == conflicted_evaluator_ids(idea=idea)
        assert idea.author_id in result[idea.pk]


def test_racecourse_conflicts_lists_the_pools_conflicts(racecourse, project):
    """The admin's list: automatic conflicts of pool members and every
    declared one, with the row to withdraw."""
    judge = pool_of(racecourse)[0]
    conflict_declare(actor=judge, idea=project, evaluator=judge, kind="competing")
    outsider = evaluator()  # on the team but not in the pool: not listed
    _join(project, outsider)
    infos = racecourse_conflicts(racecourse=racecourse)
    assert [(c.evaluator_id, c.source) for c in infos] == [(judge.pk, "evaluator")]
    assert infos[0].conflict is not None and infos[0].kind_label


# --- Declaring -------------------------------------------------------------------


def test_evaluator_declares_own_conflict_and_loses_the_assignment(racecourse, project):
    """An evaluator of the pool declares a conflict: the row records it as
    theirs, their assignment goes, and the racecourse's admins are told."""
    admin = UserFactory()
    racecourse.admins.add(admin)
    judge = pool_of(racecourse)[0]
    assign(project, judge)
    conflict = conflict_declare(
        actor=judge, idea=project, evaluator=judge, kind="personal", note=" friend "
    )
    assert conflict.source == Conflict.Source.EVALUATOR
    assert conflict.note == "friend" and conflict.declared_by == judge
    assert not Assignment.objects.filter(idea=project, evaluator=judge).exists()
    assert Notification.objects.filter(recipient=admin).exists()
    assert not Notification.objects.filter(recipient=judge).exists()


def test_captain_declares_against_a_pool_evaluator(racecourse, project):
    """The captain names an evaluator of the pool; the evaluator is told."""
    judge = pool_of(racecourse)[1]
    conflict = conflict_declare(
        actor=project.author, idea=project, evaluator=judge, kind="competing"
    )
    assert conflict.source == Conflict.Source.TEAM
    assert Notification.objects.filter(recipient=judge).exists()


def test_captain_cannot_name_someone_outside_the_pool(project):
    """Only evaluators of the racecourse's pool can be named."""
    with pytest.raises(ValidationError) as error:
        conflict_declare(
            actor=project.author, idea=project, evaluator=evaluator(), kind="other"
        )
    assert "evaluator" in error.value.message_dict


@pytest.mark.parametrize("who", ["hr", "racecourse_admin"])
def test_hr_and_racecourse_admin_record_any_conflict(racecourse, project, who):
    """HR and the racecourse's admins record a conflict for anyone in the pool."""
    actor = UserFactory(is_hr_admin=(who == "hr"))
    if who == "racecourse_admin":
        racecourse.admins.add(actor)
    judge = pool_of(racecourse)[2]
    conflict = conflict_declare(
        actor=actor, idea=project, evaluator=judge, kind="collaboration"
    )
    assert conflict.source == Conflict.Source.ADMIN


@pytest.mark.parametrize("who", ["outsider", "member", "non_pool_evaluator"])
def test_others_may_not_declare(racecourse, project, who):
    """Team members who are not captain, strangers and evaluators outside the
    pool are refused."""
    judge = pool_of(racecourse)[0]
    if who == "outsider":
        actor, target = UserFactory(), judge
    elif who == "member":
        actor = UserFactory()
        _join(project, actor)
        target = judge
    else:
        actor = evaluator()
        target = actor
    with pytest.raises(PermissionDenied):
        conflict_declare(actor=actor, idea=project, evaluator=target, kind="other")


@pytest.mark.parametrize(
    "stage", [Stage.SCREENING, Stage.REALIZATION, Stage.ELIMINATED]
)
def test_declaring_is_refused_outside_gestation_and_evaluation(racecourse, stage):
    """Conflicts are declared while the project is in gestation or evaluation."""
    idea = idea_in_stage(stage, racecourse=racecourse)
    judge = pool_of(racecourse)[0]
    with pytest.raises(ValidationError) as error:
        conflict_declare(actor=judge, idea=idea, evaluator=judge, kind="other")
    assert error.value.code == "stage"


def test_declaring_in_gestation_is_allowed(racecourse):
    """Before the panel forms, in gestation, conflicts may already be declared."""
    idea = idea_in_stage(Stage.GESTATION, racecourse=racecourse)
    judge = pool_of(racecourse)[0]
    conflict_declare(actor=judge, idea=idea, evaluator=judge, kind="other")
    assert Conflict.objects.filter(idea=idea, evaluator=judge).exists()


@pytest.mark.parametrize("kind", ["team", "manager", "department", "nonsense", ""])
def test_only_declared_kinds_may_be_declared(racecourse, project, kind):
    """Automatic kinds and unknown kinds are refused."""
    judge = pool_of(racecourse)[0]
    with pytest.raises(ValidationError) as error:
        conflict_declare(actor=judge, idea=project, evaluator=judge, kind=kind)
    assert "kind" in error.value.message_dict


def test_a_second_declaration_is_refused(racecourse, project):
    """One declared conflict per evaluator and project."""
    judge = pool_of(racecourse)[0]
    conflict_declare(actor=judge, idea=project, evaluator=judge, kind="other")
    with pytest.raises(ValidationError) as error:
        conflict_declare(
            actor=project.author, idea=project, evaluator=judge, kind="personal"
        )
    assert error.value.code == "duplicate"


def test_a_long_note_is_refused(racecourse, project):
    judge = pool_of(racecourse)[0]
    with pytest.raises(ValidationError) as error:
        conflict_declare(
            actor=judge, idea=project, evaluator=judge, kind="other", note="x" * 2001
        )
    assert "note" in error.value.message_dict


# --- Withdrawing -----------------------------------------------------------------


@pytest.fixture
def declared(racecourse, project):
    judge = pool_of(racecourse)[0]
    own = conflict_declare(actor=judge, idea=project, evaluator=judge, kind="other")
    team = conflict_declare(
        actor=project.author,
        idea=project,
        evaluator=pool_of(racecourse)[1],
        kind="competing",
    )
    return {"own": own, "team": team, "judge": judge}


def test_evaluator_withdraws_own_and_captain_the_teams(project, declared):
    """Each declarer takes their own back."""
    conflict_withdraw(actor=declared["judge"], conflict=declared["own"])
    conflict_withdraw(actor=project.author, conflict=declared["team"])
    assert not Conflict.objects.exists()


def test_hr_withdraws_any(declared):
    hr = UserFactory(is_hr_admin=True)
    conflict_withdraw(actor=hr, conflict=declared["own"])
    conflict_withdraw(actor=hr, conflict=declared["team"])
    assert not Conflict.objects.exists()


def test_the_named_evaluator_cannot_withdraw_the_teams_conflict(racecourse, declared):
    """An evaluator the team declared a conflict with cannot undo it, nor may
    the team undo the evaluator's own."""
    with pytest.raises(PermissionDenied):
        conflict_withdraw(actor=pool_of(racecourse)[1], conflict=declared["team"])
    member = UserFactory()
    _join(declared["own"].idea, member)
    with pytest.raises(PermissionDenied):
        conflict_withdraw(actor=member, conflict=declared["team"])
    with pytest.raises(PermissionDenied):
        conflict_withdraw(actor=declared["own"].idea.author, conflict=declared["own"])


def test_withdrawing_after_the_decision_is_refused(project, declared):
    """Once the project has left evaluation, the record stays."""
    from ideas import funnel

    funnel.idea_select(idea=project, actor=UserFactory(is_hr_admin=True))
    with pytest.raises(ValidationError):
        conflict_withdraw(actor=declared["judge"], conflict=declared["own"])


def test_a_late_conflict_keeps_a_submitted_scorecard_but_sets_it_aside():
    """Declaring a conflict after scoring loses no record, and the card stops counting."""
    from tests.factories_scoring import project, rubric_for, scored
    from voting.evaluation.scorecards.selectors import scorecards_visible

    racecourse = racecourse_with_pool(3)
    rubric_for(racecourse)
    idea = project(racecourse)
    late, other, _third = pool_of(racecourse)
    scored(idea, late)
    scored(idea, other)
    conflict_declare(actor=late, idea=idea, evaluator=late, kind="personal")
    card = Scorecard.objects.get(assignment__idea=idea, assignment__evaluator=late)
    assert card.status == Scorecard.Status.SUBMITTED
    visible = scorecards_visible(user=other, idea=idea)
    assert late.pk not in {c.evaluator.pk for c in visible}
    assert other.pk in {c.evaluator.pk for c in visible}


def test_the_automatic_assignment_keeps_a_conflicted_evaluators_submitted_card():
    """Re-running the assignment after a late conflict loses no submitted card,
    and the set-aside card fills no seat: the project gets a new evaluator."""
    from tests.factories_scoring import hr, project, rubric_for, scored
    from voting.evaluation.assignments.assign import assignments_auto

    racecourse = racecourse_with_pool(3, evaluators_per_project=2)
    rubric_for(racecourse)
    idea = project(racecourse)
    late, other, third = pool_of(racecourse)
    scored(idea, late)
    scored(idea, other)
    conflict_declare(actor=late, idea=idea, evaluator=late, kind="personal")
    assignments_auto(actor=hr(), racecourse=racecourse)
    assert Scorecard.objects.filter(
        assignment__idea=idea, assignment__evaluator=late
    ).exists()
    assigned = set(
        Assignment.objects.filter(idea=idea).values_list("evaluator_id", flat=True)
    )
    assert assigned == {late.pk, other.pk, third.pk}
