"""Trainers: the team's request, assignment within capacity, ending, sessions,
and who may read the session log."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from horserace.notifications.models import Notification
from ideas import funnel
from ideas.gestation.selectors.trainers import (
    trainer_pool,
    trainer_sessions_visible,
    trainer_teams,
)
from ideas.gestation.services.trainers import (
    trainer_assign,
    trainer_assignment_end,
    trainer_request,
    trainer_request_decline,
    trainer_session_log,
)
from ideas.models import TrainerAssignment, TrainerSession
from tests.factories import SeasonFactory, UserFactory
from tests.factories_gestation import TrainerFactory, gestating_idea, trainer_for

pytestmark = pytest.mark.django_db

Status = TrainerAssignment.Status


@pytest.fixture
def idea():
    return gestating_idea()


@pytest.fixture
def admin(idea):
    admin = UserFactory()
    idea.racecourse.admins.add(admin)
    return admin


@pytest.fixture
def trainer(idea):
    return trainer_for(idea, capacity=2)


def log(assignment, actor=None, **kw):
    kw.setdefault("held_on", timezone.localdate())
    kw.setdefault("topic", "Pricing")
    return trainer_session_log(
        assignment=assignment, actor=actor or assignment.trainer.user, **kw
    )


# --- The team asks ---------------------------------------------------------------------


def test_captain_asks_for_a_trainer_and_the_admins_hear(idea, admin, trainer):
    request = trainer_request(
        idea=idea, actor=idea.author, message="Pricing help", trainer=trainer
    )
    assert (request.status, request.trainer, request.requested_by) == (
        Status.REQUESTED,
        trainer,
        idea.author,
    )
    assert Notification.objects.filter(recipient=admin).exists()
    with pytest.raises(ValidationError) as error:
        trainer_request(idea=idea, actor=idea.author)
    assert error.value.code == "trainer_open"


def test_only_the_captain_asks_and_only_in_gestation(idea, hr_admin):
    for actor in (idea.member, UserFactory(), hr_admin):
        with pytest.raises(PermissionDenied):
            trainer_request(idea=idea, actor=actor)
    funnel.idea_eliminate(idea=idea, reason="test")
    with pytest.raises(PermissionDenied):
        trainer_request(idea=idea, actor=idea.author)


def test_the_preferred_trainer_must_be_in_the_season_pool(idea):
    stranger_trainer = TrainerFactory(season=SeasonFactory())
    with pytest.raises(ValidationError) as error:
        trainer_request(idea=idea, actor=idea.author, trainer=stranger_trainer)
    assert error.value.error_dict["trainer"][0].code == "not_in_pool"


# --- Assigning -----------------------------------------------------------------------------


def test_assigning_fills_the_team_s_request_and_tells_everyone(idea, admin, trainer):
    request = trainer_request(idea=idea, actor=idea.author)
    assignment = trainer_assign(idea=idea, actor=admin, trainer=trainer)
    assert assignment.pk == request.pk
    assert (assignment.status, assignment.trainer, assignment.assigned_by) == (
        Status.ACTIVE,
        trainer,
        admin,
    )
    assert assignment.assigned_at is not None
    assert Notification.objects.filter(recipient=trainer.user).exists()
    assert Notification.objects.filter(recipient=idea.member).exists()


def test_hr_assigns_without_a_request_and_again_is_harmless(idea, hr_admin, trainer):
    first = trainer_assign(idea=idea, actor=hr_admin, trainer=trainer)
    assert trainer_assign(idea=idea, actor=hr_admin, trainer=trainer) == first
    assert TrainerAssignment.objects.filter(idea=idea).count() == 1


def test_a_second_trainer_needs_the_first_assignment_ended(idea, admin, trainer):
    first = trainer_assign(idea=idea, actor=admin, trainer=trainer)
    other = trainer_for(idea)
    with pytest.raises(ValidationError) as error:
        trainer_assign(idea=idea, actor=admin, trainer=other)
    assert error.value.code == "trainer_active"
    trainer_assignment_end(assignment=first, actor=admin)
    assert trainer_assign(idea=idea, actor=admin, trainer=other).status == Status.ACTIVE


def test_capacity_counts_active_assignments_only(admin, idea):
    trainer = trainer_for(idea, capacity=1)
    first = trainer_assign(idea=idea, actor=admin, trainer=trainer)
    other = gestating_idea(racecourse=idea.racecourse)
    with pytest.raises(ValidationError) as error:
        trainer_assign(idea=other, actor=admin, trainer=trainer)
    assert error.value.error_dict["trainer"][0].code == "trainer_full"
    trainer_assignment_end(assignment=first, actor=admin)
    trainer_assign(idea=other, actor=admin, trainer=trainer)
    (row,) = trainer_pool(season=idea.racecourse.season)
    assert row.load == 1


@pytest.mark.parametrize(
    ("fields", "code"),
    [({"is_active": False}, "not_active"), ({"season": None}, "not_in_pool")],
)
def test_trainer_must_be_active_and_of_the_season(idea, admin, fields, code):
    if "season" in fields:
        fields = {"season": SeasonFactory()}
    trainer = TrainerFactory(**({"season": idea.racecourse.season} | fields))
    with pytest.raises(ValidationError) as error:
        trainer_assign(idea=idea, actor=admin, trainer=trainer)
    assert error.value.error_dict["trainer"][0].code == code


def test_a_trainer_does_not_coach_their_own_team(idea, admin):
    trainer = TrainerFactory(season=idea.racecourse.season, user=idea.member)
    with pytest.raises(ValidationError) as error:
        trainer_assign(idea=idea, actor=admin, trainer=trainer)
    assert error.value.error_dict["trainer"][0].code == "own_team"


def test_only_hr_and_the_racecourse_admins_assign(idea, trainer):
    other_admin = UserFactory()
    gestating_idea().racecourse.admins.add(other_admin)
    for actor in (idea.author, idea.member, trainer.user, other_admin):
        with pytest.raises(PermissionDenied):
            trainer_assign(idea=idea, actor=actor, trainer=trainer)


def test_declining_a_request_tells_the_captain(idea, admin):
    request = trainer_request(idea=idea, actor=idea.author)
    with pytest.raises(PermissionDenied):
        trainer_request_decline(assignment=request, actor=idea.author)
    trainer_request_decline(assignment=request, actor=admin, reason="Pool is full")
    request.refresh_from_db()
    assert request.status == Status.DECLINED
    assert Notification.objects.filter(
        recipient=idea.author, params__reason="Pool is full"
    ).exists()
    with pytest.raises(ValidationError):
        trainer_request_decline(assignment=request, actor=admin)
    # The team may ask again.
    assert trainer_request(idea=idea, actor=idea.author).status == Status.REQUESTED


def test_only_managers_end_active_assignments(idea, admin, trainer):
    assignment = trainer_assign(idea=idea, actor=admin, trainer=trainer)
    for actor in (idea.author, trainer.user):
        with pytest.raises(PermissionDenied):
            trainer_assignment_end(assignment=assignment, actor=actor)
    trainer_assignment_end(assignment=assignment, actor=admin)
    assignment.refresh_from_db()
    assert assignment.status == Status.ENDED and assignment.ended_at
    with pytest.raises(ValidationError):
        trainer_assignment_end(assignment=assignment, actor=admin)


# --- Sessions -------------------------------------------------------------------------------


def test_the_active_trainer_logs_sessions_and_the_team_hears(idea, admin, trainer):
    assignment = trainer_assign(idea=idea, actor=admin, trainer=trainer)
    session = log(assignment, notes="Try a freemium tier", duration_minutes=90)
    assert (session.topic, session.duration_minutes, session.logged_by) == (
        "Pricing",
        90,
        trainer.user,
    )
    assert Notification.objects.filter(recipient=idea.author).exists()


def test_only_the_active_trainer_logs(idea, admin, trainer, hr_admin):
    assignment = trainer_assign(idea=idea, actor=admin, trainer=trainer)
    for actor in (idea.author, admin, hr_admin, UserFactory()):
        with pytest.raises(PermissionDenied):
            log(assignment, actor=actor)
    trainer_assignment_end(assignment=assignment, actor=admin)
    with pytest.raises(PermissionDenied):
        log(assignment)


def test_no_sessions_after_gestation(idea, admin, trainer):
    assignment = trainer_assign(idea=idea, actor=admin, trainer=trainer)
    funnel.idea_submit_proposal(idea=idea, actor=idea.author)
    with pytest.raises(PermissionDenied):
        log(assignment)


def test_a_session_needs_a_topic_a_past_date_and_a_sane_length(idea, admin, trainer):
    assignment = trainer_assign(idea=idea, actor=admin, trainer=trainer)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    for kw, field in [
        ({"topic": " "}, "topic"),
        ({"held_on": tomorrow}, "held_on"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 24 * 60 + 1}, "duration_minutes"),
    ]:
        with pytest.raises(ValidationError) as error:
            log(assignment, **kw)
        assert field in error.value.error_dict
    assert not TrainerSession.objects.exists()


def test_session_notes_are_private_to_team_trainers_and_hr(idea, admin, hr_admin):
    """Team, HR and the current trainer see all; a past trainer their own;
    racecourse admins and others nothing."""
    past, current = trainer_for(idea), trainer_for(idea)
    first = trainer_assign(idea=idea, actor=admin, trainer=past)
    old = log(first, topic="Old")
    trainer_assignment_end(assignment=first, actor=admin)
    second = trainer_assign(idea=idea, actor=admin, trainer=current)
    new = log(second, topic="New")

    def seen(user):
        return set(trainer_sessions_visible(idea=idea, user=user))

    assert seen(idea.author) == seen(idea.member) == {old, new}
    assert seen(hr_admin) == seen(current.user) == {old, new}
    assert seen(past.user) == {old}
    assert seen(admin) == seen(UserFactory()) == set()


def test_trainer_teams_lists_current_then_past(idea, admin):
    trainer = trainer_for(idea, capacity=5)
    first = trainer_assign(idea=idea, actor=admin, trainer=trainer)
    log(first)
    trainer_assignment_end(assignment=first, actor=admin)
    other = gestating_idea(racecourse=idea.racecourse)
    second = trainer_assign(idea=other, actor=admin, trainer=trainer)
    rows = list(trainer_teams(user=trainer.user))
    assert [r.pk for r in rows] == [second.pk, first.pk]
    assert [r.session_count for r in rows] == [0, 1]
    assert list(trainer_teams(user=UserFactory())) == []
