"""The sustained run: many voters casting, changing and withdrawing for minutes.

Each client is one voter with its own knox token. It walks the ideas; on each
idea it casts a judgment (``POST /api/v1/ballots/``), changes it (the same
POST with the other choice) and, on every other idea, withdraws it
(``DELETE /api/v1/ballots/<idea>/``). Every answer is written to the voter's
ledger: a 2xx moves the ledger to what was asked, anything else (an error
status, a timeout, a reset) marks that idea unknown for this voter.

After the run the ledger is held against the ballots table: every idea the
ledger knows must hold exactly the ballot the last acknowledged request left
(a choice, or none), never two rows for one voter and idea. The figures are
``errors`` (target 0), ``p99_ms``, ``acknowledged`` (ballots the ledger
expects), ``stored`` (rows found for those voters and ideas), ``mismatched``
and ``doubled`` (both target 0).
"""

import json
import random
from collections import Counter
from dataclasses import dataclass, field

from bench.load import run_load

CHOICES = ("support", "oppose")
UNKNOWN = "?"


@dataclass
class Ledger:
    """What one voter's acknowledged requests left: idea id → choice or None."""

    state: dict = field(default_factory=dict)
    acknowledged: Counter = field(default_factory=Counter)  # cast/change/withdraw


def plan(client: int, n: int, idea_ids: list[int], seed: int) -> tuple[str, int, str]:
    """The n-th request of ``client``: (operation, idea id, choice).

    Requests come in threes per idea: cast, change, and then a withdraw on
    every other idea (a second change on the rest). Clients start at
    different ideas so they spread over the table.
    """
    step, op = divmod(n, 3)
    idea = idea_ids[(client * 37 + step) % len(idea_ids)]
    first = random.Random(f"{seed}:{client}:{step}").choice(CHOICES)
    other = CHOICES[1 - CHOICES.index(first)]
    if op == 0:
        return "cast", idea, first
    if op == 1:
        return "change", idea, other
    if step % 2:
        return "withdraw", idea, ""
    return "change", idea, first


def voter_requests(*, tokens: list[str], idea_ids: list[int], seed: int = 7):
    """The request maker for ``run_load``: each client its own voter's token."""

    def make(client, n):
        operation, idea, choice = plan(client, n, idea_ids, seed)
        headers = {"Authorization": f"Token {tokens[client]}"}
        if operation == "withdraw":
            return "DELETE", f"/api/v1/ballots/{idea}/", None, headers
        headers["Content-Type"] = "application/json"
        body = json.dumps({"idea": idea, "choice": choice, "reason": ""}).encode()
        return "POST", "/api/v1/ballots/", body, headers

    return make


def ledger_observer(ledgers: list[Ledger], idea_ids: list[int], seed: int = 7):
    """Record each answer in its voter's ledger (one client writes one ledger)."""

    def observe(client, n, status):
        operation, idea, choice = plan(client, n, idea_ids, seed)
        ledger = ledgers[client]
        if status is not None and 200 <= status < 300:
            ledger.state[idea] = None if operation == "withdraw" else choice
            ledger.acknowledged[operation] += 1
        else:
            ledger.state[idea] = UNKNOWN

    return observe


def stored_ballots(*, window_id: int, voter_ids: list[int]) -> dict:
    """(voter id, idea id) → list of choices stored, for these voters."""
    from voting.models import Ballot

    found = {}
    rows = Ballot.objects.filter(window_id=window_id, voter_id__in=voter_ids)
    for voter, idea, choice in rows.values_list("voter_id", "idea_id", "choice"):
        found.setdefault((voter, idea), []).append(choice)
    return found


def reconcile(
    *, ledgers: list[Ledger], voter_ids: list[int], baseline: dict, after: dict
) -> dict:
    """Hold the ledgers against the rows: expected vs stored, per voter and idea.

    ``baseline`` and ``after`` come from ``stored_ballots`` before and after
    the run; an idea a voter never touched must be as it was.
    """
    expected, unknown = {}, 0
    for voter, ledger in zip(voter_ids, ledgers, strict=True):
        for idea, choice in ledger.state.items():
            if choice == UNKNOWN:
                unknown += 1
            elif choice is not None:
                expected[(voter, idea)] = choice
    touched = {
        (voter, idea)
        for voter, ledger in zip(voter_ids, ledgers, strict=True)
        for idea in ledger.state
    }
    unknown_pairs = {
        (voter, idea)
        for voter, ledger in zip(voter_ids, ledgers, strict=True)
        for idea, choice in ledger.state.items()
        if choice == UNKNOWN
    }
    known = touched - unknown_pairs
    stored = {pair: choices for pair, choices in after.items() if pair in known}
    mismatched = sum(
        1
        for pair in known
        if stored.get(pair, []) != ([expected[pair]] if pair in expected else [])
    )
    untouched_changed = sum(
        1
        for pair in set(baseline) | set(after)
        if pair not in touched and baseline.get(pair) != after.get(pair)
    )
    acknowledged = Counter()
    for ledger in ledgers:
        acknowledged.update(ledger.acknowledged)
    return {
        "acknowledged": len(expected),
        "stored": sum(len(choices) for choices in stored.values()),
        "mismatched": mismatched,
        "doubled": sum(1 for choices in after.values() if len(choices) > 1),
        "unknown": unknown,
        "untouched_changed": untouched_changed,
        "acknowledged_requests": dict(acknowledged),
    }


def run_sustained(
    *,
    host: str,
    port: int,
    tokens: list[str],
    voter_ids: list[int],
    idea_ids: list[int],
    window_id: int,
    duration_s: float,
    timeout_s: float = 30.0,
    seed: int = 7,
) -> dict:
    """Run the voters against ``host:port`` for ``duration_s``; the figures."""
    from django.db import connection

    clients = len(tokens)
    ledgers = [Ledger() for _ in range(clients)]
    baseline = stored_ballots(window_id=window_id, voter_ids=voter_ids)
    connection.close()  # no connection held idle for minutes
    result = run_load(
        host=host,
        port=port,
        make_request=voter_requests(tokens=tokens, idea_ids=idea_ids, seed=seed),
        clients=clients,
        duration_s=duration_s,
        ok_statuses=(200, 201, 204),
        timeout_s=timeout_s,
        observe=ledger_observer(ledgers, idea_ids, seed),
    )
    after = stored_ballots(window_id=window_id, voter_ids=voter_ids)
    figures = reconcile(
        ledgers=ledgers, voter_ids=voter_ids, baseline=baseline, after=after
    )
    return {
        "voters": clients,
        "duration_s": duration_s,
        "elapsed_s": result.elapsed_s,
        "requests": result.ok + result.errors,
        "ok": result.ok,
        "errors": result.errors,
        "statuses": {str(k): v for k, v in result.statuses.items()},
        "per_s": result.per_s,
        "p50_ms": result.percentile(50),
        "p95_ms": result.percentile(95),
        "p99_ms": result.percentile(99),
        "max_ms": max(result.latencies_ms, default=float("nan")),
        "first_error": result.first_error,
        **figures,
    }


def sustained_ok(figures: dict) -> bool:
    """0 errors, and the acknowledged ballots are exactly the stored rows."""
    return (
        figures["errors"] == 0
        and figures["ok"] > 0
        and figures["acknowledged"] == figures["stored"]
        and figures["mismatched"] == 0
        and figures["doubled"] == 0
        and figures["untouched_changed"] == 0
    )
