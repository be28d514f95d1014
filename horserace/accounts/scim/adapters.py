"""The SCIM user adapter, the service's configuration and its auth check.

django-scim2 hands each request to ``HorseraceSCIMUser``: ``from_dict`` reads
a POST or PUT body, ``handle_operations`` a PATCH, ``save`` and ``delete``
write through ``services``. Every bad payload becomes a SCIM error with a 4xx
status (``BadRequestError``); nothing unexpected reaches django-scim2's
catch-all 500.
"""

import json
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django_scim import constants, exceptions
from django_scim.adapters import SCIMUser
from django_scim.middleware import SCIMAuthCheckMiddleware
from django_scim.models import SCIMServiceProviderConfig
from rest_framework.exceptions import AuthenticationFailed

from horserace.accounts.authentication import TokenAuthentication
from horserace.accounts.models import User
from horserace.accounts.rules import is_hr_admin

from .filters import ENTERPRISE
from .services import PersonChanges, scim_deactivate, scim_user_save

CORE = constants.SchemaURI.USER

# PATCH paths and body keys we store (lower-case: SCIM names are
# case-insensitive). Every other attribute a client sends (title,
# phoneNumbers, name.givenName, emails, ...) is accepted and ignored.
_ATTRS = {
    "username": "email",
    "displayname": "display_name",
    "name.formatted": "display_name",
    "externalid": "external_id",
    "active": "active",
    "enterprise:employeenumber": "employee_number",
    "enterprise:department": "department",
    "enterprise:manager": "manager",
    "enterprise:manager.value": "manager",
}
_REQUIRED = {"email", "active"}


def bad_request(
    detail: str, scim_type: str = "invalidValue"
) -> exceptions.SCIMException:
    return exceptions.BadRequestError(detail, scim_type=scim_type)


