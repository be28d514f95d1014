"""The Celery application.

With no ``CELERY_BROKER_URL`` set the broker is kombu's ``filesystem://``
transport in ``var/celery`` so a laptop needs no Redis; production points it
at Redis. Periodic schedules live in the database (django-celery-beat) and
are declared once, in ``horserace.schedules``.

Database tasks retry on a lost connection: ``DATABASE_RETRY`` and
``reconnecting`` below.
"""

import os
from contextlib import contextmanager

from celery import Celery
from django.db import InterfaceError, OperationalError, connection

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "horserace.settings")

app = Celery("horserace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


#: Options for tasks that only read and write the database and are idempotent:
#: a dropped or restarted PostgreSQL connection (failover, a restart, an idle
#: connection cut by a proxy, ``pg_terminate_backend``) is retried with an
#: exponential backoff (1 s, 2 s, 4 s … at most 60 s, jittered) instead of
#: failing the run. Use with ``reconnecting()`` around the task's body.
DATABASE_RETRY = {
    "acks_late": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 1,
    "retry_backoff_max": 60,
    "retry_jitter": True,
    "max_retries": 5,
}


@contextmanager
def reconnecting():
    """Close this thread's database connection when a database error escapes.

    Django does not reconnect a connection that broke outside a transaction
    (and a worker keeps its connection between tasks, and an eager retry runs
    at once in the same thread), so the retry would meet the same dead
    connection. Closing it makes the next query open a fresh one.
    """
    try:
        yield
    except (OperationalError, InterfaceError):
        connection.close()
        raise
