"""System notes are stored as a message and its parameters and read in the
reader's language; reasons people typed stay as typed."""

import json

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_noop

from horserace.common.notes import note, note_data, note_plural, note_text
from horserace.notifications.models import Notification
from ideas import funnel
from ideas.models import Stage, StageTransition
from ideas.notifications import stage_change_notify_team
from ideas.services.teams import invitation_accept, team_invite
from tests.factories import UserFactory, idea_draft, idea_in_stage

CLOSED = "Registration closed; online screening opened"
CLOSED_ZH = "登记已截止，在线海选已开始"


def test_a_note_is_its_text_now_and_its_message_later():
    with translation.override("en"):
        reason = note(gettext_noop(CLOSED))
    assert reason == CLOSED  # a str: callers that take a reason keep working
    data = note_data(reason)
    with translation.override("zh-hans"):
        assert note_text(data) == CLOSED_ZH
        assert note_text(json.dumps(data)) == CLOSED_ZH
    assert note_data("typed by a person") is None
    assert note_text(None, "typed by a person") == "typed by a person"
    assert note_text("{broken", "kept") == "kept"


def test_nested_and_plural_notes_follow_the_reader():
    numbers = note_plural(
        "%(percent)s%% support from %(voters)s voter (rank %(place)s of %(total)s)",
        "%(percent)s%% support from %(voters)s voters (rank %(place)s of %(total)s)",
        310,
        percent=81,
        voters=310,
        place=3,
        total=40,
    )
    with translation.override("en"):
        reason = note(
            gettext_noop("Passed online screening: %(numbers)s."), numbers=numbers
        )
    assert (
        reason == "Passed online screening: 81% support from 310 voters (rank 3 of 40)."
    )
    with translation.override("zh-hans"):
        text = note_text(note_data(reason))
    assert "310" in text and "81%" in text and "Passed" not in text


@pytest.mark.django_db
def test_a_closers_reason_is_read_in_each_readers_language(client):
    """Written by the registration closer under an English request, read on
    the idea page in Chinese; a typed reason stays as typed."""
    idea = idea_in_stage(Stage.REGISTERED)
    with translation.override("en"):
        funnel.idea_open_screening(
            idea=idea, actor=None, reason=note(gettext_noop(CLOSED))
        )
    record = StageTransition.objects.filter(idea=idea).last()
    assert record.reason == CLOSED and record.reason_note["msgid"] == CLOSED
    funnel.idea_withdraw(idea=idea, actor=idea.author, reason="Pausing for a month")
    typed = StageTransition.objects.filter(idea=idea).last()
    assert typed.reason_note is None

    reader = idea.author
    reader.locale = "zh-hans"
    reader.save(update_fields=["locale"])
    client.force_login(reader)
    page = client.get(reverse("ideas:detail", args=[idea.pk])).content.decode()
    assert CLOSED_ZH in page and CLOSED not in page
    assert "Pausing for a month" in page


@pytest.mark.django_db
def test_the_teams_notification_reads_the_note_in_the_readers_language(
    django_capture_on_commit_callbacks,
):
    idea = idea_draft(title="Cold chain")
    member = UserFactory(locale="zh-hans")
    invitation_accept(
        invitation=team_invite(idea=idea, actor=idea.author, invitee=member),
        actor=member,
    )
    with translation.override("en"):
        funnel.idea_transition(
            idea=idea, to=Stage.WITHDRAWN, reason=note(gettext_noop(CLOSED))
        )
    transition = StageTransition.objects.filter(idea=idea).last()
    with django_capture_on_commit_callbacks(execute=True):
        stage_change_notify_team(transition_id=transition.pk)
    told = Notification.objects.get(recipient=member, url__contains="#transition-")
    assert told.rendered("zh-hans")[1] == CLOSED_ZH
    assert told.rendered("en")[1] == CLOSED
