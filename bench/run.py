"""`make bench`: seed a screening round at Alibaba scale and measure it.

    python -m bench.run [--reseed] [--duration 18] [--clients 32]
                        [--sustained-seconds 120] [--sustained-voters 200]
    python -m bench.run --sustained-only      # only the sustained run
    python -m bench.run --full                # 4,800,000 ballots, own database

Runs on PostgreSQL at ``BENCH_DATABASE_URL`` (default
postgres://postgres@127.0.0.1:5432/horserace_bench), which it creates,
migrates and seeds (once; ``--reseed`` drops it first). It then starts
gunicorn (2 sync workers) on a free loopback port and measures, in order:

- the tally of the 1,000,000 ballots vs the raw grouped count (in-process);
- the pages' query counts in-process, on the big and the small racecourse;
- ballots/s and latency through ``POST /api/v1/ballots/`` (32 clients, 18 s in three turns);
- the same load on the bare upsert ``/bench/ballot/`` (the ceiling), and on the
  same upsert behind token authentication (what authenticating alone costs);
- judgments/s through ``POST /api/v1/ballots/batch/``;
- each page's p50/p95 over HTTP (200 requests, one after another);
- where the ballot API's time goes beyond the bare upsert (queries, cProfile);
- the directory import: 20,000 employees from HR's file, first run, re-run
  and a changed file (``bench.directory``, on its own database; also alone
  with ``--directory-only``);
- the sustained run: 200 voters casting, changing and withdrawing for two
  minutes, errors, p99, and the acknowledged ballots against the rows stored
  (``bench.sustained``). ``--sustained-only`` runs just that, on a smaller
  seed (``SUSTAINED_SCALE``) unless the database already holds the full one,
  and merges its figures into an existing ``bench/results.json``.

``bench.measure`` holds the measurements, ``bench.load`` the load generator
and ``bench.seed`` the seed.

It prints a table and writes ``bench/results.json``. Nothing is hard-coded:
every figure comes from this run.
"""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
#: ``--full``'s figures, beside the 1,000,000-ballot run's.
RESULTS_FULL = ROOT / "bench" / "results-full.json"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/horserace_bench"
#: ``--full`` seeds its own database: the bench database's name + this.
FULL_SUFFIX = "_full"
#: The side-by-side loads run in this many turns each (``--duration`` split).
ROUNDS = 3

#: What the benchmark server (and this process) run with: DEBUG off, the bare
#: endpoint mounted, throttling and brute-force lock-outs out of the way.
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "horserace.settings",
    "DEBUG": "false",
    "BENCH_ENDPOINTS": "true",
    "CONN_MAX_AGE": "60",
    "API_THROTTLE_USER": "10000000/min",
    "API_THROTTLE_ANON": "10000000/min",
    "AXES_ENABLED": "false",
    "LOG_LEVEL": "WARNING",
    # whitenoise serves from the finders when static files are not collected.
    "PYTHONWARNINGS": "ignore:No directory at:UserWarning",
    "CELERY_TASK_ALWAYS_EAGER": "false",
}

#: Every target is a ratio to what this machine does bare in the same run,
#: so the figures compare code, not machines.
TARGETS = {
    "ballot_vs_bare": "ballot_per_s / bare_per_s >= 0.8",
    "ballot_p99": "ballot_p99_ms <= 1.3 x bare_p99_ms",
    "batch_vs_single": "batch_judgments_per_s >= 10 x ballot_per_s",
    "tally_vs_raw": "tally_s <= 1.5 x (raw_groupby_s + raw_impressions_s)",
    "pages": "every page p95 < 100 ms, queries do not grow with the ideas",
    "sustained": "sustained voters: 0 errors; acknowledged ballots == rows stored, "
    "0 mismatched, 0 doubled",
}
PAGE_TARGET = "p95 < 100 ms; same queries at 300 and 30 ideas; none per item"


# --- the database ---------------------------------------------------------------


def database_ensure(url: str, *, drop: bool, log=print) -> bool:
    """Create the bench database (dropping it first if ``drop``).

    Returns True when the database was created by this call.
    """
    import environ
    import psycopg2
    from psycopg2 import sql

    config = environ.Env.db_url_config(url)
    if "postgresql" not in config["ENGINE"]:
        raise SystemExit(f"BENCH_DATABASE_URL must be PostgreSQL, not {url!r}")
    name = config["NAME"]
    admin = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            if drop:
                log(f"dropping database {name}")
                cursor.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(name)
                    )
                )
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                return False
            log(f"creating database {name}")
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    finally:
        admin.close()


