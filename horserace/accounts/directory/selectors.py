"""Reads of the directory: departments and people, as every employee sees them.

The directory is the company's phone book: any signed-in, active employee
may look anyone up, leavers included (marked inactive). It never shows a
person's private settings (language, time zone, tokens, permissions).
"""

from django.db.models import Q, QuerySet

from ..models import Department, DirectoryImport, User

#: A role name → the flag on ``User`` that grants it.
ROLES = {
    "hr_admin": "is_hr_admin",
    "mentor": "is_mentor",
    "evaluator": "is_evaluator",
}


def department_list() -> QuerySet[Department]:
    return Department.objects.select_related("parent").order_by("name", "pk")


def department_paths() -> dict[int, list[Department]]:
    """Each department's path from the root down to itself (one query)."""
    departments = {d.pk: d for d in Department.objects.all()}
    paths: dict[int, list[Department]] = {}
    for pk, department in departments.items():
        chain: list[Department] = []
        node: Department | None = department
        seen: set[int] = set()
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = departments.get(node.parent_id) if node.parent_id else None
        paths[pk] = list(reversed(chain))
    return paths


def person_list() -> QuerySet[User]:
    return User.objects.select_related("department").order_by("display_name", "pk")


def person_roles(user: User) -> list[str]:
    return [role for role, flag in ROLES.items() if getattr(user, flag)]


def role_filter(queryset: QuerySet[User], role: str) -> QuerySet[User]:
    return queryset.filter(Q(**{ROLES[role]: True}))


def directory_import_list() -> QuerySet[DirectoryImport]:
    return DirectoryImport.objects.select_related("started_by").order_by(
        "-created_at", "-pk"
    )
