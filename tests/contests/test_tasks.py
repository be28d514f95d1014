"""The closing tasks and the one periodic schedule (``horserace.schedules``)."""

import logging

import pytest
from django.conf import settings
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from contests import tasks
from contests.models import StageWindow
from horserace.celery import app
from horserace.schedules import SCHEDULE
from ideas.models import Stage, StageTransition

from .test_closing import end, in_screening, judge, screening_window, stage_of

pytestmark = pytest.mark.django_db


def test_close_due_windows_applies_each_closed_window_once():
    """It counts what it applied; a second run finds nothing to do."""
    first, second = screening_window(top_k=1), screening_window(top_k=1)
    still_open = screening_window(top_k=1)
    a, b = in_screening(first.racecourse, 2)
    (c,) = in_screening(second.racecourse, 1)
    judge(b, "+")
    end(first)
    end(second)

    assert tasks.close_due_windows() == 2
    assert tasks.close_due_windows() == 0

    assert (stage_of(a), stage_of(b), stage_of(c)) == (
        Stage.ELIMINATED,
        Stage.GESTATION,
        Stage.GESTATION,
    )
    assert StageTransition.objects.filter(from_stage=Stage.SCREENING).count() == 3
    still_open.refresh_from_db()
    assert still_open.applied_at is None


def test_one_failing_window_does_not_stop_the_others(monkeypatch, caplog):
    """The failure is logged and rolled back; the next window is still applied."""
    broken, fine = screening_window(top_k=1), screening_window(top_k=1)
    end(broken)
    end(fine)
    real = tasks.window_apply

    def window_apply(*, window, **kwargs):
        if window.pk == broken.pk:
            raise RuntimeError("boom")
        return real(window=window, **kwargs)

    monkeypatch.setattr(tasks, "window_apply", window_apply)
    with caplog.at_level(logging.ERROR, logger="contests.tasks"):
        assert tasks.close_due_windows() == 1
    assert f"closing window {broken.pk} failed" in caplog.text
    assert StageWindow.objects.get(pk=broken.pk).applied_at is None
    assert StageWindow.objects.get(pk=fine.pk).applied_at is not None


def test_a_manual_window_is_proposed_not_counted_as_applied():
    window = screening_window(rule=StageWindow.Rule.MANUAL)
    end(window)
    assert tasks.close_due_windows() == 0
    assert window.proposal.passing == []
    window.refresh_from_db()
    assert window.applied_at is None


def test_apply_window_by_id_is_idempotent():
    window = screening_window(top_k=1)
    (idea,) = in_screening(window.racecourse, 1)
    end(window)
    assert tasks.apply_window.delay(window.pk).get()["passed"] == [idea.pk]
    assert tasks.apply_window(window.pk)["status"] == "already_applied"


def test_only_idempotent_tasks_acknowledge_late():
    assert tasks.close_due_windows.acks_late is True
    assert tasks.apply_window.acks_late is True


# --- The schedule ---------------------------------------------------------------------


def test_the_schedule_is_declared_once_and_wired_into_the_settings():
    assert settings.CELERY_BEAT_SCHEDULE is SCHEDULE
    assert app.conf.beat_schedule == SCHEDULE
    assert settings.CELERY_BEAT_SCHEDULER.endswith(":DatabaseScheduler")
    tasks_by_entry = {name: entry["task"] for name, entry in SCHEDULE.items()}
    assert tasks_by_entry == {
        "close-due-windows": "contests.tasks.close_due_windows",
        "tally-open-windows": "voting.tasks.tally_open_windows",
        "purge-expired-tokens": "horserace.accounts.tasks.tokens_purge_expired",
        "remind-windows-closing": "ideas.tasks.windows_closing_remind",
        "remind-judging": "voting.tasks.judging_remind",
        "remind-scorecards": "voting.tasks.scorecards_remind",
        "remind-approvals": "ideas.tasks.approvals_remind",
        "purge-export-jobs": "horserace.core.exports.tasks.export_jobs_purge_task",
        "weekly-innovation-report": "horserace.core.tasks.weekly_report",
        "notifications-digest-daily": (
            "horserace.notifications.tasks.notifications_digest_daily"
        ),
        "notifications-digest-weekly": (
            "horserace.notifications.tasks.notifications_digest_weekly"
        ),
    }
    # Every scheduled task exists under that name.
    app.loader.import_default_modules()
    assert set(tasks_by_entry.values()) <= set(app.tasks)


def test_close_runs_every_minute_and_tally_every_five():
    close = SCHEDULE["close-due-windows"]["schedule"]
    tally = SCHEDULE["tally-open-windows"]["schedule"]
    assert close.minute == set(range(60))
    assert tally.minute == set(range(0, 60, 5))
    # A late message is dropped rather than piling up behind the next run.
    assert SCHEDULE["close-due-windows"]["options"]["expires"] < 60
    assert SCHEDULE["tally-open-windows"]["options"]["expires"] < 300


@pytest.mark.django_db(transaction=True)
def test_the_database_scheduler_syncs_the_schedule_into_its_tables():
    """What beat does at start: the entries appear, editable in the admin.

    Transactional: the scheduler commits and closes connections as beat does.
    """
    DatabaseScheduler(app=app)
    rows = {t.name: t for t in PeriodicTask.objects.filter(name__in=list(SCHEDULE))}
    assert rows["close-due-windows"].task == "contests.tasks.close_due_windows"
    assert rows["close-due-windows"].crontab.minute == "*"
    assert rows["tally-open-windows"].task == "voting.tasks.tally_open_windows"
    assert rows["tally-open-windows"].crontab.minute == "*/5"
    assert rows["close-due-windows"].enabled
