"""A real Celery worker process runs the tally and close tasks end to end.

The test starts ``celery -A horserace worker`` as a subprocess on the Redis
broker, pointed at this test's PostgreSQL database, sends it the tasks by
name and reads their results from a Redis result backend, then checks that
the tallies and stage changes landed in the database.

It runs only on PostgreSQL with Redis reachable: the worker must share the
test database (an in-memory SQLite database cannot be shared), and the data
must be committed (``transaction=True``) for another process to see it. The
worker listens on a queue of its own, so two runs at once never swap tasks.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from celery import Celery
from django.db import connection

from ideas.models import Stage, StageTransition
from tests.contests.test_closing import end, in_screening, judge, screening_window
from voting.models import Tally

BROKER_URL = "redis://127.0.0.1:6379/15"
RESULT_BACKEND = "redis://127.0.0.1:6379/14"
REPO = Path(__file__).resolve().parent.parent
CELERY = Path(sys.executable).with_name("celery")
TIMEOUT = 90


def redis_reachable(url: str = BROKER_URL) -> bool:
    try:
        return redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the worker must share the test database: set DATABASE_URL "
        "to PostgreSQL",
    ),
]


def _database_url() -> str:
    """This test's database (pytest's ``test_…`` copy), as a URL for the worker."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or 5432
    return f"postgres://{credentials}@{host}:{port}/{db['NAME']}"


class Worker:
    """The worker subprocess, its private queue, and a client to reach it.

    ``command`` replaces ``celery`` (the fault tests start a wrapper module),
    ``env`` adds variables, and ``queue`` lets a second worker take over the
    queue of one that was killed.
    """

    def __init__(
        self,
        log_path: Path,
        *,
        broker: str = BROKER_URL,
        backend: str = RESULT_BACKEND,
        queue: str | None = None,
        command: list[str] | None = None,
        env: dict | None = None,
        pool: str = "solo",
        transport_options: dict | None = None,
    ):
        self.queue = queue or f"horserace-test-{uuid.uuid4().hex[:12]}"
        self.log_path = log_path
        self.broker = broker
        # Neither current nor Django-aware: the suite's own tasks stay eager.
        self.client = Celery(
            "horserace-test",
            broker=broker,
            backend=backend,
            set_as_current=False,
            fixups=[],
        )
        if transport_options:
            self.client.conf.broker_transport_options = transport_options
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "horserace.settings",
            "DATABASE_URL": _database_url(),
            "CONN_MAX_AGE": "0",
            "CELERY_BROKER_URL": broker,
            "CELERY_RESULT_BACKEND": backend,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "EMAIL_URL": "consolemail://",
            **(env or {}),
        }
        self._log = log_path.open("w")
        self.process = subprocess.Popen(
            [
                *(command or [str(CELERY)]),
                "-A",
                "horserace",
                "worker",
                f"--pool={pool}",
                "-c",
                "1",
                "--without-mingle",
                "--without-gossip",
                "-l",
                "warning",
                "-Q",
                self.queue,
                "-n",
                f"{self.queue}@%h",
            ],
            cwd=REPO,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, pool included
        )

    def run(self, name: str, *args):
        """Send task ``name`` to the worker and wait for its result."""
        return self.wait(self.send(name, *args), name=name)

    def send(self, name: str, *args):
        """Send task ``name`` to the worker; its ``AsyncResult``."""
        return self.client.send_task(name, args=args, queue=self.queue)

    def wait(self, result, *, name: str = "the task"):
        """Wait for ``result`` while this worker runs; its value."""
        deadline = time.monotonic() + TIMEOUT
        while not result.ready():
            if self.process.poll() is not None:
                pytest.fail(f"the worker exited early:\n{self.log()}")
            if time.monotonic() > deadline:
                pytest.fail(f"{name} did not finish in {TIMEOUT}s:\n{self.log()}")
            time.sleep(0.1)
        return result.get(timeout=5)

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text()

    def kill(self) -> None:
        """SIGKILL the worker and its pool: no warm shutdown, nothing requeued."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=15)
        self._log.flush()

    def stop(self, *, clean_broker: bool = True) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self._log.close()
        if clean_broker:
            self.clean_broker()
        self.client.close()

    def clean_broker(self) -> None:
        # Leave the broker as we found it: our queue, its binding, and the
        # notification tasks the worker queued on the default queue (which
        # only this test's workers publish to on this Redis database).
        broker = redis.Redis.from_url(self.broker)
        broker.delete(self.queue, f"_kombu.binding_permanent.{self.queue}", "celery")
        for key in broker.scan_iter("_kombu.binding*"):
            if broker.type(key) == b"set":
                for member in broker.smembers(key):
                    if self.queue.encode() in member:
                        broker.srem(key, member)


@pytest.fixture
def worker(tmp_path, monkeypatch):
    if not redis_reachable():
        pytest.skip(f"Redis is not reachable at {BROKER_URL}")
    if not CELERY.exists():
        pytest.skip(f"no celery command at {CELERY}")
    # Celery reads these variables before its own configuration (CI sets the
    # suite's broker to another database), so the client must see ours too.
    monkeypatch.setenv("CELERY_BROKER_URL", BROKER_URL)
    monkeypatch.setenv("CELERY_RESULT_BACKEND", RESULT_BACKEND)
    worker = Worker(tmp_path / "worker.log")
    try:
        yield worker
    finally:
        worker.stop()


def test_a_real_worker_tallies_and_closes_a_window(worker):
    """Tally while open, close after: the snapshot and the stage changes land."""
    window = screening_window(top_k=1)
    winner, loser = in_screening(window.racecourse, 2)
    judge(winner, "++-")
    judge(loser, "+--")

    assert worker.run("voting.tasks.tally_open_windows") == 2
    tallies = {t.idea_id: t for t in Tally.objects.filter(window=window)}
    assert (tallies[winner.pk].supports, tallies[winner.pk].opposes) == (2, 1)
    assert (tallies[winner.pk].rank, tallies[loser.pk].rank) == (1, 2)

    end(window)
    assert worker.run("contests.tasks.close_due_windows") == 1

    winner.refresh_from_db()
    loser.refresh_from_db()
    assert (winner.stage, loser.stage) == (Stage.GESTATION, Stage.ELIMINATED)
    assert (
        StageTransition.objects.filter(
            idea__in=[winner, loser], from_stage=Stage.SCREENING
        ).count()
        == 2
    )
    window.refresh_from_db()
    assert window.applied_at is not None

    # Again, by id: nothing more happens.
    again = worker.run("contests.tasks.apply_window", window.pk)
    assert again["status"] == "already_applied"
    assert worker.run("contests.tasks.close_due_windows") == 0
    assert StageTransition.objects.filter(idea=winner).count() == 3
