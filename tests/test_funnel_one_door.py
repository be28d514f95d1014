"""The funnel has one door: no module but ``ideas/funnel.py`` changes a stage.

The check reads the source with ``ast`` (not grep), so comments, docstrings and
comparisons such as ``idea.stage == "draft"`` do not trip it, while every way
of writing a stage does: ``x.stage = …`` (also ``+=``, annotated or unpacked),
``setattr(x, "stage", …)``, ``….update(stage=…)`` and ``Idea(stage=…)`` or
``Idea.objects.create(stage=…)``.
"""

import ast
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SKIPPED_DIRS = {
    ".venv",
    "venv",
    ".git",
    "node_modules",
    "migrations",
    "tests",
    "var",
    "__pycache__",
}
THE_DOOR = REPO / "ideas" / "funnel.py"

# Ways of making or storing an idea that accept field values as keywords.
_IDEA_WRITERS = {"create", "get_or_create", "update_or_create", "bulk_create"}


def _is_stage_attribute(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "stage"


def assignment_targets(node: ast.AST):
    """Every assignment target, unpacking tuples and lists and starred names."""
    if isinstance(node, ast.Tuple | ast.List):
        for element in node.elts:
            yield from assignment_targets(element)
    elif isinstance(node, ast.Starred):
        yield from assignment_targets(node.value)
    else:
        yield node


def _mentions_idea(func: ast.AST) -> bool:
    """Is the call ``Idea(...)``, ``models.Idea(...)`` or ``Idea.objects.create``?"""
    if isinstance(func, ast.Name):
        return func.id == "Idea"
    if isinstance(func, ast.Attribute):
        if func.attr == "Idea":
            return True
        if func.attr in _IDEA_WRITERS:
            node = func.value
            while isinstance(node, ast.Attribute | ast.Call):
                if isinstance(node, ast.Attribute) and node.attr == "Idea":
                    return True
                node = node.value if isinstance(node, ast.Attribute) else node.func
            return isinstance(node, ast.Name) and node.id == "Idea"
    return False


def stage_writes(source: str, filename: str = "<source>") -> list[str]:
    """Describe every place in ``source`` that writes a ``stage``."""
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
        if any(_is_stage_attribute(t) for t in targets):
            found.append(f"{where}: assigns .stage")
        if not isinstance(node, ast.Call):
            continue
        keywords = {k.arg for k in node.keywords}
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "update"
            and "stage" in keywords
        ):
            found.append(f"{where}: .update(stage=…)")
        if "stage" in keywords and _mentions_idea(func):
            found.append(f"{where}: makes an Idea with stage=…")
        if (
            isinstance(func, ast.Name)
            and func.id == "setattr"
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value == "stage"
        ):
            found.append(f"{where}: setattr(…, 'stage', …)")
    return found


def _project_modules():
    for path in sorted(REPO.rglob("*.py")):
        relative = path.relative_to(REPO)
        if SKIPPED_DIRS.intersection(relative.parts[:-1]):
            continue
        if path == THE_DOOR:
            continue
        yield path


def test_no_module_but_the_funnel_writes_a_stage():
    """Only ``ideas/funnel.py`` may assign, update or construct an idea's stage."""
    offences = []
    checked = 0
    for path in _project_modules():
        checked += 1
        source = path.read_text(encoding="utf-8")
        offences += stage_writes(source, str(path.relative_to(REPO)))
    assert checked > 10, "the walk found the project's modules"
    assert offences == [], "stage changed outside ideas/funnel.py:\n" + "\n".join(
        offences
    )


def test_the_walk_skips_only_what_it_should():
    """The walk reads services and views, and leaves out the funnel and tests."""
    modules = {str(p.relative_to(REPO)) for p in _project_modules()}
    assert "ideas/models/base.py" in modules
    assert "ideas/services/registration.py" in modules
    assert "ideas/funnel.py" not in modules
    assert not any(m.startswith(".venv/") for m in modules)
    assert not any("/migrations/" in m or m.startswith("tests/") for m in modules)


def test_the_funnel_itself_would_be_caught():
    """The door is excluded by name only: its own writes are what the check sees."""
    assert stage_writes(THE_DOOR.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "snippet",
    [
        "idea.stage = 'registered'",
        "self.idea.stage = Stage.GESTATION",
        "idea.stage += 'x'",
        "idea.stage: str = 'draft'",
        "a, idea.stage = 1, 'draft'",
        "first, *idea.stage = values",
        "for idea.stage in stages: pass",
        "setattr(idea, 'stage', 'realized')",
        "Idea.objects.filter(pk=1).update(stage='realized')",
        "qs.update(title='t', stage=Stage.REALIZED)",
        "Idea(title='t', stage='realized')",
        "models.Idea(stage='realized')",
        "Idea.objects.create(title='t', stage='realized')",
        "Idea.objects.using('default').get_or_create(pk=1, stage='x')",
    ],
)
def test_checker_catches_stage_writes(snippet):
    """Self-test: each way of writing a stage is reported, so the check can fail."""
    assert stage_writes(textwrap.dedent(snippet)), snippet


@pytest.mark.parametrize(
    "snippet",
    [
        "if idea.stage == 'draft': pass",
        "stage = idea.stage",
        "qs.filter(stage='draft').exclude(stage='merged')",
        "Idea.objects.filter(stage='draft')",
        "StageTransition.objects.create(idea=i, from_stage='a', to_stage='b')",
        "window_stage = 'registration'",
        "'''idea.stage = 1 in a docstring'''",
        "# idea.stage = 'x'",
        "format_lazy(_('{stage}'), stage=label)",
    ],
)
def test_checker_ignores_reads(snippet):
    """Self-test: reading or filtering by stage is not a write."""
    assert stage_writes(snippet) == [], snippet
