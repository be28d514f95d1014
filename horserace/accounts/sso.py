"""Directory fields from the identity provider's claims at each SSO login.

On an employee's first OIDC login and on every later one, the claims named in
``HORSERACE_OIDC_CLAIMS`` (settings, from the environment) fill their
employee number, department and manager, so the directory follows the
identity provider without an import. Each field lists claim names, tried in
order; a name with dots also looks inside nested claims
(``org.department``). A claim that is missing or empty leaves the field as it
is. An unknown department is created from the claim (its code or name), like
SCIM does, unless ``OIDC_CREATE_DEPARTMENTS`` is off (then it stays unset);
a manager is found by employee number, e-mail or SCIM id, and left unset
when unknown. A login never fails on a claim.
"""

import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import transaction

from .models import Department, User
from .scim.services import department_for, manager_for

log = logging.getLogger(__name__)


def claims_of(extra_data: Any) -> dict[str, Any]:
    """The claims allauth kept for a social account, merged.

    allauth's OpenID Connect provider keeps ``{"userinfo": …, "id_token": …}``
    (userinfo wins where both say something); other providers keep the
    claims themselves.
    """
    if not isinstance(extra_data, Mapping):
        return {}
    userinfo, id_token = extra_data.get("userinfo"), extra_data.get("id_token")
    if isinstance(userinfo, Mapping) or isinstance(id_token, Mapping):
        merged: dict[str, Any] = {}
        for part in (id_token, userinfo):
            if isinstance(part, Mapping):
                merged.update(part)
        return merged
    return dict(extra_data)


def _claim(claims: Mapping[str, Any], names: list[str]) -> str | None:
    """The first non-empty value among ``names``, as text."""
    for name in names:
        value: Any = claims.get(name)
        if value is None and "." in name:
            value = claims
            for part in name.split("."):
                value = value.get(part) if isinstance(value, Mapping) else None
        if isinstance(value, Mapping):  # {"value": …} or {"email": …}
            value = value.get("value") or value.get("email") or value.get("id")
        if isinstance(value, list):
            value = next((v for v in value if isinstance(v, str | int)), None)
        if isinstance(value, bool) or not isinstance(value, str | int):
            continue
        text = str(value).strip()
        if text:
            return text
    return None


def _department(value: str) -> Department | None:
    if getattr(settings, "HORSERACE_OIDC_CREATE_DEPARTMENTS", True):
        return department_for(value)
    return (
        Department.objects.filter(code=value).first()
        or Department.objects.filter(name__iexact=value).order_by("pk").first()
    )


@transaction.atomic
def sso_claims_apply(*, user: User, claims: Mapping[str, Any]) -> list[str]:
    """Set ``user``'s employee number, department and manager from ``claims``.

    Returns the fields it changed. An employee number someone else has is
    skipped (and logged), not taken from them.
    """
    names = settings.HORSERACE_OIDC_CLAIMS
    changed = []
    number = _claim(claims, names.get("employee_number", []))
    if number and number != user.employee_number and len(number) <= 32:
        if User.objects.filter(employee_number=number).exclude(pk=user.pk).exists():
            log.warning("SSO: employee number %s of %s is taken", number, user.email)
        else:
            user.employee_number = number
            changed.append("employee_number")
    department_name = _claim(claims, names.get("department", []))
    if department_name:
        department = _department(department_name[:200])
        if department is not None and department.pk != user.department_id:
            user.department = department
            changed.append("department")
    manager_key = _claim(claims, names.get("manager", []))
    if manager_key:
        manager = manager_for(manager_key, user=user)
        if manager is not None and manager.pk != user.manager_id:
            user.manager = manager
            changed.append("manager")
    if changed and user.pk is not None:
        user.save(update_fields=changed)
    return changed
