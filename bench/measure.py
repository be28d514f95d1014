"""What `make bench` measures: requests to send, and the in-process probes.

The HTTP load itself is ``bench.load``; this module builds its requests and
does the measurements that run inside this process against the bench
database: the tally comparison, page query counts and the ballot API's
breakdown. Each needs Django set up (``bench.run.django_setup``).
"""

import cProfile
import json
import random
import re
import statistics
import time
from collections import Counter

BATCH_SIZE = 100
CHOICES = ("support", "oppose")


def _json(data) -> bytes:
    return json.dumps(data).encode()


# --- the tally ----------------------------------------------------------------------


def raw_groupby_sql(table: str) -> str:
    """The tally's grouped ballot count, bare: the same conditional counts.

    ``voting.screening.services.tally_round`` counts supports, opposes and voters per
    idea with ``COUNT(choice) FILTER (WHERE choice = …)`` (Django's conditional
    aggregation); this is that query with nothing around it.
    """
    return (
        f"SELECT idea_id, "  # noqa: S608 - a model's own table name
        f"COUNT(choice) FILTER (WHERE choice = %s), "
        f"COUNT(choice) FILTER (WHERE choice = %s), "
        f"COUNT(*) "
        f"FROM {table} WHERE window_id = %s GROUP BY idea_id"
    )


def raw_impressions_sql(table: str) -> str:
    """The tally's second grouped count, bare: impressions per idea."""
    return (
        f"SELECT idea_id, COUNT(*) FROM {table} "  # noqa: S608
        f"WHERE window_id = %s GROUP BY idea_id"
    )


def tally_compare(*, window_id: int, repeats: int = 3) -> dict:
    """Time ``tally_round`` and the raw grouped counts on one window.

    The tally needs two scans of the round: its ballots (grouped, with the
    conditional counts) and its impressions (grouped); ``raw_scans_s`` is the
    two bare queries together, the floor the tally is held to. Interleaved (raw, raw impressions, tally, …) after one untimed pass that
    warms the cache for all; each reported as the median of ``repeats``. One
    more tally run, not in the medians, records each of its queries' time.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from contests.models import StageWindow
    from voting.models import Ballot, Choice, Impression
    from voting.screening.services.tallies import tally_round

    window = StageWindow.objects.get(pk=window_id)
    ballots_sql = raw_groupby_sql(Ballot._meta.db_table)
    ballots_params = [Choice.SUPPORT.value, Choice.OPPOSE.value, window_id]
    impressions_sql = raw_impressions_sql(Impression._meta.db_table)

    def query(sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def timed(call):
        began = time.perf_counter()
        value = call()
        return time.perf_counter() - began, value

    query(ballots_sql, ballots_params)
    query(impressions_sql, [window_id])
    runs = {"raw": [], "raw_impressions": [], "tally": []}
    rows = []
    for _ in range(repeats):
        took, rows = timed(lambda: query(ballots_sql, ballots_params))
        runs["raw"].append(took)
        took, _rows = timed(lambda: query(impressions_sql, [window_id]))
        runs["raw_impressions"].append(took)
        took, _count = timed(lambda: tally_round(window=window))
        runs["tally"].append(took)

    with CaptureQueriesContext(connection) as queries:
        total, _count = timed(lambda: tally_round(window=window))
    breakdown = [
        {"ms": float(q["time"]) * 1000, "sql": q["sql"][:160]}
        for q in queries.captured_queries
    ]
    return {
        "tally_s": statistics.median(runs["tally"]),
        "raw_groupby_s": statistics.median(runs["raw"]),
        "raw_impressions_s": statistics.median(runs["raw_impressions"]),
        # What the tally cannot do without: both grouped scans, run by run.
        "raw_scans_s": statistics.median(
            a + b for a, b in zip(runs["raw"], runs["raw_impressions"], strict=True)
        ),
        "runs_s": runs,
        "ideas": len(rows),
        "ballots": sum(r[3] for r in rows),
        "breakdown": {
            "total_ms": total * 1000,
            "sql_ms": sum(q["ms"] for q in breakdown),
            "queries": breakdown,
        },
    }


# --- requests for the load --------------------------------------------------------------


def _walk(client: int, n: int, count: int) -> int:
    """The n-th idea client ``client`` judges: every client its own start."""
    return (client * 37 + n) % count


def _signed_walk(*, tokens, idea_ids, path, extra=None, seed=1):
    """Each client its own voter's token; it walks the ideas, casting and
    changing, posting to ``path`` with ``extra`` in each body."""
    rngs = [random.Random(seed + i) for i in range(len(tokens))]

    def make(client, n):
        body = {
            "idea": idea_ids[_walk(client, n, len(idea_ids))],
            **(extra or {}),
            "choice": rngs[client].choice(CHOICES),
            "reason": "",
        }
        headers = {
            "Authorization": f"Token {tokens[client]}",
            "Content-Type": "application/json",
        }
        return "POST", path, _json(body), headers

    return make


def ballot_requests(*, tokens, idea_ids, seed=1):
    """Each client its own voter; it walks the ideas, casting and changing."""
    return _signed_walk(
        tokens=tokens, idea_ids=idea_ids, path="/api/v1/ballots/", seed=seed
    )


def bare_requests(*, voter_ids, idea_ids, window_id, seed=1):
    """The same walk, posted to the unchecked upsert with the voter's id."""
    rngs = [random.Random(seed + i) for i in range(len(voter_ids))]

    def make(client, n):
        body = {
            "voter": voter_ids[client],
            "idea": idea_ids[_walk(client, n, len(idea_ids))],
            "window": window_id,
            "choice": rngs[client].choice(CHOICES),
            "reason": "",
        }
        headers = {"Content-Type": "application/json"}
        return "POST", "/bench/ballot/", _json(body), headers

    return make


