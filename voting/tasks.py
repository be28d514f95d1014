"""Celery tasks for online screening. Thin: take ids, call a service.

Both are idempotent (a tally rewrites the same snapshot from the same
ballots), so they acknowledge late and may safely run twice, and a lost
database connection is retried with a backoff on a fresh connection
(``horserace.celery.DATABASE_RETRY``). The beat schedule lives in
``horserace/schedules.py`` with every other periodic task.
"""

from celery import shared_task

from contests.models import StageWindow, WindowStage
from horserace.celery import DATABASE_RETRY, reconnecting
from voting import reminders
from voting.screening.selectors.results import windows_to_tally
from voting.screening.services.tallies import tally_round


@shared_task(**DATABASE_RETRY)
def tally_window(window_id: int) -> int:
    """Recompute one screening window's tallies; how many ideas it covered."""
    with reconnecting():
        window = (
            StageWindow.objects.select_related("racecourse")
            .filter(pk=window_id, stage=WindowStage.SCREENING)
            .first()
        )
        return 0 if window is None else tally_round(window=window)


@shared_task(**DATABASE_RETRY)
def tally_open_windows() -> int:
    """Tally every screening window open now, and closed ones not yet final."""
    with reconnecting():
        return sum(tally_round(window=window) for window in windows_to_tally())


@shared_task(**DATABASE_RETRY)
def judging_remind() -> int:
    """Remind voters of ideas left to judge in rounds closing within a day."""
    with reconnecting():
        return reminders.judging_remind()


@shared_task(**DATABASE_RETRY)
def scorecards_remind() -> int:
    """Remind evaluators of scorecards due in windows closing within 48 hours."""
    with reconnecting():
        return reminders.scorecards_remind()
