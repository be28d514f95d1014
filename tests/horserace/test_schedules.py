"""Every periodic task is declared in ``horserace/schedules.py`` and exists."""

from celery import current_app

from horserace.schedules import SCHEDULE


def test_the_reminders_are_scheduled_hourly_and_their_tasks_exist():
    current_app.loader.import_default_modules()
    tasks = {entry["task"]: entry for entry in SCHEDULE.values()}
    for name in (
        "ideas.tasks.windows_closing_remind",
        "ideas.tasks.approvals_remind",
        "voting.tasks.judging_remind",
        "voting.tasks.scorecards_remind",
    ):
        entry = tasks[name]
        assert name in current_app.tasks
        # Once an hour (each reminder is keyed by day: hourly catches a
        # window that comes within reach, and re-runs tell nobody twice).
        assert len(entry["schedule"].minute) == 1
        assert len(entry["schedule"].hour) == 24
        assert entry["options"]["expires"] < 3600