def authenticated_requests(*, tokens, idea_ids, window_id, seed=1):
    """The bare upsert's walk behind token authentication (the voter is the
    token's): what authenticating alone costs."""
    return _signed_walk(
        tokens=tokens,
        idea_ids=idea_ids,
        path="/bench/ballot-authenticated/",
        extra={"window": window_id},
        seed=seed,
    )


def batch_requests(*, tokens, idea_ids, seed=1):
    """Each request carries ``BATCH_SIZE`` judgments of the client's next ideas."""
    rngs = [random.Random(seed + i) for i in range(len(tokens))]

    def make(client, n):
        judgments = [
            {
                "idea": idea_ids[_walk(client, n * BATCH_SIZE + j, len(idea_ids))],
                "choice": rngs[client].choice(CHOICES),
                "reason": "",
            }
            for j in range(BATCH_SIZE)
        ]
        headers = {
            "Authorization": f"Token {tokens[client]}",
            "Content-Type": "application/json",
        }
        body = _json({"judgments": judgments})
        return "POST", "/api/v1/ballots/batch/", body, headers

    return make


def batch_items(payload: bytes) -> tuple[int, int]:
    """Succeeded and failed judgments in a batch response.

    The response is ``{"results": [...]}``, one result per judgment with
    ``ok`` saying whether it was written.
    """
    results = json.loads(payload)["results"]
    good = sum(1 for item in results if item.get("ok"))
    return good, len(results) - good


def get_requests(path: str, headers: dict):
    def make(client, n):
        return "GET", path, None, headers

    return make


# --- pages -------------------------------------------------------------------------------

#: name → (path on a racecourse, who asks). The judging pages and the
#: racecourse page as an ordinary voter sees them (counts hidden while the
#: round is open); the leaderboard as HR, who sees live counts.
PAGES = {
    "judging": ("/screening/{id}/judge/", "voter"),
    "judging_list": ("/screening/{id}/judge/?mode=list", "voter"),
    "racecourse": ("/racecourses/{id}/", "voter"),
    "leaderboard": ("/api/v1/racecourses/{id}/leaderboard/", "hr"),
}

_LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+\b")


def query_shape(sql: str) -> str:
    """The SQL with its literal values blanked, to spot one query run per row."""
    return _LITERALS.sub("?", sql)


