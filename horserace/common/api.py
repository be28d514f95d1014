"""API conventions shared by every app: pagination and one JSON error shape.

Every error body looks like ``{"detail": "...", "code": "...", "errors": {...}}``
where ``errors`` maps field names (or ``non_field_errors``) to messages. Services
raise Django's ``ValidationError`` and ``PermissionDenied``; they become 400 and
403 here, so views never translate them by hand and nothing becomes a 500.
"""

import functools
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.fields import SkipField, get_error_detail
from rest_framework.metadata import BaseMetadata
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

ERROR_DESCRIPTIONS = {
    400: "Invalid input; `errors` maps each field to its messages.",
    401: "Not logged in, or the token is invalid or expired.",
    403: "Logged in, but not allowed to do this.",
    404: "No such object, or not visible to you.",
    415: "The body is not in one of the media types listed for this operation.",
    429: "Too many requests or failed logins; wait before trying again.",
}


class ErrorSerializer(serializers.Serializer):
    """Every error response: a message, a machine code and per-field messages."""

    detail = serializers.CharField()
    code = serializers.CharField()
    errors = serializers.DictField(
        help_text="Field name (or `non_field_errors`) to a list of messages."
    )


#: The largest id a row can have: the range of PostgreSQL's bigint (and of
#: SQLite's INTEGER). A larger number cannot name anything, and handing one to
#: the database is an OverflowError (SQLite) or "out of range" (PostgreSQL).
MAX_ID = 2**63 - 1


class IdField(serializers.IntegerField):
    """An id in a request body: a whole number from 1 to ``MAX_ID``.

    ``PrimaryKeyRelatedField`` is safe on its own (Django drops out-of-range
    primary-key lookups); use this one for ids a view looks up itself, such as
    the items of a list of ids or a foreign-key filter.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


@functools.cache
def _plain_fields(serializer_class) -> dict[str, serializers.Field] | None:
    """The bound, writable fields of a flat serializer, built once; None for a
    serializer that validates more than its fields one by one."""
    serializer = serializer_class()
    if (
        serializer_class.validate is not serializers.Serializer.validate
        or serializer.get_validators()
    ):
        return None
    fields = {n: f for n, f in serializer.fields.items() if not f.read_only}
    for name, field in fields.items():
        if (
            hasattr(serializer, f"validate_{name}")
            or isinstance(field, serializers.BaseSerializer)
            or len(field.source_attrs) != 1
        ):
            return None
    return fields


def input_validate(serializer_class, data) -> dict[str, Any]:
    """``serializer_class(data=data)``'s ``validated_data``, or its 400.

    The same values, errors and error shape as ``is_valid(raise_exception=
    True)`` (a test holds them equal), for a flat serializer of plain fields,
    without building its fields again for every request: DRF deep-copies a
    serializer's declared fields each time one is made, which cost a ballot
    more than parsing its three values. Anything else goes the usual way.
    """
    fields = _plain_fields(serializer_class)
    if fields is None or not isinstance(data, Mapping):
        serializer = serializer_class(data=data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)
    values: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    for name, field in fields.items():
        try:
            value = field.run_validation(field.get_value(data))
        except SkipField:
            continue
        except serializers.ValidationError as error:
            errors[name] = error.detail
        except DjangoValidationError as error:
            errors[name] = get_error_detail(error)
        else:
            values[field.source or name] = value
    if errors:
        raise serializers.ValidationError(errors)
    return values


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """OpenAPI responses for the given error status codes, all one shape."""
    return {
        code: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code])
        for code in codes
    }


class Pagination(PageNumberPagination):
    """Pages of 25 (up to 200 with ``page_size``); a page that is not there is a 400.

    DRF answers ``page=0``, ``page=abc`` or a page past the end with a 404,
    which reads as "no such list" and is documented nowhere. It is a bad
    query parameter, so it gets the shared 400 shape under ``errors.page``.
    """

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200
    page_query_description = (
        "A page number, from 1 (the default) to the last page. Any other "
        "value is a 400 with `errors.page`."
    )
    page_size_query_description = (
        "Results per page (default 25, at most 200); a value that is not a "
        "positive number gives 25."
    )

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except exceptions.NotFound as exc:
            raise exceptions.ValidationError({"page": [_("Invalid page.")]}) from exc

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
        return parameters


class Metadata(BaseMetadata):
    """What ``OPTIONS`` answers on every API view: its name, what it reads and writes.

    DRF's default also describes the fields of ``serializer_class``, which our
    views with separate input and output serializers do not have (a 500), and
    which would describe the output as if it were the input. The OpenAPI
    schema at ``/api/schema/`` is where the fields are documented.
    """

    def determine_metadata(self, request, view):
        return {
            "name": view.get_view_name(),
            "description": view.get_view_description(),
            "renders": [renderer.media_type for renderer in view.renderer_classes],
            "parses": [parser.media_type for parser in view.parser_classes],
        }


def _django_errors(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {
            (field if field != "__all__" else "non_field_errors"): [
                str(m) for e in errs for m in e.messages
            ]
            for field, errs in exc.error_dict.items()
        }
    return {"non_field_errors": [str(m) for m in exc.messages]}


def _flatten(detail) -> str:
    if isinstance(detail, dict):
        for value in detail.values():
            return _flatten(value)
        return ""
    if isinstance(detail, list):
        return _flatten(detail[0]) if detail else ""
    return str(detail)


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        errors = _django_errors(exc)
        return Response(
            {"detail": _flatten(errors), "code": "invalid", "errors": errors},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        errors = data if isinstance(data, dict) else {"non_field_errors": data}
        response.data = {
            "detail": _flatten(errors),
            "code": "invalid",
            "errors": errors,
        }
    else:
        detail = data.get("detail", "") if isinstance(data, dict) else data
        code = getattr(getattr(exc, "detail", None), "code", None) or getattr(
            exc, "default_code", "error"
        )
        response.data = {"detail": str(detail), "code": code, "errors": {}}
    return response
