"""Celery tasks for the race. Thin: take ids, call a service.

Both tasks are idempotent (``window_apply`` does nothing for an applied
window and locks the window while it works; the closers' sweeps lock and
re-check each idea), so they acknowledge late: a worker lost mid-task means
the message is delivered again, not lost. A close runs in one transaction, so
a worker killed halfway leaves nothing behind for the next run to trip on. A
lost database connection is retried on a fresh one
(``horserace.celery.DATABASE_RETRY``).
"""

import logging

from celery import shared_task

from horserace.celery import DATABASE_RETRY, reconnecting

from .closing import sweeps_run, window_apply, windows_due
from .farm import farm_rounds_open
from .models import StageWindow

log = logging.getLogger(__name__)


@shared_task(**DATABASE_RETRY)
def close_due_windows() -> int:
    """Apply every window that has closed and not been applied; return how many.

    Each window is applied in its own transaction, so one failing window
    (logged) neither undoes nor blocks the others. Then every stage's closer
    sweeps (gestation's eliminates projects whose extension ran out).
    """
    applied = 0
    with reconnecting():
        due = list(windows_due().values_list("pk", flat=True))
    for window_id in due:
        try:
            outcome = apply_window(window_id)
        except Exception:
            log.exception("closing window %s failed", window_id)
            continue
        applied += outcome["status"] == "applied"
    if applied:
        log.info("applied %s closed window(s)", applied)
    try:
        with reconnecting():
            if opened := farm_rounds_open():
                log.info("opened farm round(s) %s", opened)
    except Exception:
        log.exception("opening the farm's next round failed")
    sweeps_run()
    return applied


@shared_task(**DATABASE_RETRY)
def apply_window(window_id: int) -> dict:
    """Apply one window's closing rule now (it must have closed)."""
    with reconnecting():
        window = StageWindow.objects.select_related("racecourse").get(pk=window_id)
        return window_apply(window=window)