def page_query_counts(*, users: dict, tokens: dict, racecourse_id: int) -> dict:
    """Queries of each page, counted in-process on its second request.

    The first request warms per-process caches (content types, site), which a
    long-running worker has warm too. API pages send the token, others the
    session cookie, as over HTTP. ``repeated`` is how often the most frequent
    query shape ran: above 1, the page runs one query per item it shows (an
    N+1), which a paginated page hides from the 30-vs-300 comparison.
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from horserace.accounts.models import User

    clients = {}
    for who, user_id in users.items():
        clients[who] = Client(HTTP_HOST="127.0.0.1")
        clients[who].force_login(User.objects.get(pk=user_id))
    counts = {}
    for name, (path, who) in PAGES.items():
        path = path.format(id=racecourse_id)
        headers = {}
        if "/api/" in path:
            headers = {"HTTP_AUTHORIZATION": f"Token {tokens[who]}"}
        clients[who].get(path, **headers)
        with CaptureQueriesContext(connection) as queries:
            response = clients[who].get(path, **headers)
        shapes = Counter(query_shape(q["sql"]) for q in queries.captured_queries)
        shape, repeated = shapes.most_common(1)[0] if shapes else ("", 0)
        counts[name] = {
            "status": response.status_code,
            "queries": len(queries),
            "repeated": repeated,
            "repeated_sql": shape[:300] if repeated > 1 else "",
            "sql": [q["sql"][:300] for q in queries.captured_queries],
        }
    return counts


def session_cookie(user_id: int) -> str:
    """A logged-in session for ``user_id``, as the browser would hold it."""
    from django.conf import settings
    from django.test import Client

    from horserace.accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(pk=user_id))
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


# --- where the ballot API's time goes ------------------------------------------------------

#: Parts of one ``POST /api/v1/ballots/``, found in the profile by file and function.
PHASES = {
    "authentication (knox)": ("knox/auth.py", "authenticate"),
    "  token query": (
        "horserace/accounts/authentication.py",
        "authenticate_credentials",
    ),
    "throttling": ("rest_framework/views.py", "check_throttles"),
    "input serializer": ("rest_framework/serializers.py", "is_valid"),
    "idea lookup + visibility (judging_or_404)": (
        "voting/screening/apis/ballots.py",
        "judging_or_404",
    ),
    "ballot_cast (checks + upsert)": (
        "voting/screening/services/ballots.py",
        "ballot_cast",
    ),
    "  judge_refusal_detail": (
        "voting/screening/selectors/rounds.py",
        "judge_refusal_detail",
    ),
    "  screening_window": ("voting/screening/selectors/rounds.py", "screening_window"),
    "output (ballot_data)": ("voting/screening/apis/ballots.py", "ballot_data"),
    "SQL execution (psycopg2)": (
        "~",
        "<method 'execute' of 'psycopg2.extensions.cursor' objects>",
    ),
}


def ballot_diagnosis(
    *, token: str, voter_id: int, idea_ids: list[int], window_id: int, n: int = 300
) -> dict:
    """The ballot API vs the bare upsert, in-process: queries, time, profile.

    Single-threaded through ``django.test.Client`` (all middleware, no
    network): per request, the time, the number of queries and their time;
    then a cProfile of ``n`` API requests split into ``PHASES`` (times there
    include the profiler's overhead; compare them with each other).
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}

    def api(i):
        body = {
            "idea": idea_ids[i % len(idea_ids)],
            "choice": CHOICES[i % 2],
            "reason": "",
        }
        return client.post(
            "/api/v1/ballots/", _json(body), content_type="application/json", **auth
        )

    def bare(i):
        body = {
            "voter": voter_id,
            "idea": idea_ids[i % len(idea_ids)],
            "window": window_id,
            "choice": CHOICES[i % 2],
            "reason": "",
        }
        return client.post(
            "/bench/ballot/", _json(body), content_type="application/json"
        )

    out = {"requests": n}
    for name, call in (("api", api), ("bare", bare)):
        call(0)
        with CaptureQueriesContext(connection) as one:
            response = call(1)
        out[name] = {
            "status": response.status_code,
            "queries": [
                {"ms": float(q["time"]) * 1000, "sql": q["sql"][:200]}
                for q in one.captured_queries
            ],
        }
        with CaptureQueriesContext(connection) as many:
            began = time.perf_counter()
            for i in range(n):
                call(i)
            took = time.perf_counter() - began
        out[name] |= {
            "ms_per_request": took * 1000 / n,
            "queries_per_request": len(many) / n,
            "sql_ms_per_request": sum(float(q["time"]) for q in many.captured_queries)
            * 1000
            / n,
        }

    profiler = cProfile.Profile()
    began = time.perf_counter()
    profiler.runcall(lambda: [api(i) for i in range(n)])
    profiled_ms = (time.perf_counter() - began) * 1000 / n
    out["profile"] = {"ms_per_request": profiled_ms} | _phases(profiler, n)
    out["top_project"] = _top(profiler, n, own=False)
    out["top_own"] = _top(profiler, n, own=True)
    return out


