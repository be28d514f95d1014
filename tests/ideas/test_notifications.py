"""What the team hears when its idea changes stage (``ideas.notifications``)."""

import pytest
from django.core import mail

from horserace.notifications.models import Notification
from ideas import funnel
from ideas.models import Stage, StageTransition
from ideas.notifications import stage_change_notify_team
from ideas.tasks import stage_change_notify
from tests.factories import draft_with_members, idea_draft

pytestmark = pytest.mark.django_db


def _move(idea, to, actor=None, reason=""):
    """Change the stage without running the on-commit notification."""
    funnel.idea_transition(idea=idea, to=to, actor=actor, reason=reason)
    return StageTransition.objects.filter(idea=idea).last()


def _stage_notes():
    return Notification.objects.filter(url__contains="#transition-")


def test_every_member_but_the_actor_is_notified(django_capture_on_commit_callbacks):
    """The team hears of the change; the person who made it does not."""
    idea, members = draft_with_members()
    transition = _move(idea, Stage.WITHDRAWN, actor=idea.author, reason="Pausing")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        told = stage_change_notify_team(transition_id=transition.pk)

    assert told == 2
    notes = list(_stage_notes())
    assert {n.recipient for n in notes} == set(members)
    for note in notes:
        assert "Cold chain" in note.subject
        assert str(Stage.WITHDRAWN.label) in note.subject
        assert note.body == "Pausing"
        assert note.url == f"{idea.get_absolute_url()}#transition-{transition.pk}"
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in members)


def test_a_change_without_an_actor_reaches_the_whole_team():
    """Changes made by the system are told to the captain as well."""
    idea, members = draft_with_members()
    transition = _move(idea, Stage.WITHDRAWN)
    assert stage_change_notify_team(transition_id=transition.pk) == 3
    assert {n.recipient for n in _stage_notes()} == {idea.author, *members}


def test_running_twice_notifies_once():
    """A retried task does not notify the team a second time."""
    idea, _members = draft_with_members()
    transition = _move(idea, Stage.WITHDRAWN, actor=idea.author)
    assert stage_change_notify_team(transition_id=transition.pk) == 2
    assert stage_change_notify_team(transition_id=transition.pk) == 0
    assert _stage_notes().count() == 2


def test_each_transition_is_told_separately():
    """Two changes of one idea are two notifications per member."""
    idea, _members = draft_with_members()
    first = _move(idea, Stage.WITHDRAWN, actor=idea.author)
    second = _move(idea, Stage.MERGED, actor=idea.author)
    stage_change_notify_team(transition_id=first.pk)
    assert stage_change_notify_team(transition_id=second.pk) == 2
    assert _stage_notes().count() == 4


def test_missing_transition_is_ignored():
    """A transition that no longer exists (idea deleted) notifies nobody."""
    assert stage_change_notify_team(transition_id=987_654) == 0
    assert not _stage_notes().exists()


def test_a_team_of_one_acting_alone_hears_nothing():
    """The captain who moved their own idea needs no notification."""
    idea = idea_draft()
    transition = _move(idea, Stage.WITHDRAWN, actor=idea.author)
    assert stage_change_notify_team(transition_id=transition.pk) == 0
    assert not _stage_notes().exists()


def test_the_celery_task_calls_the_service():
    """The task takes an id and returns how many people were told."""
    idea, _members = draft_with_members()
    transition = _move(idea, Stage.WITHDRAWN, actor=idea.author)
    assert stage_change_notify.delay(transition.pk).get() == 2
    assert stage_change_notify(transition.pk) == 0