def full_database_url(url: str) -> str:
    """The full-scale run's database: ``url``'s, its name suffixed ``_full``,
    so the 1,000,000-ballot seed is kept beside it."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + FULL_SUFFIX))


def django_setup(database_url: str) -> None:
    """Configure Django in this process exactly as the server will be."""
    os.environ.update(SERVER_ENV)
    os.environ["DATABASE_URL"] = database_url
    sys.path.insert(0, str(ROOT))
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()


# --- 2. the server -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn, 2 sync workers, on a loopback port; always stopped on exit."""

    def __init__(self, *, database_url: str, workers: int = 0, log=print):
        workers = workers or int(os.environ.get("BENCH_WORKERS") or 2)
        threads = int(os.environ.get("BENCH_THREADS") or 1)
        # BENCH_PORT pins the port (a shared machine hands each user its own).
        self.port = int(os.environ.get("BENCH_PORT") or 0) or free_port()
        self.log = log
        self.logfile = ROOT / "var" / "bench-gunicorn.log"
        env = os.environ | SERVER_ENV | {"DATABASE_URL": database_url}
        self.command = [
            sys.executable,
            "-m",
            "gunicorn",
            "horserace.wsgi",
            f"--worker-class={'gthread' if threads > 1 else 'sync'}",
            f"--workers={workers}",
            f"--threads={threads}",
            f"--bind=127.0.0.1:{self.port}",
            "--backlog=2048",
            "--timeout=60",
            "--graceful-timeout=5",
            "--log-level=warning",
            f"--error-logfile={self.logfile}",
        ]
        self.env = env
        self.process = None
        self.description = (
            f"gunicorn, {workers} workers of {threads} threads"
            if threads > 1
            else f"gunicorn, {workers} sync workers"
        )

    def __enter__(self):
        self.logfile.parent.mkdir(exist_ok=True)
        self.logfile.write_text("")
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env)
        self._wait_ready()
        self.log(f"gunicorn (pid {self.process.pid}) on 127.0.0.1:{self.port}")
        return self

    def _wait_ready(self, timeout_s=60):
        import http.client

        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: see {self.logfile}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    return
                conn.close()
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer in {timeout_s}s")

    def __exit__(self, *exc):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.log(f"gunicorn stopped ({self.process.returncode})")


# --- the run ----------------------------------------------------------------------------

#: A page runs "one query per item" when one query shape repeats this often.
PER_ITEM_REPEATS = 5


def page_ok(page: dict) -> bool:
    """Fast enough, and no query that grows with the ideas."""
    return (
        page["status"] == 200
        and page["errors"] == 0
        and page["p95_ms"] < 100
        and page["queries"] <= page["queries_small"]
        and page["repeated"] < PER_ITEM_REPEATS
    )


def targets_check(results: dict) -> dict:
    """Which targets the measured figures meet, with the figure for each."""
    ballot, bare = results["ballot_per_s"], results["bare_per_s"]
    batch = results["batch_judgments_per_s"]
    # The tally scans the round's ballots and its impressions: its floor is
    # the two bare scans together, not the ballots' alone.
    tally, raw = results["tally_s"], results["raw_scans_s"]
    p99, bare_p99 = results["ballot_p99_ms"], results["bare_p99_ms"]
    pages = results["pages"]

    found = {
        "ballot_vs_bare": (
            bare > 0 and ballot / bare >= 0.8,
            f"{ballot / bare:.2f}" if bare else "n/a",
        ),
        "ballot_p99": (
            bare_p99 > 0 and p99 <= 1.3 * bare_p99,
            f"{p99:.1f} ms vs {bare_p99:.1f} ms ({p99 / bare_p99:.2f}x)"
            if bare_p99
            else "n/a",
        ),
        "batch_vs_single": (
            ballot > 0 and batch >= 10 * ballot,
            f"{batch / ballot:.1f}x" if ballot else "n/a",
        ),
        "tally_vs_raw": (
            raw > 0 and tally / raw <= 1.5,
            f"{tally / raw:.2f} ({tally * 1000:,.0f} ms vs {raw * 1000:,.0f} ms)"
            if raw
            else "n/a",
        ),
    }
    for name, page in pages.items():
        found[f"page_{name}"] = (
            page_ok(page),
            f"p95 {page['p95_ms']:.1f} ms, {page['queries']} queries "
            f"({page['queries_small']} with 30 ideas), "
            f"most repeated query x{page['repeated']}",
        )
    targets = {
        name: {
            "met": bool(met),
            "measured": measured,
            "target": TARGETS.get(name, PAGE_TARGET),
        }
        for name, (met, measured) in found.items()
    }
    targets["pages"] = {
        "met": bool(pages) and all(page_ok(p) for p in pages.values()),
        "measured": ", ".join(n for n, p in pages.items() if not page_ok(p))
        or "all pages",
        "target": TARGETS["pages"],
    }
    return targets


