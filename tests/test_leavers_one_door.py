"""People leave through one door: only ``horserace/accounts/leavers.py``
(``person_leave``) deactivates an account, so whoever turns a person off (the
directory import, SCIM, a page) also hands over what they held.

Read with ``ast``: ``x.is_active = False``, ``setattr(x, "is_active", False)``
and ``….update(is_active=False)`` anywhere else fail.
"""

import ast
import textwrap

import pytest

from tests.test_funnel_one_door import REPO, SKIPPED_DIRS, assignment_targets

THE_DOOR = REPO / "horserace" / "accounts" / "leavers.py"


def _false(node) -> bool:
    return isinstance(node, ast.Constant) and node.value is False


def _other_models() -> set[str]:
    """Models other than the user with an ``is_active`` of their own (a
    trainer taking teams, a resource open for requests): turning those off
    is not a person leaving."""
    from django.apps import apps
    from django.contrib.auth import get_user_model

    user = get_user_model()
    return {
        model.__name__
        for model in apps.get_models()
        if model is not user
        and any(f.name == "is_active" for f in model._meta.concrete_fields)
    }


def _root_name(node) -> str:
    """The name a call chain starts from: ``Trainer`` in ``Trainer.objects.filter().update()``."""
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            node = node.value
        else:
            return node.id if isinstance(node, ast.Name) else ""


def deactivations(source: str, filename: str = "<source>") -> list[str]:
    others = _other_models()
    found = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        where = f"{filename}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Assign) and _false(node.value):
            for target in node.targets:
                for t in assignment_targets(target):
                    if isinstance(t, ast.Attribute) and t.attr == "is_active":
                        found.append(where)
        elif isinstance(node, ast.Call):
            func = node.func
            name = getattr(func, "attr", getattr(func, "id", ""))
            if name == "setattr" and len(node.args) == 3:
                attr, value = node.args[1], node.args[2]
                if isinstance(attr, ast.Constant) and attr.value == "is_active":
                    if _false(value):
                        found.append(where)
            if (
                name == "update"
                and _root_name(func) not in others
                and any(k.arg == "is_active" and _false(k.value) for k in node.keywords)
            ):
                found.append(where)
    return found


def _sources():
    for path in sorted(REPO.rglob("*.py")):
        relative = path.relative_to(REPO)
        if SKIPPED_DIRS.intersection(relative.parts[:-1]) or path == THE_DOOR:
            continue
        yield path


@pytest.mark.parametrize(
    "source",
    [
        "user.is_active = False",
        "a.b.is_active = x = False",
        "setattr(user, 'is_active', False)",
        "User.objects.filter(pk=1).update(is_active=False)",
    ],
)
def test_the_check_sees_every_way_of_deactivating(source):
    assert deactivations(textwrap.dedent(source))


def test_turning_off_another_models_is_active_is_not_a_leaver():
    assert deactivations("Trainer.objects.filter(user=u).update(is_active=False)") == []
    assert deactivations("User.objects.filter(pk=1).update(is_active=False)")


def test_coming_back_and_reading_are_not_deactivating():
    source = "user.is_active = True\nif not user.is_active: pass\nf(is_active=False)"
    assert deactivations(source) == []


def test_only_person_leave_deactivates_a_person():
    found = [w for p in _sources() for w in deactivations(p.read_text(), str(p))]
    assert found == [], "deactivate through horserace.accounts.leavers.person_leave"
