"""Faults in the middle of the periodic work: a worker killed, a connection cut.

- A real worker (``tests.fault_worker``, on Redis and this test's PostgreSQL
  database) closes a screening window and stalls after moving two of its
  ideas; the test kills it with SIGKILL there and starts a fresh worker on
  the same queue. Redis hands the unacknowledged message out again
  (``acks_late`` and a short ``CELERY_VISIBILITY_TIMEOUT``) and the close
  runs again from the start: every idea moved exactly once, the tallies
  match the ballots, the window applied once.
- The tally task's PostgreSQL backend is terminated (``pg_terminate_backend``
  from another connection) in the middle of ``tally_round``: the task closes
  the dead connection, retries and writes the right tallies.

Both need PostgreSQL; the first also needs Redis (database
``FAULTS_REDIS_URL``, by default 4 on 127.0.0.1).
"""

import os
import signal
import sys
import time
import uuid

import psycopg2
import pytest
import redis
from django.db import connection

from ideas.models import Stage, StageTransition
from tests.contests.test_closing import end, in_screening, judge, screening_window
from tests.test_celery_worker import CELERY, Worker, redis_reachable
from voting import tasks as voting_tasks
from voting.models import Ballot, Tally
from voting.services import tallies

REDIS_URL = os.environ.get("FAULTS_REDIS_URL", "redis://127.0.0.1:6379/4")
#: Seconds after which Redis hands out again the message of the killed worker.
VISIBILITY_TIMEOUT = 3
STALL_TIMEOUT = 90

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the worker must share the test database, and the backend to "
        "cut must be PostgreSQL's: set DATABASE_URL to PostgreSQL",
    ),
]


def _screening_round():
    """Five ideas in screening with ballots; the window (top 2) has closed.

    Returns the window and the ideas, best first.
    """
    window = screening_window(top_k=2)
    ideas = in_screening(window.racecourse, 5)
    for idea, votes in zip(
        ideas, ["++++-", "+++--", "++---", "+----", "-----"], strict=True
    ):
        judge(idea, votes)
    end(window)
    return window, ideas


def _worker(tmp_path, name, *, prefix, queue=None, stall_after=None, visibility=None):
    env = {"HORSERACE_TEST_KEYPREFIX": prefix}
    if visibility is not None:
        env["CELERY_VISIBILITY_TIMEOUT"] = str(visibility)
    if stall_after is not None:
        env |= {
            "HORSERACE_TEST_STALL_AFTER": str(stall_after),
            "HORSERACE_TEST_STALL_FILE": str(tmp_path / "stalled"),
        }
    return Worker(
        tmp_path / f"{name}.log",
        broker=REDIS_URL,
        backend=REDIS_URL,
        queue=queue,
        command=[sys.executable, "-m", "tests.fault_worker"],
        env=env,
        transport_options={"global_keyprefix": prefix},
        # prefork, as in production: the main process acknowledges and
        # watches its pool process, which runs the task.
        pool="prefork",
    )