def table(results: dict) -> str:
    """The figures and targets as the terminal shows them."""
    r = results
    rows = [
        ("ballots/s  POST /api/v1/ballots/", f"{r['ballot_per_s']:,.0f}"),
        ("  p50 / p99", f"{r['ballot_p50_ms']:.1f} / {r['ballot_p99_ms']:.1f} ms"),
        ("bare upsert/s  /bench/ballot/ (ceiling)", f"{r['bare_per_s']:,.0f}"),
        ("  p50 / p99", f"{r['bare_p50_ms']:.1f} / {r['bare_p99_ms']:.1f} ms"),
        (
            "  behind token authentication (no checks)",
            f"{r['authenticated_per_s']:,.0f}/s = "
            f"{r['authenticated_per_s'] / (r['bare_per_s'] or 1):.2f} of bare, "
            f"p99 {r['authenticated_p99_ms']:.1f} ms",
        )
        if "authenticated_per_s" in r
        else ("", ""),
        ("judgments/s  batch of 100", f"{r['batch_judgments_per_s']:,.0f}"),
        (
            "  p50 / p99 per batch",
            f"{r['batch_p50_ms']:.1f} / {r['batch_p99_ms']:.1f} ms",
        ),
        (
            f"tally_round  ({r['tally']['ballots']:,} ballots, median of 3)",
            f"{r['tally_s'] * 1000:,.0f} ms",
        ),
        ("raw grouped count of ballots", f"{r['raw_groupby_s'] * 1000:,.0f} ms"),
        (
            "raw grouped count of impressions",
            f"{r['raw_impressions_s'] * 1000:,.0f} ms",
        ),
        ("  raw scans the tally needs, together", f"{r['raw_scans_s'] * 1000:,.0f} ms"),
        ("page  p50 / p95   queries 300|30 ideas  max repeat", ""),
    ]
    for name, page in r["pages"].items():
        rows.append(
            (
                f"  {name}",
                f"{page['p50_ms']:6.1f} / {page['p95_ms']:6.1f} ms   "
                f"{page['queries']:3d} | {page['queries_small']:<3d}   "
                f"x{page['repeated']}"
                + (
                    f"  (only {page['requests']} requests in time)"
                    if page.get("requests", 0)
                    < r.get("setup", {}).get("page_requests", 0)
                    else ""
                ),
            )
        )
    width = max(len(label) for label, _ in rows) + 2
    lines = [f"{label:<{width}}{value}" for label, value in rows if label]
    lines.append("")
    for name, target in r["targets"].items():
        if name.startswith("page_"):
            continue
        mark = "MET   " if target["met"] else "MISSED"
        lines.append(f"{mark} {target['target']:<60} {target['measured']}")
    return "\n".join(lines)


