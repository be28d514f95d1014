"""Department racecourses feed their parent (``ideas.services.promotion``).

At the close of a department's screening its top ``promotion_quota`` ideas
move up to the parent racecourse, keeping their history and recording where
they came from, and join the parent's next stage; the rest are out.
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from contests.closing import window_apply
from contests.models import Racecourse, StageWindow, WindowStage
from horserace.notifications.models import Notification
from ideas.models import Stage, StageTransition
from ideas.services.promotion import idea_promote
from tests.factories import (
    RacecourseFactory,
    StageWindowFactory,
    idea_in_stage,
    open_racecourse,
)

from .test_closing import (
    admin_of,
    close,
    end,
    in_screening,
    judge,
    last_reason,
    screening_window,
    stage_of,
)

pytestmark = pytest.mark.django_db


def department_of(main, *, quota=2, **fields):
    """A department racecourse feeding ``main``, with its registration open."""
    department = RacecourseFactory(
        season=main.season,
        kind=Racecourse.Kind.DEPARTMENT,
        parent=main,
        promotion_quota=quota,
        **fields,
    )
    StageWindowFactory(racecourse=department, stage=WindowStage.REGISTRATION)
    return department


def parent_screening(main, *, opens_in=dt.timedelta(days=10), **fields):
    """The main racecourse's screening window, later than the department's."""
    now = timezone.now()
    return screening_window(
        main,
        opens_at=now + opens_in,
        closes_at=now + opens_in + dt.timedelta(days=7),
        **fields,
    )


@pytest.fixture
def main():
    return open_racecourse()


# --- idea_promote --------------------------------------------------------------------


def test_promote_moves_the_idea_up_and_keeps_its_history(main):
    """Same row, new racecourse, ``promoted_from`` set; the stage is untouched."""
    department = department_of(main)
    (idea,) = in_screening(department, 1)
    transitions = list(StageTransition.objects.filter(idea=idea))
    registration = idea.registration

    idea_promote(idea=idea, to_racecourse=main, reason="Top of the department")

    idea.refresh_from_db()
    assert idea.racecourse == main
    assert idea.promoted_from == department
    assert idea.stage == Stage.SCREENING
    assert list(StageTransition.objects.filter(idea=idea)) == transitions
    assert idea.registration == registration
    record = idea.history.first()
    assert record.racecourse_id == main.pk
    assert record.history_change_reason == "Top of the department"
    assert idea.history.earliest().racecourse_id == department.pk


def test_promote_tells_the_team(main):
    department = department_of(main)
    (idea,) = in_screening(department, 1)
    idea_promote(idea=idea, to_racecourse=main, reason="Top 2")
    note = Notification.objects.get(url__endswith=f"#promoted-{main.pk}")
    assert note.recipient == idea.author
    assert main.name in note.subject
    assert note.body == "Top 2"


def test_promoting_twice_changes_nothing(main):
    department = department_of(main)
    (idea,) = in_screening(department, 1)
    idea_promote(idea=idea, to_racecourse=main, reason="up")
    versions = idea.history.count()
    idea_promote(idea=idea, to_racecourse=main, reason="up")
    assert idea.history.count() == versions
    assert Notification.objects.filter(url__contains="#promoted-").count() == 1


def test_promote_only_into_the_parent(main):
    department = department_of(main)
    (idea,) = in_screening(department, 1)
    other = open_racecourse()
    with pytest.raises(ValidationError) as error:
        idea_promote(idea=idea, to_racecourse=other, reason="up")
    assert error.value.code == "not_parent"


def test_promote_only_from_screening(main):
    department = department_of(main)
    idea = idea_in_stage(Stage.REGISTERED, racecourse=department)
    with pytest.raises(ValidationError) as error:
        idea_promote(idea=idea, to_racecourse=main, reason="up")
    assert error.value.code == "wrong_stage"


def test_a_person_promoting_must_manage_the_department(main, user, hr_admin):
    department = department_of(main)
    first, second = in_screening(department, 2)
    with pytest.raises(PermissionDenied):
        idea_promote(idea=first, to_racecourse=main, actor=user, reason="up")
    idea_promote(
        idea=first, to_racecourse=main, actor=admin_of(department), reason="up"
    )
    idea_promote(idea=second, to_racecourse=main, actor=hr_admin, reason="up")
    assert first.history.first().history_user is not None


# --- At the department's close -------------------------------------------------------


def test_department_close_promotes_the_top_quota_to_a_later_parent_screening(main):
    """The parent's screening is still ahead: the winners wait there, in screening."""
    department = department_of(main, quota=2)
    window = screening_window(department, top_k=5)  # the quota replaces K
    parent_screening(main)
    best, second, third = in_screening(department, 3)
    judge(best, "+++")
    judge(second, "++-")
    judge(third, "+--")

    outcome = close(window)

    assert outcome["promoted"] == [best.pk, second.pk]
    assert outcome["passed"] == []
    assert outcome["eliminated"] == [third.pk]
    for idea in (best, second):
        idea.refresh_from_db()
        assert (idea.racecourse, idea.promoted_from) == (main, department)
        assert idea.stage == Stage.SCREENING
    third.refresh_from_db()
    assert third.racecourse == department and third.promoted_from is None
    assert stage_of(third) == Stage.ELIMINATED
    assert last_reason(third) == (
        f"Not among the top 2 of {department.name}: 33% support from 3 voters "
        "(rank 3 of 3)."
    )
    assert best.history.first().history_change_reason == (
        f"Promoted to {main.name}: 100% support from 3 voters (rank 1 of 3) "
        f"on {department.name}."
    )


