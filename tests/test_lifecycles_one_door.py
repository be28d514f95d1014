"""Every lifecycle has one door: no module but ``horserace/common/lifecycles.py``
changes a ``status``.

Like ``test_funnel_one_door.py``, the check reads the source with ``ast``, so
comments, docstrings, filters and comparisons do not trip it, while every way
of writing a status does: ``x.status = …`` (also ``+=``, annotated, unpacked,
a loop or ``with`` target), ``setattr(x, "status", …)``, ``….update(status=…)``,
``….update_or_create(defaults={"status": …})`` and ``….bulk_update(…,
["status"])``. Creating a row in its first status (``….create(status=…)``) is
not a change and stays allowed.

Every model with a status (``class Status`` or ``RequestStatus``) is covered,
whether or not it has a lifecycle: a model with no table has no door, so
nothing may change its status in code.
"""

import ast
import textwrap
from pathlib import Path

import pytest

from tests.test_funnel_one_door import SKIPPED_DIRS, assignment_targets

REPO = Path(__file__).resolve().parent.parent
THE_DOOR = REPO / "horserace" / "common" / "lifecycles.py"


def _is_status_attribute(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "status"


def _names_status(node: ast.AST | None) -> bool:
    """Is ``node`` a list, tuple or set literal, or a dict, naming "status"?"""
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        elements = node.elts
    elif isinstance(node, ast.Dict):
        elements = node.keys
    else:
        return False
    return any(
        isinstance(e, ast.Constant) and e.value == "status" for e in elements if e
    )


def status_writes(source: str, filename: str = "<source>") -> list[str]:
    """Describe every place in ``source`` that writes a ``status``."""
    found = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        where = f"{filename}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Assign):
            targets = [t for target in node.targets for t in assignment_targets(target)]
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = list(assignment_targets(node.target))
        elif isinstance(node, ast.For | ast.AsyncFor | ast.comprehension):
            targets = list(assignment_targets(node.target))
        elif isinstance(node, ast.With | ast.AsyncWith):
            targets = [
                t
                for item in node.items
                if item.optional_vars is not None
                for t in assignment_targets(item.optional_vars)
            ]
        else:
            targets = []
        if any(_is_status_attribute(t) for t in targets):
            found.append(f"{where}: assigns .status")
        if not isinstance(node, ast.Call):
            continue
        keywords = {k.arg: k.value for k in node.keywords}
        func = node.func
        method = func.attr if isinstance(func, ast.Attribute) else None
        if method == "update" and "status" in keywords:
            found.append(f"{where}: .update(status=…)")
        if method == "update_or_create" and _names_status(keywords.get("defaults")):
            found.append(f"{where}: .update_or_create(defaults={{'status': …}})")
        if method == "bulk_update" and (
            _names_status(keywords.get("fields"))
            or (len(node.args) >= 2 and _names_status(node.args[1]))
        ):
            found.append(f"{where}: .bulk_update(…, ['status'])")
        if (
            isinstance(func, ast.Name)
            and func.id == "setattr"
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value == "status"
        ):
            found.append(f"{where}: setattr(…, 'status', …)")
    return found


def _project_modules():
    for path in sorted(REPO.rglob("*.py")):
        relative = path.relative_to(REPO)
        if SKIPPED_DIRS.intersection(relative.parts[:-1]):
            continue
        if path == THE_DOOR:
            continue
        yield path


def test_no_module_but_the_door_writes_a_status():
    """Only ``horserace/common/lifecycles.py`` may assign or update a status."""
    offences = []
    checked = 0
    for path in _project_modules():
        checked += 1
        source = path.read_text(encoding="utf-8")
        offences += status_writes(source, str(path.relative_to(REPO)))
    assert checked > 10, "the walk found the project's modules"
    assert offences == [], (
        "status changed outside horserace/common/lifecycles.py (call the "
        "lifecycle's move instead):\n" + "\n".join(offences)
    )


def test_the_walk_skips_only_what_it_should():
    """The walk reads services, the funnel and the tables, not the door or tests."""
    modules = {str(p.relative_to(REPO)) for p in _project_modules()}
    for module in (
        "ideas/funnel.py",
        "ideas/lifecycles.py",
        "ideas/services/teams.py",
        "ideas/gestation/services/trainers.py",
        "ideas/gestation/services/resources.py",
        "ideas/realization/services/reviews.py",
        "voting/evaluation/scorecards/services.py",
        "contests/models.py",
    ):
        assert module in modules, module
    assert "horserace/common/lifecycles.py" not in modules
    assert not any(m.startswith(".venv/") for m in modules)
    assert not any("/migrations/" in m or m.startswith("tests/") for m in modules)


def test_the_door_is_where_a_status_is_assigned():
    """The door writes the status with ``setattr`` on the lifecycle's field."""
    source = THE_DOOR.read_text(encoding="utf-8")
    assert "setattr(instance, lifecycle.field, target)" in source


@pytest.mark.parametrize(
    "snippet",
    [
        "request.status = 'granted'",
        "self.tranche.status = Tranche.Status.RELEASED",
        "card.status += 'x'",
        "plan.status: str = 'closed'",
        "a, invitation.status = 1, 'declined'",
        "first, *assignment.status = values",
        "for assignment.status in statuses: pass",
        "with lock() as request.status: pass",
        "setattr(request, 'status', 'granted')",
        "Tranche.objects.filter(pk=1).update(status='released')",
        "qs.update(ended_at=now, status=Status.ENDED)",
        "Plan.objects.update_or_create(idea=i, defaults={'status': 'closed'})",
        "Tranche.objects.bulk_update(rows, ['status', 'updated_at'])",
        "Tranche.objects.bulk_update(rows, fields=('status',))",
    ],
)
def test_checker_catches_status_writes(snippet):
    """Self-test: each way of writing a status is reported, so the check can fail."""
    assert status_writes(textwrap.dedent(snippet)), snippet


@pytest.mark.parametrize(
    "snippet",
    [
        "if request.status == 'pending': pass",
        "status = request.status",
        "qs.filter(status='pending').exclude(status='question')",
        "TrainerAssignment.objects.create(idea=i, status=Status.REQUESTED)",
        "Response(data, status=201)",
        "'''request.status = 1 in a docstring'''",
        "# request.status = 'x'",
        "values_list('status', flat=True)",
        "Tranche.objects.bulk_update(rows, ['amount'])",
        "lifecycles.move(request, 'grant', actor=actor)",
    ],
)
def test_checker_ignores_reads(snippet):
    """Self-test: reading, filtering or creating with a status is not a change."""
    assert status_writes(snippet) == [], snippet
