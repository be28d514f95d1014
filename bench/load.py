"""A small HTTP load generator: threads, one ``http.client`` connection each.

Nothing to install. Each client thread sends its requests one after another
on its own connection (kept alive when the server allows it; gunicorn's sync
workers close after each response, and ``http.client`` reconnects by itself,
so the connect is part of the measured time as it is for a real client of
such a server). Every loop is bounded by a deadline *and* a request count.
"""

import http.client
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

#: (client number, request number) → (method, path, body or None, headers)
RequestMaker = Callable[[int, int], tuple[str, str, bytes | None, dict]]
#: a successful response's body → (items that succeeded, items that failed)
ItemCounter = Callable[[bytes], tuple[int, int]]
#: (client number, request number, status or None when no answer came) → None
Observer = Callable[[int, int, int | None], None]


@dataclass
class LoadResult:
    clients: int
    elapsed_s: float
    ok: int = 0
    errors: int = 0
    statuses: Counter = field(default_factory=Counter)
    latencies_ms: list[float] = field(default_factory=list)  # successful only
    first_error: str = ""
    items_ok: int = 0  # with an ItemCounter: items inside successful responses
    items_failed: int = 0

    @property
    def per_s(self) -> float:
        return self.ok / self.elapsed_s if self.elapsed_s else 0.0

    def percentile(self, p: float) -> float:
        """The p-th percentile (0-100) of successful latencies, nearest rank."""
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered)) - 1))
        return ordered[rank]

    @property
    def items_per_s(self) -> float:
        return self.items_ok / self.elapsed_s if self.elapsed_s else 0.0

    @property
    def mean_ms(self) -> float:
        return statistics.fmean(self.latencies_ms) if self.latencies_ms else 0.0

    @classmethod
    def merged(cls, parts: "list[LoadResult]") -> "LoadResult":
        """Several runs of one load as one: their requests over their time."""
        out = cls(clients=max(p.clients for p in parts), elapsed_s=0.0)
        for part in parts:
            out.elapsed_s += part.elapsed_s
            out.ok += part.ok
            out.errors += part.errors
            out.items_ok += part.items_ok
            out.items_failed += part.items_failed
            out.statuses.update(part.statuses)
            out.latencies_ms += part.latencies_ms
            out.first_error = out.first_error or part.first_error
        return out


def run_load(
    *,
    host: str,
    port: int,
    make_request: RequestMaker,
    clients: int,
    duration_s: float,
    max_requests_per_client: int = 1_000_000,
    ok_statuses=(200, 201),
    timeout_s: float = 10.0,
    count_items: ItemCounter | None = None,
    observe: Observer | None = None,
) -> LoadResult:
    """Run ``clients`` threads against ``host:port`` until the deadline.

    A client stops at ``duration_s`` after the common start or after
    ``max_requests_per_client`` requests, whichever comes first. Throughput is
    successful responses over the wall time from the start to the last
    client's end. ``count_items`` reads each successful body (for batch
    requests, whose items succeed or fail one by one). ``observe`` hears of
    every answer, or of its absence, from the client's own thread.
    """
    lock = threading.Lock()
    result = LoadResult(clients=clients, elapsed_s=0.0)
    start_gate = threading.Barrier(clients + 1)
    state = {"start": 0.0}

    def client(number: int):
        latencies, statuses, ok, errors, first_error = [], Counter(), 0, 0, ""
        items_ok = items_failed = 0
        conn = http.client.HTTPConnection(host, port, timeout=timeout_s)
        start_gate.wait(timeout=30)
        deadline = state["start"] + duration_s
        for n in range(max_requests_per_client):
            if time.perf_counter() >= deadline:
                break
            method, path, body, headers = make_request(number, n)
            began = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException) as exc:
                errors += 1
                statuses["exception"] += 1
                first_error = first_error or f"{type(exc).__name__}: {exc}"
                conn.close()
                if observe is not None:
                    observe(number, n, None)
                continue
            took = (time.perf_counter() - began) * 1000
            statuses[response.status] += 1
            if observe is not None:
                observe(number, n, response.status)
            if response.status in ok_statuses:
                ok += 1
                latencies.append(took)
                if count_items is not None:
                    good, bad = count_items(payload)
                    items_ok += good
                    items_failed += bad
                    if bad and not first_error:
                        first_error = (
                            f"{method} {path}: items failed: {payload[:300]!r}"
                        )
            else:
                errors += 1
                first_error = first_error or (
                    f"{method} {path} → {response.status}: {payload[:300]!r}"
                )
        conn.close()
        with lock:
            result.ok += ok
            result.errors += errors
            result.items_ok += items_ok
            result.items_failed += items_failed
            result.statuses.update(statuses)
            result.latencies_ms += latencies
            result.first_error = result.first_error or first_error

    threads = [
        threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    state["start"] = time.perf_counter()
    start_gate.wait(timeout=30)
    for thread in threads:
        thread.join(duration_s + 2 * timeout_s + 30)
    result.elapsed_s = time.perf_counter() - state["start"]
    if any(t.is_alive() for t in threads):
        result.first_error = result.first_error or "a client thread did not finish"
    return result
