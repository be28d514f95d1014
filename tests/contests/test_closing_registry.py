"""The registry of window closers (``contests.closing``): the calendar applies a
window through the closer its stage registered, and knows nothing else."""

import datetime as dt
import logging

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from contests import closing
from contests.models import StageWindow, WindowStage
from contests.tasks import close_due_windows
from ideas.gestation.closers import GestationCloser
from ideas.registration.closers import RegistrationCloser
from tests.factories import StageWindowFactory
from voting.screening.closers import ScreeningCloser

pytestmark = pytest.mark.django_db

PAST = dt.timedelta(minutes=1)


def closed_window(stage):
    now = timezone.now()
    return StageWindowFactory(
        stage=stage, opens_at=now - dt.timedelta(days=9), closes_at=now - PAST
    )


class RecordingCloser(closing.Closer):
    """An evaluation closer, for the test: says what it was asked."""

    stage = WindowStage.EVALUATION

    def __init__(self):
        self.closed, self.swept = [], []

    def close(self, window, *, when, actor):
        self.closed.append((window.pk, actor))
        return closing.CloseOutcome(window=window.pk, status=closing.APPLIED)

    def sweep(self, *, when):
        self.swept.append(when)


@pytest.fixture
def evaluation_closer(monkeypatch):
    closer = RecordingCloser()
    monkeypatch.setitem(closing._closers, WindowStage.EVALUATION, closer)
    return closer


def test_each_applied_stage_has_the_closer_of_the_floor_it_concerns():
    """Registration and gestation are the ideas' floor, screening the judging's;
    evaluation has no closer, so its windows are never applied."""
    assert isinstance(closing.closer_for(WindowStage.REGISTRATION), RegistrationCloser)
    assert isinstance(closing.closer_for(WindowStage.SCREENING), ScreeningCloser)
    assert isinstance(closing.closer_for(WindowStage.GESTATION), GestationCloser)
    assert closing.closer_for(WindowStage.EVALUATION) is None
    assert set(closing.closed_stages()) == {
        WindowStage.REGISTRATION,
        WindowStage.SCREENING,
        WindowStage.GESTATION,
    }


def test_a_window_without_a_closer_is_neither_due_nor_applied():
    window = closed_window(WindowStage.EVALUATION)
    assert window not in closing.windows_due()
    with pytest.raises(ValidationError) as error:
        closing.window_apply(window=window)
    assert error.value.code == "stage_not_applied"
    window.refresh_from_db()
    assert window.applied_at is None


def test_a_registered_closer_is_due_applied_once_and_swept(evaluation_closer):
    window = closed_window(WindowStage.EVALUATION)
    assert window in closing.windows_due()

    assert close_due_windows() == 1
    assert evaluation_closer.closed == [(window.pk, None)]
    assert len(evaluation_closer.swept) == 1
    window.refresh_from_db()
    assert window.applied_at is not None

    # The window is applied: a second run neither calls the closer nor fails.
    outcome = closing.window_apply(window=window)
    assert outcome["status"] == closing.ALREADY_APPLIED
    assert evaluation_closer.closed == [(window.pk, None)]


def test_a_proposing_closer_leaves_the_window_waiting(monkeypatch):
    class Proposing(RecordingCloser):
        def close(self, window, *, when, actor):
            return closing.CloseOutcome(window=window.pk, status=closing.PROPOSED)

    monkeypatch.setitem(closing._closers, WindowStage.EVALUATION, Proposing())
    window = closed_window(WindowStage.EVALUATION)
    assert closing.window_apply(window=window)["status"] == closing.PROPOSED
    window.refresh_from_db()
    assert window.applied_at is None


def test_a_failing_sweep_is_logged_and_the_others_still_run(
    monkeypatch, evaluation_closer, caplog
):
    def boom(*, when):
        raise RuntimeError("boom")

    monkeypatch.setattr(closing.closer_for(WindowStage.GESTATION), "sweep", boom)
    with caplog.at_level(logging.ERROR, logger="contests.closing"):
        closing.sweeps_run()
    assert "the gestation closer's sweep failed" in caplog.text
    assert len(evaluation_closer.swept) == 1


def test_a_second_closer_for_a_stage_is_refused(monkeypatch):
    monkeypatch.setattr(closing, "_closers", dict(closing._closers))

    class Another(closing.Closer):
        stage = WindowStage.SCREENING

        def close(self, window, *, when, actor):
            return closing.CloseOutcome(window=window.pk, status=closing.APPLIED)

    with pytest.raises(RuntimeError):
        closing.register(Another())


def test_the_outcome_has_one_shape_for_every_closer():
    outcome = closing.CloseOutcome(window=1, status=closing.APPLIED, passed=[3])
    assert outcome.as_dict() == {
        "window": 1,
        "status": "applied",
        "opened": [],
        "passed": [3],
        "eliminated": [],
        "promoted": [],
        "held": [],
        "extended": [],
        "proposed": None,
    }


def test_windows_default_to_the_approval_mode():
    assert StageWindowFactory().mode == "approval"
    assert StageWindow._meta.get_field("mode").default == "approval"