def _phases(profiler: cProfile.Profile, n: int, phases=PHASES) -> dict:
    """Cumulative ms per request of each of ``phases`` in a profile."""
    import pstats

    stats = pstats.Stats(profiler).stats
    found = {}
    for label, (path, function) in phases.items():
        times = [
            cumulative
            for (filename, _line, name), (*_counts, cumulative, _callers) in (
                stats.items()
            )
            if name == function
            and (filename == path if path == "~" else filename.endswith(path))
        ]
        if times:
            found[label] = max(times) * 1000 / n
    return found


def _top(profiler: cProfile.Profile, n: int, *, own: bool, limit: int = 8) -> list:
    """The functions that cost most per request: by own time, or the project's
    own functions by cumulative time."""
    import pstats

    from django.conf import settings

    root = str(settings.BASE_DIR) + "/"
    rows = []
    for (filename, line, name), (_cc, _nc, tottime, cumulative, _c) in pstats.Stats(
        profiler
    ).stats.items():
        ours = filename.startswith(root) and not filename.startswith(
            (root + ".venv", root + "bench")
        )
        if not own and not ours:
            continue
        where = filename.split("site-packages/")[-1].removeprefix(root)
        rows.append((tottime if own else cumulative, f"{where}:{line}({name})"))
    rows.sort(reverse=True)
    return [f"{seconds * 1000 / n:8.1f} ms  {where}" for seconds, where in rows[:limit]]


# --- where a page's time goes ------------------------------------------------------------

_EXECUTE = "<method 'execute' of 'psycopg2.extensions.cursor' objects>"
PAGE_PHASES = {
    "SQL execution (psycopg2)": ("~", _EXECUTE),
    "template rendering": ("django/template/backends/django.py", "render"),
    "permission rules (rules)": ("rules/rulesets.py", "test_rule"),
    "DRF serializer (.data)": ("rest_framework/serializers.py", "data"),
}


def page_diagnosis(
    *, users: dict, tokens: dict, racecourse_id: int, names, n: int = 10
) -> dict:
    """In-process time of each page in ``names``, its SQL share and profile.

    Per page: ms per request and in SQL (over ``n`` requests), then a cProfile
    of ``n`` more split into ``PAGE_PHASES``, with the project's functions
    that cost the most (cumulative) and all functions by own time, in ms per
    request, profiler overhead included.
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from horserace.accounts.models import User

    out = {}
    for name in names:
        path, who = PAGES[name]
        path = path.format(id=racecourse_id)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(pk=users[who]))
        headers = {}
        if "/api/" in path:
            headers = {"HTTP_AUTHORIZATION": f"Token {tokens[who]}"}

        def get(client=client, path=path, headers=headers):
            return client.get(path, **headers)

        get()
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            for _ in range(n):
                get()
            took = time.perf_counter() - began
        # Read now: the log is reset by the next request once the context ends.
        sql_s = sum(float(q["time"]) for q in queries.captured_queries)
        count = len(queries)
        profiler = cProfile.Profile()
        profiler.runcall(lambda get=get: [get() for _ in range(n)])
        out[name] = {
            "ms_per_request": took * 1000 / n,
            "sql_ms_per_request": sql_s * 1000 / n,
            "queries_per_request": count / n,
            "phases_ms": _phases(profiler, n, PAGE_PHASES),
            "top_project": _top(profiler, n, own=False),
            "top_own": _top(profiler, n, own=True),
        }
    return out
