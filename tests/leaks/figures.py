"""The leak matrix's figures at the end of a run (cells, requests, leaks).

A plugin of the root ``conftest.py``, so the xdist controller, which collects
nothing, still adds up what the workers' reports carry in
``user_properties``. ``LEAK_MATRIX_REPORT=<path>`` also writes them, with
every leak, as JSON.
"""

import json
import os

ROLES_COUNT = 14


def pytest_terminal_summary(terminalreporter):
    cells = requests = not_allowed = 0
    leaks = []
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            if getattr(report, "when", "") != "call":
                continue
            props = dict(getattr(report, "user_properties", []))
            cells += props.get("leak_cells", 0)
            requests += props.get("leak_requests", 0)
            not_allowed += props.get("leak_405", 0)
            leaks.extend(props.get("leaks", []))
    if not cells:
        return
    terminalreporter.write_sep("-", "leak matrix")
    terminalreporter.write_line(
        f"{cells} cells (role × idea kind × stage × route), {requests} requests, "
        f"{len(leaks)} leaks, {ROLES_COUNT} roles; {not_allowed} route methods "
        "answered 405 and were not walked"
    )
    path = os.environ.get("LEAK_MATRIX_REPORT")
    if path:
        with open(path, "w") as out:
            json.dump({"cells": cells, "requests": requests, "leaks": leaks}, out)