def _text(name: str, value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise bad_request(f'"{name}" must be a string.')
    return str(value)


def _active(value: Any) -> bool:
    # Azure AD sends "True"/"False" as strings.
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise bad_request('"active" must be true or false.')


def _manager(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("value")
    return _text("manager", value)


def _name(value: Any) -> str | None:
    if not isinstance(value, dict):
        raise bad_request('"name" must be an object.')
    formatted = _text("name.formatted", value.get("formatted"))
    if formatted:
        return formatted
    parts = [
        _text("name", value.get(key))
        for key in ("givenName", "middleName", "familyName")
    ]
    return " ".join(p for p in parts if p) or None


def _normal(path: str) -> str:
    """A PATCH path without its schema URN, lower-case; ``enterprise:`` marks
    the enterprise extension's attributes."""
    text = path.strip()
    lowered = text.lower()
    if lowered.startswith(ENTERPRISE.lower() + ":"):
        return "enterprise:" + lowered[len(ENTERPRISE) + 1 :]
    if lowered.startswith(CORE.lower() + ":"):
        return lowered[len(CORE) + 1 :]
    return lowered


def _set(changes: PersonChanges, key: str, value: Any, *, remove: bool = False) -> None:
    """Record one attribute of a body or PATCH operation in ``changes``."""
    if key == "name":
        if not remove:
            changes.display_name = _name(value)
        return
    if key == ENTERPRISE.lower():
        if remove:
            for name in ("employee_number", "department", "manager"):
                setattr(changes, name, None)
            return
        if not isinstance(value, dict):
            raise bad_request(f'"{ENTERPRISE}" must be an object.')
        for sub, sub_value in value.items():
            _set(changes, "enterprise:" + str(sub).lower(), sub_value)
        return
    attr = _ATTRS.get(key)
    if attr is None:
        return
    if remove:
        if attr in _REQUIRED:
            raise bad_request(f'"{key}" cannot be removed.', "mutability")
        setattr(changes, attr, None)
        return
    if attr == "active":
        changes.active = _active(value)
    elif attr == "manager":
        changes.manager = _manager(value)
    else:
        setattr(changes, attr, _text(key, value))


def scim_base_location(request=None, *args, **kwargs) -> str:
    """The site's root, as the client reached it, for ``meta.location``."""
    return request.build_absolute_uri("/") if request is not None else "/"


def users_post_processor(model):
    """``GET_QUERYSET_POST_PROCESSOR_GETTER``: the user list reads each
    person's department and manager in the same query."""

    def post_process(request, queryset):
        return queryset.select_related("department", "manager")

    return post_process


class HorseraceSCIMUser(SCIMUser):
    """A person as a SCIM User with the enterprise extension."""

    id_field = "scim_id"
    obj: User

    def __init__(self, obj, request=None):
        super().__init__(obj, request=request)
        self.changes = PersonChanges()

    @property
    def display_name(self):
        return self.obj.display_name

    @property
    def emails(self):
        return [{"value": self.obj.email, "primary": True, "type": "work"}]

    @property
    def groups(self):
        return []

    @property
    def meta(self):
        joined = self.obj.date_joined.isoformat()
        return {
            "resourceType": self.resource_type,
            "created": joined,
            "lastModified": joined,
            "location": self.location,
        }

    def to_dict(self) -> dict:
        user: User = self.obj
        enterprise: dict[str, Any] = {"employeeNumber": user.employee_number or ""}
        department, manager = user.department, user.manager
        if department is not None:
            enterprise["department"] = department.name
        if manager is not None:
            enterprise["manager"] = {
                "value": manager.scim_id,
                "displayName": manager.display_name,
            }
        return {
            "schemas": [CORE, ENTERPRISE],
            "id": self.id,
            "externalId": user.scim_external_id,
            "userName": user.email,
            "name": {"formatted": user.display_name},
            "displayName": user.display_name,
            "emails": self.emails,
            "active": user.is_active,
            "groups": [],
            ENTERPRISE: enterprise,
            "meta": self.meta,
        }

    def validate_dict(self, d) -> None:
        if not isinstance(d, dict):
            raise bad_request("The body must be a JSON object.")

    def from_dict(self, d) -> None:
        """A POST or PUT body: the whole person. ``userName`` is required."""
        if not isinstance(d.get("userName"), str) or not d["userName"].strip():
            raise bad_request('"userName" is required.')
        changes = PersonChanges()
        for key, value in d.items():
            _set(changes, _normal(str(key)), value)
        self.changes = changes

    def handle_operations(self, operations) -> None:
        """A PATCH: ``add``/``replace``/``remove`` operations, then one save."""
        if not isinstance(operations, list):
            raise bad_request('"Operations" must be a list.')
        changes = PersonChanges()
        for operation in operations:
            if not isinstance(operation, dict):
                raise bad_request("Each operation must be an object.")
            op = operation.get("op")
            op = op.lower() if isinstance(op, str) else op
            if op not in ("add", "replace", "remove"):
                raise bad_request(f'Unknown PATCH op "{op}".', "invalidSyntax")
            path, value = operation.get("path"), operation.get("value")
            if path is not None and not isinstance(path, str):
                raise bad_request('"path" must be a string.', "invalidPath")
            if path:
                _set(changes, _normal(path), value, remove=op == "remove")
            elif op == "remove":
                raise bad_request('"remove" needs a "path".', "noTarget")
            elif isinstance(value, dict):
                for key, sub_value in value.items():
                    _set(changes, _normal(str(key)), sub_value)
            else:
                raise bad_request(
                    "An operation without a path needs an object value.",
                    "invalidSyntax",
                )
        self.changes = changes
        self.save()

    def save(self) -> None:
        try:
            self.obj = scim_user_save(
                user=self.obj, changes=self.changes, actor=self._provisioner()
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "uniqueness":
                raise exceptions.IntegrityError(
                    " ".join(error.messages), scim_type="uniqueness"
                ) from error
            raise bad_request(" ".join(error.messages)) from error

    def delete(self) -> None:
        """A ``DELETE``: the person is deactivated, never deleted."""
        scim_deactivate(self.obj, actor=self._provisioner())

    def _provisioner(self) -> User | None:
        """Who pushed the change: the provisioning account behind the token."""
        user = getattr(self._request, "user", None)
        return user if isinstance(user, User) else None


class ServiceProviderConfig(SCIMServiceProviderConfig):
    """What this service offers: PATCH and filtering, no bulk, sort or etags."""

    def to_dict(self) -> dict:
        config = super().to_dict()
        config["filter"] = {"supported": True, "maxResults": 200}
        config["changePassword"] = {"supported": False}
        return config


def _scim_error(status: int, detail: str) -> HttpResponse:
    body = {"schemas": [constants.SchemaURI.ERROR], "detail": detail, "status": status}
    return HttpResponse(
        json.dumps(body), content_type=constants.SCIM_CONTENT_TYPE, status=status
    )


class SCIMAuthCheck(SCIMAuthCheckMiddleware):
    """Bearer tokens only: a provisioning account's or an HR admin's.

    The session the browser middleware found is dropped first, so a signed-in
    browser tab cannot be made to call SCIM (the views are CSRF-exempt).
    """

    def process_request(self, request):
        request.user = AnonymousUser()
        scheme, _sep, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() not in ("bearer", "token") or not token.strip():
            return self._unauthorized("A bearer token is required.")
        try:
            user, _token = TokenAuthentication().authenticate_credentials(
                token.strip().encode()
            )
        except AuthenticationFailed:
            return self._unauthorized("The token is invalid or expired.")
        request.user = user
        if not (user.is_active and (user.is_provisioner or is_hr_admin(user))):
            return _scim_error(403, "Only a provisioning account or HR may provision.")
        return None

    def _unauthorized(self, detail: str) -> HttpResponse:
        response = _scim_error(401, detail)
        response["WWW-Authenticate"] = 'Bearer realm="horserace-scim"'
        return response