def diagnosis_text(results: dict) -> str:
    """Where the ballot API's time goes beyond the bare upsert, in words."""
    d = results["diagnosis"]
    api, bare = d["api"], d["bare"]
    lines = [
        "ballot API vs bare upsert, in-process, one thread "
        f"({d['requests']} requests each):",
        f"  API  (status {api['status']}) {api['ms_per_request']:.1f} ms/request, "
        f"{api['queries_per_request']:.1f} queries, "
        f"{api['sql_ms_per_request']:.1f} ms in SQL",
        f"  bare (status {bare['status']}) {bare['ms_per_request']:.1f} ms/request, "
        f"{bare['queries_per_request']:.1f} queries, "
        f"{bare['sql_ms_per_request']:.1f} ms in SQL",
        f"  profile of the API (ms/request, profiler overhead included, total "
        f"{d['profile']['ms_per_request']:.1f}):",
    ]
    lines += [
        f"    {label:<44} {ms:6.2f}"
        for label, ms in d["profile"].items()
        if label != "ms_per_request"
    ]
    lines.append("  the project's costliest functions in it (cumulative):")
    lines += [f"  {row}" for row in d["top_project"][:6]]
    lines.append("  the API's queries for one ballot:")
    lines += [f"    {q['ms']:5.1f} ms  {q['sql'][:100]}" for q in api["queries"]]
    tally = results["tally"]["breakdown"]
    lines.append(f"tally_round by query (one run, {tally['total_ms']:.0f} ms):")
    lines += [f"    {q['ms']:6.0f} ms  {q['sql'][:100]}" for q in tally["queries"]]
    for name, page in results["pages"].items():
        if page["repeated"] >= PER_ITEM_REPEATS:
            lines.append(
                f"page {name}: one query x{page['repeated']}: "
                f"{page['repeated_sql'][:160]}"
            )
    for name, page in d.get("pages", {}).items():
        lines.append(
            f"page {name}, in-process: {page['ms_per_request']:.1f} ms/request, "
            f"{page['queries_per_request']:.0f} queries, "
            f"{page['sql_ms_per_request']:.1f} ms in SQL; profiled (ms/request):"
        )
        lines += [f"    {k:<28} {v:7.1f}" for k, v in page["phases_ms"].items()]
        lines.append("  costliest project functions (cumulative):")
        lines += [f"  {row}" for row in page["top_project"][:6]]
        lines.append("  costliest functions (own time):")
        lines += [f"  {row}" for row in page["top_own"][:6]]
    return "\n".join(lines)


def _load_summary(result) -> dict:
    return {
        "ok": result.ok,
        "errors": result.errors,
        "statuses": {str(k): v for k, v in result.statuses.items()},
        "elapsed_s": result.elapsed_s,
        "per_s": result.per_s,
        "p50_ms": result.percentile(50),
        "p95_ms": result.percentile(95),
        "p99_ms": result.percentile(99),
        "first_error": result.first_error,
    }


def scene_ready(url: str, *, reseed: bool, scale):
    """Migrate the bench database and seed it unless it already holds ``scale``."""
    from django.core.management import call_command
    from django.db import connection

    from bench import seed as bench_seed

    created = database_ensure(url, drop=reseed)
    print("migrating")
    call_command("migrate", verbosity=0, interactive=False)
    scene = bench_seed.scene_find()
    if bench_seed.scene_is_complete(scene, scale):
        print(
            f"seed: reusing {scene.ballots[scene.main_window_id]:,} ballots "
            "(--reseed to start again)"
        )
        return scene
    if not created:  # a partial or smaller seed: start from an empty database
        connection.close()
        database_ensure(url, drop=True)
        call_command("migrate", verbosity=0, interactive=False)
    print("seeding")
    began = time.perf_counter()
    scene = bench_seed.seed(scale)
    print(f"seeded in {time.perf_counter() - began:.0f}s")
    return scene


def sustained_summary(figures: dict) -> str:
    """The sustained run in a few lines, for the terminal."""
    f = figures
    return "\n".join(
        [
            f"sustained: {f['voters']} voters for {f['duration_s']:.0f}s: "
            f"{f['requests']:,} requests, {f['per_s']:,.0f}/s, "
            f"{f['errors']} errors",
            f"  p50 / p95 / p99 / max  {f['p50_ms']:.0f} / {f['p95_ms']:.0f} / "
            f"{f['p99_ms']:.0f} / {f['max_ms']:.0f} ms",
            f"  acknowledged ballots {f['acknowledged']:,}, rows stored "
            f"{f['stored']:,}, mismatched {f['mismatched']}, doubled "
            f"{f['doubled']}, unknown {f['unknown']}",
            f"  acknowledged requests {f['acknowledged_requests']}",
        ]
    )


