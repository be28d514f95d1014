"""Real modules (issue 9): a name is imported from where it is defined.

Two ways back to "faces instead of modules" fail here:
- a module importing a name only to hand it on (``# noqa: F401``, "shared
  here"): such imports may only load modules for what they register
  (``apps.py``'s ``ready``, a package of export kinds) or be the settings'
  star import;
- a private name (``_helper``) imported from another module of the project.
"""

import ast
import importlib.util
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PACKAGES = ("contests", "ideas", "voting", "horserace")


def _modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            yield path


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _absolute(path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def test_no_module_imports_a_name_only_to_hand_it_on():
    found = []
    for path in _modules():
        text = path.read_text()
        lines = text.splitlines()
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, ast.ImportFrom):
                continue
            if "noqa: F401" not in lines[node.lineno - 1]:
                continue
            source = _absolute(path, node)
            for alias in node.names:
                if alias.name == "*" and "settings" in path.parts:
                    continue
                if not _is_module(f"{source}.{alias.name}"):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {alias.name}")
    assert not found, "import it from where it is defined:\n" + "\n".join(found)


def test_no_private_name_is_imported_from_another_module():
    found = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ImportFrom):
                continue
            source = _absolute(path, node)
            if not source.startswith(PACKAGES):
                continue
            for alias in node.names:
                private = alias.name.startswith("_") and not alias.name.startswith("__")
                if private and not _is_module(f"{source}.{alias.name}"):
                    found.append(
                        f"{path.relative_to(ROOT)}:{node.lineno} {source}.{alias.name}"
                    )
    assert not found, "make it public, or keep it in its module:\n" + "\n".join(found)