def test_promoted_ideas_are_judged_again_on_the_parent(main):
    """They enter the parent's round and its rule decides them with the rest."""
    department = department_of(main, quota=1)
    window = screening_window(department, rule=StageWindow.Rule.MANUAL)
    parent = parent_screening(main, top_k=1)
    (winner,) = in_screening(department, 1)
    (local,) = in_screening(main, 1)
    close(window)

    when = parent.closes_at + dt.timedelta(minutes=1)
    outcome = window_apply(window=parent, when=when)

    # Nobody voted on either: the older registration (the winner's) goes on.
    assert outcome["passed"] == [winner.pk]
    assert outcome["eliminated"] == [local.pk]
    assert stage_of(winner) == Stage.GESTATION


@pytest.mark.parametrize("parent_state", ["closed", "applied", "none"])
def test_promoted_ideas_go_on_when_the_parent_screening_is_over(main, parent_state):
    """Parent's screening closed, applied or absent: winners pass to gestation."""
    department = department_of(main, quota=1)
    window = screening_window(department)
    if parent_state != "none":
        parent = screening_window(main)
        if parent_state == "applied":
            end(parent)
            window_apply(window=parent)
    winner, loser = in_screening(department, 2)
    judge(winner, "+")
    if parent_state == "closed":
        when = max(window.closes_at, parent.closes_at) + dt.timedelta(minutes=1)
        outcome = window_apply(window=window, when=when)
    else:
        outcome = close(window)

    assert outcome["promoted"] == outcome["passed"] == [winner.pk]
    winner.refresh_from_db()
    assert (winner.racecourse, winner.stage) == (main, Stage.GESTATION)
    assert last_reason(winner).startswith(
        f"Passed online screening on {department.name} (100% support from 1 voter"
    )
    assert stage_of(loser) == Stage.ELIMINATED


def test_without_a_quota_a_department_uses_its_own_rule(main):
    department = department_of(main, quota=0)
    window = screening_window(department, top_k=1)
    a, b = in_screening(department, 2)
    judge(b, "+")
    outcome = close(window)
    assert outcome["promoted"] == []
    assert outcome["passed"] == [b.pk]
    b.refresh_from_db()
    assert b.racecourse == department


def test_department_close_is_idempotent(main):
    department = department_of(main, quota=1)
    window = screening_window(department)
    parent_screening(main)
    winner, loser = in_screening(department, 2)
    judge(winner, "+")
    close(window)
    assert close(window)["status"] == "already_applied"
    assert winner.history.filter(racecourse=main).count() == 1
    assert StageTransition.objects.filter(idea=loser).count() == 3
