"""The close of a gestation window and the end of proposal extensions
(``contests.closing``): a project with no final proposal is
eliminated or held for HR, as the window says; an extension keeps it alive
until it runs out."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from contests import tasks
from contests.closing import window_apply, windows_due
from horserace.notifications.models import Notification
from ideas.gestation import closers
from ideas.gestation.closers import extensions_expire
from ideas.gestation.services.proposal import (
    final_proposal_submit,
    proposal_extension_grant,
)
from ideas.models import ProposalExtension, Stage, StageTransition
from tests.factories import UserFactory, open_racecourse
from tests.factories_gestation import close_window, gestating_idea, gestation_window

pytestmark = pytest.mark.django_db

LATER = dt.timedelta(minutes=1)


def stage_of(idea) -> str:
    idea.refresh_from_db()
    return idea.stage


def season_in_gestation(missing_proposal="eliminate", n=3):
    """A racecourse with an open gestation window and ``n`` gestating projects."""
    racecourse = open_racecourse()
    window = gestation_window(racecourse, missing_proposal=missing_proposal)
    ideas = [gestating_idea(racecourse=racecourse, title=f"P{i}") for i in range(n)]
    return window, ideas


def extend(idea, hr, days=3):
    return proposal_extension_grant(
        idea=idea,
        actor=hr,
        until=timezone.now() + dt.timedelta(days=days),
        reason="Supplier delay",
    )


def test_a_closed_gestation_window_is_due():
    window, _ideas = season_in_gestation(n=0)
    assert window not in windows_due()
    close_window(window)
    assert window in windows_due()


def test_at_the_close_projects_without_proposal_are_eliminated(hr_admin):
    window, (submitted, silent, extended) = season_in_gestation()
    final_proposal_submit(
        idea=submitted, actor=submitted.author, summary="s", document="d"
    )
    extend(extended, hr_admin, days=10)
    elsewhere = gestating_idea()
    close_window(window)

    outcome = window_apply(window=window)

    assert outcome["status"] == "applied"
    assert outcome["eliminated"] == [silent.pk]
    assert outcome["extended"] == [extended.pk]
    assert outcome["held"] == []
    assert stage_of(submitted) == Stage.EVALUATION
    assert stage_of(silent) == Stage.ELIMINATED
    assert stage_of(extended) == Stage.GESTATION
    assert stage_of(elsewhere) == Stage.GESTATION
    transition = StageTransition.objects.get(idea=silent, to_stage=Stage.ELIMINATED)
    assert "No final proposal" in transition.reason
    assert transition.actor is None
    window.refresh_from_db()
    assert window.applied_at is not None
    assert window_apply(window=window)["status"] == "already_applied"


def test_a_hold_window_leaves_the_projects_to_hr(hr_admin):
    window, (a, b) = season_in_gestation("hold", n=2)
    close_window(window)
    outcome = window_apply(window=window)
    assert sorted(outcome["held"]) == sorted([a.pk, b.pk])
    assert outcome["eliminated"] == []
    assert stage_of(a) == stage_of(b) == Stage.GESTATION
    assert any(
        "no final proposal" in note.subject
        for note in Notification.objects.filter(recipient=hr_admin)
    )
    # HR then decides: more time for one, the end for the other.
    from ideas.gestation.services.proposal import gestation_eliminate

    extend(a, hr_admin)
    gestation_eliminate(idea=b, actor=hr_admin, reason="No news")
    final_proposal_submit(idea=a, actor=a.author, summary="s", document="d")
    assert (stage_of(a), stage_of(b)) == (Stage.EVALUATION, Stage.ELIMINATED)


def test_a_gestation_window_still_open_is_refused():
    window, _ideas = season_in_gestation(n=1)
    with pytest.raises(ValidationError) as error:
        window_apply(window=window)
    assert error.value.code == "window_open"


def test_a_person_closing_must_manage_the_racecourse():
    window, (idea,) = season_in_gestation(n=1)
    close_window(window)
    with pytest.raises(PermissionDenied):
        window_apply(window=window, actor=UserFactory())
    admin = UserFactory()
    window.racecourse.admins.add(admin)
    assert window_apply(window=window, actor=admin)["eliminated"] == [idea.pk]
    assert StageTransition.objects.get(idea=idea, to_stage="eliminated").actor == admin


def test_an_extension_granted_before_the_close_runs_out_later(hr_admin):
    window, (idea,) = season_in_gestation(n=1)
    extension = extend(idea, hr_admin, days=10)
    close_window(window)
    assert window_apply(window=window)["extended"] == [idea.pk]
    assert extensions_expire() == []
    ProposalExtension.objects.filter(pk=extension.pk).update(
        until=timezone.now() - LATER
    )
    assert extensions_expire() == [idea.pk]
    assert stage_of(idea) == Stage.ELIMINATED
    assert "extension ended" in StageTransition.objects.filter(idea=idea).last().reason
    assert extensions_expire() == []  # nothing twice


def test_expiry_leaves_alone_what_it_should(hr_admin):
    """Running extensions, open windows, no window, and proposals handed in."""
    past = timezone.now() - LATER

    window, (running, expired_open) = season_in_gestation(n=2)
    extend(running, hr_admin, days=30)
    ProposalExtension.objects.create(
        idea=expired_open, until=past, reason="r", granted_by=hr_admin
    )  # the window is still open: the team may still submit

    no_window = gestating_idea(window=False)
    ProposalExtension.objects.create(
        idea=no_window, until=past, reason="r", granted_by=hr_admin
    )

    closed, (submitted, expired) = season_in_gestation(n=2)
    for idea in (submitted, expired):
        extend(idea, hr_admin, days=30)
    final_proposal_submit(
        idea=submitted, actor=submitted.author, summary="s", document="d"
    )
    close_window(closed)
    ProposalExtension.objects.filter(idea__in=[submitted, expired]).update(until=past)
    # A newer extension after an older, expired one keeps the project alive.
    ProposalExtension.objects.create(
        idea=running, until=past, reason="old", granted_by=hr_admin
    )

    assert extensions_expire() == [expired.pk]
    assert stage_of(running) == stage_of(expired_open) == Stage.GESTATION
    assert stage_of(no_window) == Stage.GESTATION
    assert stage_of(submitted) == Stage.EVALUATION


def test_the_minute_task_closes_gestation_and_ends_extensions(hr_admin):
    window, (silent, extended) = season_in_gestation(n=2)
    extension = extend(extended, hr_admin, days=10)
    close_window(window)
    assert tasks.close_due_windows() == 1
    assert (stage_of(silent), stage_of(extended)) == (Stage.ELIMINATED, Stage.GESTATION)
    ProposalExtension.objects.filter(pk=extension.pk).update(
        until=timezone.now() - LATER
    )
    assert tasks.close_due_windows() == 0
    assert stage_of(extended) == Stage.ELIMINATED


def test_a_failing_expiry_is_logged_and_does_not_fail_the_task(monkeypatch, caplog):
    def boom(**kwargs):
        raise RuntimeError("boom")

    # The sweep is the gestation closer's, registered with the calendar.
    monkeypatch.setattr(closers, "extensions_expire", boom)
    assert tasks.close_due_windows() == 0
    assert "the gestation closer's sweep failed" in caplog.text
