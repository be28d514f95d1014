"""Run mypy and compare its errors with the committed baseline.

``python tools/mypy_baseline.py`` (``make lint``) fails when mypy reports an
error the baseline does not hold (a new error) and when the baseline holds an
error mypy no longer reports (a fixed one: shrink the baseline). ``--write``
(``make types-baseline``) rewrites the baseline from the current errors.

An error is kept as ``path: error [code]: message`` without its line number,
so moving code does not break the baseline; identical errors in one file are
counted (``3x path: ...``). Lines are sorted.
"""

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "mypy-baseline.txt"
ERROR = re.compile(
    r"^(?P<path>[^:]+):\d+(?::\d+)?: error: (?P<message>.*?)(?:  \[(?P<code>[a-z-]+)\])?$"
)
LINE = re.compile(r"\bline \d+")  # "defined on line 12" must not shift either
COUNTED = re.compile(r"^(?:(?P<count>\d+)x )?(?P<error>.+)$")


def current() -> Counter[str]:
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-pretty", "--no-error-summary"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if run.returncode not in (0, 1):  # 2: mypy itself failed (config, crash)
        sys.stderr.write(run.stdout + run.stderr)
        sys.exit(run.returncode)
    errors: Counter[str] = Counter()
    for line in run.stdout.splitlines():
        match = ERROR.match(line)
        if match:
            code = match["code"] or "misc"
            message = LINE.sub("line N", match["message"])
            errors[f"{match['path']}: error [{code}]: {message}"] += 1
    return errors


def read() -> Counter[str]:
    errors: Counter[str] = Counter()
    if BASELINE.exists():
        for line in BASELINE.read_text().splitlines():
            if line.strip() and not line.startswith("#"):
                match = COUNTED.match(line)
                assert match is not None
                errors[match["error"]] += int(match["count"] or 1)
    return errors


def write(errors: Counter[str]) -> None:
    lines = [
        f"{count}x {error}" if count > 1 else error
        for error, count in sorted(errors.items())
    ]
    header = (
        f"# mypy errors accepted for now: {sum(errors.values())} in "
        f"{len({e.split(':', 1)[0] for e in errors})} files. Only shrink it: "
        "`make types-baseline` rewrites it.\n"
    )
    BASELINE.write_text(header + "".join(line + "\n" for line in lines))


def main() -> int:
    errors = current()
    if "--write" in sys.argv[1:]:
        write(errors)
        print(f"{BASELINE.name}: {sum(errors.values())} errors")
        return 0
    baseline = read()
    new = errors - baseline
    fixed = baseline - errors
    for error, count in sorted(new.items()):
        print(f"new: {count}x {error}" if count > 1 else f"new: {error}")
    for error, count in sorted(fixed.items()):
        print(f"fixed: {count}x {error}" if count > 1 else f"fixed: {error}")
    if new:
        print(f"mypy: {sum(new.values())} errors not in {BASELINE.name}; fix them")
    if fixed:
        print(
            f"mypy: {sum(fixed.values())} errors in {BASELINE.name} no longer "
            "occur; run `make types-baseline` to shrink it"
        )
    if not new and not fixed:
        print(f"mypy: {sum(errors.values())} errors, all in {BASELINE.name}")
    return 1 if new or fixed else 0


if __name__ == "__main__":
    sys.exit(main())
