"""API conventions shared by every app: pagination and one JSON error shape.

Every error body looks like ``{"detail": "...", "code": "...", "errors": {...}}``
where ``errors`` maps field names (or ``non_field_errors``) to messages. Services
raise Django's ``ValidationError`` and ``PermissionDenied``; they become 400 and
403 here, so views never translate them by hand and nothing becomes a 500.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

_ERROR_DESCRIPTIONS = {
    400: "Invalid input; `errors` maps each field to its messages.",
    401: "Not logged in, or the token is invalid or expired.",
    403: "Logged in, but not allowed to do this.",
    404: "No such object, or not visible to you.",
    429: "Too many failed attempts; wait before trying again.",
}


class ErrorSerializer(serializers.Serializer):
    """Every error response: a message, a machine code and per-field messages."""

    detail = serializers.CharField()
    code = serializers.CharField()
    errors = serializers.DictField(
        help_text="Field name (or `non_field_errors`) to a list of messages."
    )


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """OpenAPI responses for the given error status codes, all one shape."""
    return {
        code: OpenApiResponse(ErrorSerializer, description=_ERROR_DESCRIPTIONS[code])
        for code in codes
    }


class Pagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200


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