def results_merge(path: Path, update: dict) -> dict:
    """``update`` laid over the results already in ``path`` (if any)."""
    try:
        results = json.loads(path.read_text())
    except (OSError, ValueError):
        results = {}
    targets = results.get("targets", {}) | update.pop("targets", {})
    return results | update | {"targets": targets}


def sustained(*, server, scene, args) -> dict:
    """The sustained run against ``server``, with its target."""
    from bench import seed as bench_seed
    from bench.sustained import run_sustained, sustained_ok

    voters = scene.load_user_ids[: args.sustained_voters]
    tokens_by_user = bench_seed.tokens_issue(voters)
    print(
        f"sustained: {len(voters)} voters for {args.sustained_seconds:.0f}s "
        "(cast, change, withdraw)"
    )
    figures = run_sustained(
        host="127.0.0.1",
        port=server.port,
        tokens=[tokens_by_user[v] for v in voters],
        voter_ids=voters,
        idea_ids=scene.main_idea_ids,
        window_id=scene.main_window_id,
        duration_s=args.sustained_seconds,
    )
    figures["server"] = server.description
    figures["loadavg_before"] = os.getloadavg()[0]
    target = {
        "met": sustained_ok(figures),
        "measured": f"{figures['errors']} errors, p99 {figures['p99_ms']:.0f} ms, "
        f"{figures['acknowledged']} acknowledged vs {figures['stored']} stored, "
        f"{figures['doubled']} doubled",
        "target": TARGETS["sustained"],
    }
    return {"sustained": figures, "targets": {"sustained": target}}


