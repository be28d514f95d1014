"""Every event says who it is for and what the preferences page calls it.

Reading an area's events module tells, for every kind, who is told, of what
(``params``) and how it reads: the services only say what happened
(``event_send(Event, about=..., **params)``).
"""

import pytest
from django.utils import translation

from horserace.notifications import events
from horserace.notifications.events import Event, ToPeople


def _declared():
    """The project's events (the tests' own kinds live under ``tests.``)."""
    return {
        kind: event
        for kind, event in events.registered().items()
        if not kind.startswith("tests.")
    }


def test_the_project_declares_its_events():
    assert len(_declared()) > 40
    assert "ideas.team.invited" in _declared()


@pytest.mark.parametrize("kind", sorted(_declared()))
def test_every_event_says_who_it_is_for_and_what_it_is_called(kind):
    event = events.get(kind)
    assert events.declares_recipients(event), f"{kind} says for nobody"
    assert event.label, f"{kind} has no label"
    with translation.override("en"):
        assert event.get_label() == str(event.label)


def test_an_event_that_says_for_nobody_is_not_registered():
    class Nobody(Event):
        kind = "tests.declarations.nobody"
        params = ("text",)

    with pytest.raises(ValueError, match="who it is for"):
        events.register(Nobody)
    with pytest.raises(events.UnknownEvent):
        events.get(Nobody.kind)
    with pytest.raises(NotImplementedError):
        Nobody.recipients(None)


def test_people_events_are_for_the_people_they_are_about():
    class Listed(ToPeople):
        kind = "tests.declarations.listed"

    assert Listed.recipients(iter(["ann", "bo"])) == ["ann", "bo"]


def test_every_area_of_a_registered_event_has_a_declared_name():
    """The preferences page groups kinds by area: none may fall back to a
    name made from its code ("Ideas approvals")."""
    from horserace.notifications.events import _AREAS, registered

    # The product's events: tests register sample kinds of their own.
    areas = {
        event.get_area()
        for event in registered().values()
        if not event.__module__.startswith("tests.")
    }
    assert len(areas) > 5
    unnamed = sorted(areas - set(_AREAS))
    assert not unnamed, unnamed


def test_areas_are_named_where_their_events_are_declared():
    """The labels the preferences page used to look up by code."""
    with translation.override("en"):
        assert events.area_label("ideas.team") == "Teams"
        assert events.area_label("ideas.stage") == "Your ideas"
        assert events.area_label("ideas.idea") == "Your ideas"
        assert events.area_label("ideas.access") == "Confidential ideas"
        assert events.area_label("ideas.gestation") == "Gestation"
        assert events.area_label("ideas.realization") == "Realization"
        assert events.area_label("ideas.discussion") == "Discussion"
        assert events.area_label("voting.screening") == "Screening"
        assert events.area_label("voting.evaluation") == "Evaluation"
        # An area nobody named: its code, made readable.
        assert events.area_label("reports.weekly") == "Reports"
        assert events.area_label("ideas.approvals") == "Requests to approve"
        assert events.area_label("ideas.window") == "Deadlines"
        assert events.area_label("nobody.named_it") == "Nobody named it"


def test_content_is_withheld_from_who_may_not_read_it():
    class Secret(ToPeople):
        kind = "tests.declarations.secret"
        params = ("thing", "text")
        content = ("text",)

        @classmethod
        def may_read_content(cls, user, about):
            return user == "reader"

    params = {"thing": 1, "text": "the plan"}
    assert Secret.params_for("reader", [], params) == params
    assert Secret.params_for("other", [], params) == {"thing": 1, "text": ""}
    # Nothing to withhold: nobody is asked.
    assert Secret.params_for("other", [], {"thing": 1, "text": ""})["text"] == ""
