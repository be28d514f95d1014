"""A Celery worker that stalls in the middle of closing a window (tests only).

    python -m tests.fault_worker -A horserace worker ...   (celery's arguments)

With ``HORSERACE_TEST_STALL_AFTER=N`` in the environment, the N-th stage change
the funnel makes in this process writes the pid of the process running the
task to the file named by ``HORSERACE_TEST_STALL_FILE`` and then sleeps,
inside the close's open transaction. It stalls once: when the file exists
(a pool process that replaced a killed one runs the task again), it does not. The test then kills the worker with SIGKILL at a moment it
knows: some ideas moved, the rest not, nothing committed. The wrapper patches
``ideas.funnel.idea_transition`` in the worker's own process; no production
code carries a hook for it.

``HORSERACE_TEST_KEYPREFIX`` puts every Redis key of the worker under that
prefix (kombu's ``global_keyprefix``), so two such tests at once never sweep
up each other's unacknowledged messages.
"""

import os
import sys
import time
from pathlib import Path

from celery.signals import celeryd_init, task_prerun

_patched = False


def _stall_after(count: int, marker: Path) -> None:
    from ideas import funnel

    original = funnel.idea_transition
    moved = 0

    def idea_transition(**kwargs):
        nonlocal moved
        result = original(**kwargs)
        if result[1]:
            moved += 1
            if moved == count and not marker.exists():
                marker.write_text(str(os.getpid()))
                time.sleep(600)  # until the test kills us
        return result

    funnel.idea_transition = idea_transition


@celeryd_init.connect(weak=False)
def _prefix(conf=None, **_kwargs) -> None:
    prefix = os.environ.get("HORSERACE_TEST_KEYPREFIX")
    if prefix:
        conf.broker_transport_options = {
            **(conf.broker_transport_options or {}),
            "global_keyprefix": prefix,
        }


@task_prerun.connect(weak=False)
def _patch(**_kwargs) -> None:
    """Patch once, at the first task: Django is set up by then."""
    global _patched
    count = os.environ.get("HORSERACE_TEST_STALL_AFTER")
    if _patched or not count:
        return
    _patched = True
    _stall_after(int(count), Path(os.environ["HORSERACE_TEST_STALL_FILE"]))


if __name__ == "__main__":
    from celery.__main__ import main

    sys.argv = ["celery", *sys.argv[1:]]
    sys.exit(main())