def sustained_only(args, url: str) -> int:
    """``--sustained-only``: seed (small) if needed, run the voters, merge."""
    from bench import seed as bench_seed

    scale = bench_seed.SUSTAINED_SCALE
    scene = scene_ready(url, reseed=args.reseed, scale=scale)
    if args.sustained_voters > len(scene.load_user_ids):
        raise SystemExit(f"at most {len(scene.load_user_ids)} sustained voters")
    from django.db import connection

    connection.close()
    with Server(database_url=url) as server:
        update = sustained(server=server, scene=scene, args=args)
    results = results_merge(args.output, update)
    args.output.write_text(json.dumps(results, indent=2, default=str))
    print()
    print(sustained_summary(results["sustained"]))
    mark = "MET   " if results["targets"]["sustained"]["met"] else "MISSED"
    print(f"{mark} {TARGETS['sustained']}")
    if results["sustained"]["first_error"]:
        print(f"! first error: {results['sustained']['first_error']}")
    print(f"\nwritten: {args.output}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reseed", action="store_true", help="drop and seed again")
    parser.add_argument(
        "--duration", type=float, default=18.0, help="s per load, in 3 turns"
    )
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--page-requests", type=int, default=200)
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument(
        "--sustained-seconds",
        type=float,
        default=120.0,
        help="length of the sustained run (0 skips it)",
    )
    parser.add_argument(
        "--sustained-voters", type=int, default=200, help="concurrent voters"
    )
    parser.add_argument(
        "--sustained-only",
        action="store_true",
        help="only the sustained run (a small seed unless the full one is there)",
    )
    parser.add_argument(
        "--small",
        action="store_true",
        help="a quick trial with a tenth of the ballots (not the benchmark)",
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help="the whole Alibaba season: 4,800,000 ballots, in the bench "
        "database's name + _full, figures in bench/results-full.json",
    )
    parser.add_argument(
        "--directory-only",
        action="store_true",
        help="only the directory import of 20,000 employees (bench.directory)",
    )
    parser.add_argument(
        "--no-directory", action="store_true", help="skip the directory import"
    )
    args = parser.parse_args(argv)
    if args.directory_only:
        return directory_import(args)
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    if args.full:
        url = full_database_url(url)
        if args.output == RESULTS:
            args.output = RESULTS_FULL
    django_setup(url)  # configures only: the database may not exist yet
    if args.sustained_only:
        return sustained_only(args, url)

    from django.db import connection

    from bench import measure
    from bench import seed as bench_seed
    from bench.load import LoadResult, run_load
    from contests.models import StageWindow
    from voting.screening.services.tallies import tally_round

    scale = bench_seed.Scale()
    if args.full:
        scale = bench_seed.FULL_SCALE
    elif args.small:
        scale = bench_seed.Scale(employees=2_000, ballots=100_000, small_ballots=10_000)
    if args.clients >= scale.load_users:
        raise SystemExit(f"at most {scale.load_users - 1} clients (one voter each)")
    if args.sustained_voters >= scale.load_users:
        raise SystemExit(f"at most {scale.load_users - 1} sustained voters")
    scene = scene_ready(url, reseed=args.reseed, scale=scale)

    voters = scene.load_user_ids[: args.clients]
    page_users = {"voter": scene.load_user_ids[-1], "hr": scene.page_user_id}
    tokens_by_user = bench_seed.tokens_issue([*voters, *page_users.values()])
    tokens = [tokens_by_user[v] for v in voters]
    page_tokens = {who: tokens_by_user[pk] for who, pk in page_users.items()}
    ideas, window_id = scene.main_idea_ids, scene.main_window_id
    loadavg = {}

    loadavg["tally"] = os.getloadavg()[0]
    print("tally_round vs the raw grouped count (3 runs each)")
    tally_round(window=StageWindow.objects.get(pk=scene.small_window_id))
    tally = measure.tally_compare(window_id=window_id)

    print("page query counts in-process, 300 and 30 ideas")
    queries = {
        size: measure.page_query_counts(
            users=page_users, tokens=page_tokens, racecourse_id=racecourse_id
        )
        for size, racecourse_id in (("big", scene.main_id), ("small", scene.small_id))
    }
    cookies = {who: measure.session_cookie(pk) for who, pk in page_users.items()}
    connection.close()

    with Server(database_url=url) as server:

        def load(maker, **kwargs):
            kwargs.setdefault("clients", args.clients)
            kwargs.setdefault("duration_s", args.duration)
            return run_load(
                host="127.0.0.1", port=server.port, make_request=maker, **kwargs
            )

        print("warming up")
        warm = dict(duration_s=2, max_requests_per_client=20)
        load(measure.ballot_requests(tokens=tokens, idea_ids=ideas, seed=99), **warm)
        load(
            measure.bare_requests(
                voter_ids=voters, idea_ids=ideas, window_id=window_id, seed=99
            ),
            **warm,
        )
        loads = (
            ("ballot", measure.ballot_requests(tokens=tokens, idea_ids=ideas), {}),
            (
                "bare",
                measure.bare_requests(
                    voter_ids=voters, idea_ids=ideas, window_id=window_id
                ),
                {},
            ),
            (
                "authenticated",
                measure.authenticated_requests(
                    tokens=tokens, idea_ids=ideas, window_id=window_id
                ),
                {},
            ),
            (
                "batch",
                measure.batch_requests(tokens=tokens, idea_ids=ideas),
                {"count_items": measure.batch_items},
            ),
        )
        # Side by side: each load runs in ROUNDS slices, taking turns in a
        # rotating order, so a slow spell of the machine (autovacuum after the
        # writes, another process) falls on all of them alike, not on
        # whichever ran then; each figure is its slices together.
        parts: dict[str, list] = {name: [] for name, _maker, _extra in loads}
        slice_s = args.duration / ROUNDS
        print(
            f"ballot, bare, authenticated, batch: {args.clients} clients, "
            f"{ROUNDS} turns of {slice_s:.0f}s each"
        )
        for turn in range(ROUNDS):
            for name, maker, extra in loads[turn:] + loads[:turn]:
                loadavg.setdefault(name, os.getloadavg()[0])
                parts[name].append(load(maker, duration_s=slice_s, **extra))
        runs = {name: LoadResult.merged(found) for name, found in parts.items()}

        pages = {}
        for name, (path, who) in measure.PAGES.items():
            path = path.format(id=scene.main_id)
            print(f"page {name}: {args.page_requests} requests")
            if "/api/" in path:
                headers = {"Authorization": f"Token {page_tokens[who]}"}
            else:
                headers = {"Cookie": cookies[who]}
            requests = measure.get_requests(path, headers)
            load(requests, clients=1, duration_s=10, max_requests_per_client=5)
            result = load(
                requests,
                clients=1,
                duration_s=240,
                max_requests_per_client=args.page_requests,
            )
            big, small = queries["big"][name], queries["small"][name]
            pages[name] = {
                "path": path,
                "status": big["status"],
                "requests": result.ok,
                "errors": result.errors,
                "p50_ms": result.percentile(50),
                "p95_ms": result.percentile(95),
                "queries": big["queries"],
                "queries_small": small["queries"],
                "repeated": big["repeated"],
                "repeated_sql": big["repeated_sql"],
                "first_error": result.first_error,
            }

        extra = {}
        if args.sustained_seconds > 0:
            extra = sustained(server=server, scene=scene, args=args)

    print("the ballot API vs the bare upsert, in-process")
    # A token of its own: the sustained run reissues the load voters' tokens
    # (deleting the ones the load used), which left this probe with a 401.
    token = bench_seed.tokens_issue([voters[0]])[voters[0]]
    diagnosis = measure.ballot_diagnosis(
        token=token, voter_id=voters[0], idea_ids=ideas, window_id=window_id
    )
    slow = [name for name, page in pages.items() if not page_ok(page)]
    if slow:
        print(f"where the time of {', '.join(slow)} goes, in-process")
        diagnosis["pages"] = measure.page_diagnosis(
            users=page_users,
            tokens=page_tokens,
            racecourse_id=scene.main_id,
            names=slow,
        )
    ballot, bare, batch = runs["ballot"], runs["bare"], runs["batch"]
    results = {
        "ballot_per_s": ballot.per_s,
        "bare_per_s": bare.per_s,
        "ballot_p50_ms": ballot.percentile(50),
        "ballot_p99_ms": ballot.percentile(99),
        "bare_p50_ms": bare.percentile(50),
        "bare_p99_ms": bare.percentile(99),
        # Not a target: the bare upsert behind token authentication.
        "authenticated_per_s": runs["authenticated"].per_s,
        "authenticated_p99_ms": runs["authenticated"].percentile(99),
        "batch_judgments_per_s": batch.items_per_s,
        "batch_p50_ms": batch.percentile(50),
        "batch_p99_ms": batch.percentile(99),
        "tally_s": tally["tally_s"],
        "raw_groupby_s": tally["raw_groupby_s"],
        "raw_impressions_s": tally["raw_impressions_s"],
        "raw_scans_s": tally["raw_scans_s"],
        "pages": pages,
        "tally": tally,
        "load": {name: _load_summary(run) for name, run in runs.items()},
        "page_sql": {
            size: {name: page["sql"] for name, page in found.items()}
            for size, found in queries.items()
        },
        "diagnosis": diagnosis,
        "setup": {
            "clients": args.clients,
            "duration_s": args.duration,
            "page_requests": args.page_requests,
            "server": "gunicorn, 2 sync workers",
            "cpus": os.cpu_count(),
            "scale": vars(scale),
            "database": connection.settings_dict["NAME"],
            "ballots_in_window": tally["ballots"],
            # The 1-minute load average before each measurement: anything else
            # running on the machine competes with the server and the load.
            "loadavg_before": loadavg,
        },
    }
    results["load"]["batch"] |= {
        "judgments_ok": batch.items_ok,
        "judgments_failed": batch.items_failed,
    }
    results["targets"] = targets_check(results)
    if extra:
        results["sustained"] = extra["sustained"]
        results["targets"] |= extra["targets"]
    results = results_merge(args.output, results)
    args.output.write_text(json.dumps(results, indent=2, default=str))

    print()
    print(table(results))
    print()
    print(diagnosis_text(results))
    if "sustained" in extra:
        print()
        print(sustained_summary(results["sustained"]))
    for name, summary in results["load"].items():
        if summary["errors"]:
            print(f"! {name}: {summary['errors']} errors: {summary['first_error']}")
    for name, page in pages.items():
        if page["errors"] or page["status"] != 200:
            print(f"! page {name}: status {page['status']}: {page['first_error']}")
    print(f"\nwritten: {args.output}")
    if not args.no_directory:
        print()
        directory_import(args)
    return 0


def directory_import(args) -> int:
    """The directory import (``bench.directory``), in its own process: it
    runs on its own database, and merges its figures into ``args.output``."""
    command = [sys.executable, "-m", "bench.directory", "--output", str(args.output)]
    return subprocess.run(command, cwd=ROOT, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
