"""Writes for SCIM provisioning: a person's attributes, and deactivation."""

import hashlib
import logging
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from horserace.accounts.leavers import person_leave
from horserace.accounts.models import Department, User
from horserace.common.validators import no_bidi_controls

log = logging.getLogger(__name__)

#: Sentinel: the client did not send this attribute, so it stays as it is.
UNSET: Any = object()


@dataclass
class PersonChanges:
    """The attributes a SCIM request sets; ``UNSET`` ones stay as they are.

    ``department`` and ``manager`` are what the client sent (a department's
    code or name; a person's SCIM id, employee number or e-mail), ``None``
    to clear.
    """

    email: Any = UNSET
    display_name: Any = UNSET
    external_id: Any = UNSET
    active: Any = UNSET
    employee_number: Any = UNSET
    department: Any = UNSET
    manager: Any = UNSET
    errors: dict[str, str] = field(default_factory=dict)

    def given(self, name: str) -> bool:
        return getattr(self, name) is not UNSET


def department_for(value: str) -> Department:
    """The department whose code or name is ``value``; created when there is none.

    A new department takes ``value`` as its name and a code made from it
    (``slugify``; a short hash when that leaves nothing, as for a Chinese name).
    """
    value = value.strip()
    found = (
        Department.objects.filter(code=value).first()
        or Department.objects.filter(name__iexact=value).order_by("pk").first()
    )
    if found is not None:
        return found
    no_bidi_controls(value)
    base = (slugify(value) or "dept-" + hashlib.sha1(value.encode()).hexdigest()[:8])[
        :40
    ]
    code, n = base, 1
    while Department.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    log.info("SCIM created department %r (%s)", value, code)
    return Department.objects.create(name=value[:200], code=code)


def manager_for(value: str, *, user: User) -> User | None:
    """The person ``value`` names (SCIM id, employee number or e-mail), or None.

    An unknown manager is left unset rather than refused: identity providers
    push people in any order, and the manager's own push comes later.
    """
    value = value.strip()
    if not value:
        return None
    manager = (
        User.objects.filter(
            Q(scim_id=value) | Q(employee_number=value) | Q(email__iexact=value)
        )
        .exclude(pk=user.pk)
        .order_by("pk")
        .first()
    )
    if manager is None:
        log.info("SCIM manager %r of %s not found; left unset", value, user.email)
    return manager


def _clean(user: User, changes: PersonChanges) -> list[str]:
    """Apply ``changes`` to ``user`` in memory; the fields to write."""
    errors: dict[str, str] = dict(changes.errors)
    fields = []
    if changes.given("email"):
        email = (changes.email or "").strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            errors["userName"] = _("userName must be an e-mail address.")
        else:
            taken = User.objects.filter(email__iexact=email).exclude(pk=user.pk)
            if taken.exists():
                raise ValidationError(
                    _("Someone else already has this userName."), code="uniqueness"
                )
            user.email = email
            fields.append("email")
    if changes.given("display_name") and changes.display_name:
        name = str(changes.display_name).strip()[:150]
        try:
            no_bidi_controls(name)
        except ValidationError:
            errors["displayName"] = _("displayName has invisible control characters.")
        else:
            user.display_name = name
            fields.append("display_name")
    if not user.display_name and user.email:
        user.display_name = user.email.split("@", 1)[0]
        fields.append("display_name")
    if changes.given("external_id"):
        user.scim_external_id = str(changes.external_id or "").strip() or None
        fields.append("scim_external_id")
    if changes.given("employee_number"):
        number = str(changes.employee_number or "").strip() or None
        if number and len(number) > 32:
            errors["employeeNumber"] = _("employeeNumber is at most 32 characters.")
        elif (
            number
            and User.objects.filter(employee_number=number).exclude(pk=user.pk).exists()
        ):
            raise ValidationError(
                _("Someone else already has this employeeNumber."), code="uniqueness"
            )
        else:
            user.employee_number = number
            fields.append("employee_number")
    if errors:
        raise ValidationError(errors)
    return fields


@transaction.atomic
def scim_user_save(
    *, user: User, changes: PersonChanges, actor: User | None = None
) -> User:
    """Create or update a person from a SCIM request.

    Raises ``ValidationError`` for a bad attribute (the view answers 400) or,
    with code ``uniqueness``, for a userName or employee number someone else
    has (409). ``active: false`` goes through ``scim_deactivate``.
    """
    creating = user.pk is None
    fields = _clean(user, changes)
    if changes.given("department"):
        value = str(changes.department or "").strip()
        user.department = department_for(value) if value else None
        fields.append("department")
    if creating:
        if not user.email:
            raise ValidationError({"userName": _("userName is required.")})
        user.set_unusable_password()  # they sign in through the identity provider
        user.is_active = changes.active is not False
        user.save()
    elif fields:
        user.save(update_fields=sorted(set(fields)))
    if changes.given("manager"):
        value = str(changes.manager or "").strip()
        user.manager = manager_for(value, user=user) if value else None
        user.save(update_fields=["manager"])
    if not creating and changes.given("active"):
        if changes.active:
            scim_reactivate(user)
        else:
            scim_deactivate(user, actor=actor)
    return user


def scim_deactivate(user: User, *, actor: User | None = None) -> None:
    """The identity provider says this person has left: they can no longer sign in.

    Through the directory's one door for a leaver (``person_leave``): their
    row, ideas, ballots and scorecards stay; captaincies and pending
    approvals go to someone else, and each handover is logged.
    """
    for handover in person_leave(user=user, actor=actor):
        log.info("SCIM leaver %s: %s", user.email, handover)
    user.refresh_from_db(fields=["is_active"])  # person_leave saved its own copy
    log.info("SCIM deactivated %s", user.email)


def scim_reactivate(user: User) -> None:
    """The identity provider brings a person back (``active: true``)."""
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
        log.info("SCIM reactivated %s", user.email)
