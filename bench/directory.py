"""`make bench`, the directory: 20,000 employees imported from HR's file.

    python -m bench.directory [--rows 20000] [--output bench/results.json]

Runs on its own PostgreSQL database, the bench database's name with
``_directory`` appended (dropped and created afresh each run, so the first
import always starts from an empty directory), and measures through the
same service the upload page and ``import_employees`` use
(``directory_import_run``):

- the first import: every person, 200 departments in a three-level tree,
  managers (a fifth of them listed after their reports), 1% leavers;
- the same file again: every row unchanged;
- a changed file with ``full``: 5% of people renamed or moved, 100 missing
  from the file (they leave, their reports are handed over).

The target (issue 10): 20,000 rows in under 30 s. Figures are merged into
``bench/results.json`` under ``directory_import`` and ``targets``.
"""

import argparse
import csv
import io
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUFFIX = "_directory"
TARGET_S = 30.0
TARGET = "20,000-row import < 30 s (first run, and the re-run all unchanged)"

COLUMNS = (
    "employee_number",
    "email",
    "display_name",
    "department_code",
    "department_name",
    "parent_department_code",
    "manager_employee_number",
    "status",
    "locale",
    "time_zone",
)


def _departments(count: int) -> list[tuple[str, str, str]]:
    """(code, name, parent code): a root, ten divisions, the rest below them."""
    out = [("group", "Group", "")]
    divisions = max(1, min(10, count // 20))
    for d in range(divisions):
        out.append((f"div-{d}", f"Division {d}", "group"))
    for n in range(count - len(out)):
        out.append((f"team-{n}", f"Team {n}", f"div-{n % divisions}"))
    return out


def employee_file(
    rows: int,
    *,
    departments: int = 200,
    seed: int = 1,
    changed: float = 0.0,
    missing: int = 0,
) -> bytes:
    """An employee file of ``rows`` people (fewer ``missing``), with
    ``changed`` of them renamed and moved; the same ``seed`` gives the same
    people, so a second file is the first one a month later."""
    rng = random.Random(seed)
    tree = _departments(departments)
    teams = tree[1:] or tree
    leaving = {n for n in range(1, rows) if rng.random() < 0.01}
    people = []
    for n in range(rows):
        code, name, parent = teams[rng.randrange(len(teams))]
        # A manager: someone still here, before or (a fifth of the time) after
        # this row.
        manager = ""
        while n and (not manager or int(manager[1:]) in leaving):
            if rng.random() < 0.2 and n + 1 < rows:
                manager = f"B{rng.randrange(n + 1, rows):06d}"
            else:
                manager = f"B{rng.randrange(0, n):06d}"
        status = "left" if n in leaving else "active"
        people.append(
            [
                f"B{n:06d}",
                f"bench.person.{n}@directory.example",
                f"Bench Person {n}",
                code,
                name,
                parent,
                manager,
                status,
                "zh-hans" if n % 3 == 0 else "en",
                "Asia/Shanghai" if n % 2 == 0 else "",
            ]
        )
    change = random.Random(seed + 1)
    for person in people:
        if change.random() < changed:
            person[2] += " (renamed)"
            code, name, parent = teams[change.randrange(len(teams))]
            person[3:6] = [code, name, parent]
    if missing:
        gone = set(random.Random(seed + 2).sample(range(1, rows), missing))
        people = [p for n, p in enumerate(people) if n not in gone]
        # Nobody is listed under a manager who is no longer in the file.
        listed = {p[0] for p in people}
        for p in people:
            if p[6] and p[6] not in listed:
                p[6] = ""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(people)
    return buffer.getvalue().encode()


def _timed_import(name: str, data: bytes, *, full: bool = False) -> dict:
    from horserace.accounts.directory.services import (
        directory_import_create,
        directory_import_run,
    )

    record = directory_import_create(name=name, data=data, actor=None, full=full)
    started = time.perf_counter()
    record = directory_import_run(directory_import=record)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "rows_per_s": record.total / seconds if seconds else 0.0,
        "status": record.status,
        "total": record.total,
        "created": record.created,
        "updated": record.updated,
        "unchanged": record.unchanged,
        "deactivated": record.deactivated,
        "errors": record.error_count,
        "handovers": len(record.handovers),
    }


def measure_import(rows: int = 20_000, *, departments: int = 200) -> dict:
    """The three imports on the configured (empty) database."""
    first_file = employee_file(rows, departments=departments)
    first = _timed_import("first.csv", first_file)
    again = _timed_import("again.csv", first_file)
    later = employee_file(
        rows, departments=departments, changed=0.05, missing=min(100, rows // 10)
    )
    changed = _timed_import("changed.csv", later, full=True)
    return {"rows": rows, "first": first, "again": again, "changed_full": changed}


def target_check(figures: dict) -> dict:
    first, again = figures["first"], figures["again"]
    met = (
        first["seconds"] < TARGET_S
        and again["seconds"] < TARGET_S
        and again["unchanged"] == again["total"]
        and first["errors"] == 0
    )
    return {
        "met": met,
        "measured": f"{figures['rows']} rows: first {first['seconds']:.1f} s, "
        f"re-run {again['seconds']:.1f} s ({again['unchanged']} unchanged), "
        f"changed --full {figures['changed_full']['seconds']:.1f} s",
        "target": TARGET,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results.json")
    args = parser.parse_args(argv)
    from bench.run import DEFAULT_DATABASE_URL, database_ensure, django_setup

    base = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(base)
    url = urlunsplit(parts._replace(path=parts.path.rstrip("/") + SUFFIX))
    database_ensure(url, drop=True)
    django_setup(url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(f"directory import: {args.rows} rows (first, again, changed --full)")
    figures = measure_import(args.rows)
    figures["loadavg_before"] = os.getloadavg()[0]
    target = target_check(figures)
    try:
        results = json.loads(args.output.read_text())
    except (OSError, ValueError):
        results = {}
    results["directory_import"] = figures
    results["targets"] = results.get("targets", {}) | {"directory_import": target}
    args.output.write_text(json.dumps(results, indent=2, default=str))
    for name in ("first", "again", "changed_full"):
        run = figures[name]
        print(
            f"  {name:<13} {run['seconds']:6.1f} s  {run['rows_per_s']:7.0f} rows/s  "
            f"created {run['created']}, updated {run['updated']}, unchanged "
            f"{run['unchanged']}, deactivated {run['deactivated']}, errors "
            f"{run['errors']}, handovers {run['handovers']}"
        )
    print(f"{'MET   ' if target['met'] else 'MISSED'} {TARGET}: {target['measured']}")
    print(f"written: {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