@pytest.mark.parametrize("killed", ["worker", "pool_process"])
def test_a_worker_killed_mid_close_leaves_every_idea_moved_exactly_once(
    tmp_path, monkeypatch, killed
):
    """SIGKILL after two of five ideas moved; the close is run again, right.

    ``worker``: the whole worker (main and pool process) is killed and a new
    one started on the queue; Redis hands the unacknowledged message out
    again (``acks_late``). ``pool_process``: only the process running the
    task is killed; the worker gives the message back
    (``task_reject_on_worker_lost``) and its new pool process runs it.
    """
    if not redis_reachable(REDIS_URL):
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    if not CELERY.exists():
        pytest.skip(f"no celery command at {CELERY}")
    monkeypatch.setenv("CELERY_BROKER_URL", REDIS_URL)
    monkeypatch.setenv("CELERY_RESULT_BACKEND", REDIS_URL)
    window, ideas = _screening_round()
    marker = tmp_path / "stalled"
    # Keys of our own, so no other worker sweeps up our message; the short
    # visibility timeout only where the message must come back from Redis
    # (elsewhere the stalled worker would hand itself a second copy).
    prefix = f"horserace-fault-{uuid.uuid4().hex[:8]}:"
    options = {
        "prefix": prefix,
        "visibility": VISIBILITY_TIMEOUT if killed == "worker" else None,
    }

    first = _worker(tmp_path, "first", stall_after=2, **options)
    second = None
    try:
        result = first.send("contests.tasks.close_due_windows")
        deadline = time.monotonic() + STALL_TIMEOUT
        while not marker.exists() or not marker.read_text():
            if first.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the worker never stalled mid-close:\n{first.log()}")
            time.sleep(0.05)

        # Two ideas moved inside the close's transaction; nothing is committed.
        assert StageTransition.objects.filter(from_stage=Stage.SCREENING).count() == 0
        if killed == "worker":
            first.kill()
            first.stop(clean_broker=False)
            assert not result.ready()
            second = _worker(tmp_path, "second", queue=first.queue, **options)
            runner = second
        else:
            os.kill(int(marker.read_text()), signal.SIGKILL)
            runner = first
        assert runner.wait(result, name="the close, run again") == 1
        result.forget()
    finally:
        for worker in (first, second):
            if worker is not None and worker.process.poll() is None:
                worker.stop(clean_broker=False)
        broker = redis.Redis.from_url(REDIS_URL)
        for key in broker.scan_iter(f"{prefix}*"):
            broker.delete(key)

    moves = StageTransition.objects.filter(
        idea__in=ideas, from_stage=Stage.SCREENING
    ).order_by("idea_id")
    assert [m.idea_id for m in moves] == sorted(i.pk for i in ideas)  # once each
    for idea in ideas:
        idea.refresh_from_db()
    assert [i.stage for i in ideas] == [Stage.GESTATION] * 2 + [Stage.ELIMINATED] * 3
    window.refresh_from_db()
    assert window.applied_at is not None
    tallied = {
        t.idea_id: (t.supports, t.opposes, t.rank)
        for t in Tally.objects.filter(window=window)
    }
    assert tallied == {
        idea.pk: (supports, 5 - supports, rank)
        for rank, (idea, supports) in enumerate(
            zip(ideas, [4, 3, 2, 1, 0], strict=True), 1
        )
    }
    assert Ballot.objects.filter(window=window).count() == 25


def _terminate(pid: int) -> None:
    """End backend ``pid`` from a connection of our own, as a failover would."""
    db = connection.settings_dict
    admin = psycopg2.connect(
        dbname=db["NAME"],
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
    )
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone()[0]
    finally:
        admin.close()


@pytest.mark.parametrize("where", ["mid_tally", "idle"])
def test_a_connection_cut_during_a_tally_is_retried_and_the_tally_lands(
    monkeypatch, where
):
    """The tally's backend is terminated; the task retries on a new one.

    ``mid_tally``: between the grouped counts and the upsert, inside the
    tally's transaction. ``idle``: while the worker's connection sat between
    tasks, so the task's very first query meets a dead connection (outside
    any transaction, where Django does not drop it by itself).
    """
    window = screening_window()
    ideas = in_screening(window.racecourse, 2)
    judge(ideas[0], "++-")
    judge(ideas[1], "+--")
    cut = []
    original = tallies.wilson_interval

    def cut_once(*args):
        if not cut:
            cut.append(connection.connection.get_backend_pid())
            _terminate(cut[0])
        return original(*args)

    if where == "mid_tally":
        monkeypatch.setattr(tallies, "wilson_interval", cut_once)
    else:
        connection.ensure_connection()
        cut.append(connection.connection.get_backend_pid())
        _terminate(cut[0])
    retries = []
    original_retry = voting_tasks.tally_window.retry

    def counting_retry(*args, **kwargs):
        retries.append(kwargs.get("exc"))
        return original_retry(*args, **kwargs)

    monkeypatch.setattr(voting_tasks.tally_window, "retry", counting_retry)

    # throw=False: as in a worker, a retry is run, not raised to the caller.
    result = voting_tasks.tally_window.apply(args=[window.pk], throw=False)

    assert result.successful(), result.traceback
    assert result.get() == 2
    assert len(cut) == 1
    assert len(retries) == 1 and retries[0] is not None, retries
    assert connection.connection.get_backend_pid() != cut[0]  # a new backend
    tallied = {
        t.idea_id: (t.supports, t.opposes) for t in Tally.objects.filter(window=window)
    }
    assert tallied == {ideas[0].pk: (2, 1), ideas[1].pk: (1, 2)}


def test_database_tasks_retry_lost_connections_with_backoff():
    """The tally and close tasks retry OperationalError/InterfaceError, backing off."""
    from django.db import InterfaceError, OperationalError

    from contests import tasks as contests_tasks

    for task in (
        voting_tasks.tally_window,
        voting_tasks.tally_open_windows,
        contests_tasks.close_due_windows,
        contests_tasks.apply_window,
    ):
        assert set(task.autoretry_for) == {OperationalError, InterfaceError}
        assert task.retry_backoff and task.max_retries
        assert task.acks_late
