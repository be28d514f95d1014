"""Running database work from many threads at the same moment (for the
PostgreSQL concurrency tests)."""

import threading

from django.db import connection

TIMEOUT = 120


def run_together(calls, timeout: float = TIMEOUT):
    """Run each callable in its own thread, all released at once.

    Returns ``(outcome, value)`` per call: ``("ok", result)`` or
    ``("error", exception)``. Each thread closes its own database connection.
    """
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=timeout)
            results[index] = ("ok", call())
        except Exception as exc:  # noqa: BLE001 - reported to the test
            results[index] = ("error", exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=worker, args=(i, call), daemon=True)
        for i, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(t.is_alive() for t in threads), "a thread hung (deadlock?)"
    return results


def errors_of(results):
    return [value for outcome, value in results if outcome == "error"]
