"""Every periodic task, declared once.

``CELERY_BEAT_SCHEDULE`` (the settings) is this dictionary; django-celery-beat's
``DatabaseScheduler`` copies it into its tables when beat starts, where HR can
see and pause the entries in the admin. Each task is idempotent, and each
entry expires before the next run is due, so a backlog never piles up.
"""

from celery.schedules import crontab

SCHEDULE = {
    # Apply the rule of every stage window that has closed (and not yet been),
    # gestation included; then end projects whose proposal extension ran out.
    "close-due-windows": {
        "task": "contests.tasks.close_due_windows",
        "schedule": crontab(minute="*"),
        "options": {"expires": 55},
    },
    # Refresh the tally snapshots of every open screening window.
    "tally-open-windows": {
        "task": "voting.tasks.tally_open_windows",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 290},
    },
    # API tokens are checked for expiry one at a time on use; the rest go here.
    "purge-expired-tokens": {
        "task": "horserace.accounts.tasks.tokens_purge_expired",
        "schedule": crontab(minute=17),
        "options": {"expires": 3000},
    },
    # Reminders: each is keyed by what it is about and the day, so the hourly
    # run tells a person once a day at most.
    "remind-windows-closing": {
        "task": "ideas.tasks.windows_closing_remind",
        "schedule": crontab(minute=5),
        "options": {"expires": 3000},
    },
    "remind-judging": {
        "task": "voting.tasks.judging_remind",
        "schedule": crontab(minute=10),
        "options": {"expires": 3000},
    },
    "remind-scorecards": {
        "task": "voting.tasks.scorecards_remind",
        "schedule": crontab(minute=15),
        "options": {"expires": 3000},
    },
    "remind-approvals": {
        "task": "ideas.tasks.approvals_remind",
        "schedule": crontab(minute=20),
        "options": {"expires": 3000},
    },
    # Export files are kept for HORSERACE_EXPORT_KEEP_DAYS, then deleted.
    "purge-export-jobs": {
        "task": "horserace.core.exports.tasks.export_jobs_purge_task",
        "schedule": crontab(minute=41, hour=3),
        "options": {"expires": 3000},
    },
    # Monday morning: last week's innovation report, built once and sent once.
    "weekly-innovation-report": {
        "task": "horserace.core.tasks.weekly_report",
        "schedule": crontab(minute=30, hour=7, day_of_week="mon"),
        "options": {"expires": 6 * 3600},
    },
    # The notification digests of those who chose them (per kind, in their
    # preferences): daily at 08:05 in China (00:05 UTC), weekly on Mondays.
    "notifications-digest-daily": {
        "task": "horserace.notifications.tasks.notifications_digest_daily",
        "schedule": crontab(minute=5, hour=0),
        "options": {"expires": 6 * 3600},
    },
    "notifications-digest-weekly": {
        "task": "horserace.notifications.tasks.notifications_digest_weekly",
        "schedule": crontab(minute=15, hour=0, day_of_week=1),
        "options": {"expires": 6 * 3600},
    },
}
