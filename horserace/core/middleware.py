"""Refuse NUL characters at the door, before any view or query sees them.

PostgreSQL stores no NUL (U+0000) in text: a query with one fails, so a NUL
typed into any search box or id field was a 500 there (and a silent miss on
SQLite). Django's and DRF's form fields already refuse NUL, but query strings
and cookies reach raw lookups in many places (search boxes, filters, session
and confirmation keys). One check here covers them all, now and for every
view added later.
"""

from django.http import JsonResponse
from django.utils.translation import gettext as _

NUL = "\x00"
_URLENCODED = "application/x-www-form-urlencoded"


def _has_nul(querydict) -> str | None:
    """The first field name whose name or value holds a NUL, else None."""
    for key, values in querydict.lists():
        if NUL in key or any(NUL in value for value in values):
            return key.replace(NUL, "") or "non_field_errors"
    return None


class RejectNulMiddleware:
    """A NUL in the path, the query string or a form body is a 400.

    A cookie holding one is dropped, as if the browser had not sent it, so a
    forged session or CSRF cookie cannot reach the session table. Goes first
    (after ``SecurityMiddleware``), before the session is looked up.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name in [n for n, v in request.COOKIES.items() if NUL in n or NUL in v]:
            del request.COOKIES[name]
        field = self._offending_field(request)
        if field is not None:
            return self._bad_request(request, field)
        return self.get_response(request)

    def _offending_field(self, request) -> str | None:
        if NUL in request.path_info:
            return "non_field_errors"
        field = _has_nul(request.GET)
        if field is None and request.content_type == _URLENCODED:
            # Multipart bodies are left to the forms and serializers (which
            # refuse NUL): reading them here would spend the upload handlers.
            field = _has_nul(request.POST)
        return field

    def _bad_request(self, request, field: str):
        message = _("Null characters are not allowed.")
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"detail": message, "code": "invalid", "errors": {field: [message]}},
                status=400,
            )
        from horserace.core.views import bad_request

        return bad_request(request)
