"""Show times in the viewer's time zone and pages in the viewer's language."""

import zoneinfo
from contextvars import ContextVar

from django.utils import timezone, translation

_request: ContextVar = ContextVar("horserace_request", default=None)


def current_request():
    """The request being answered in this thread or task (None outside one).

    Lets a serializer field that must decide what the viewer may see (the
    names behind an anonymous idea) ask for the viewer even where the view
    gave it no context, so forgetting the context hides, never shows."""
    return _request.get()


class UserPreferencesMiddleware:
    """Activate a signed-in user's time zone and language for the request.

    Runs after ``LocaleMiddleware``: anonymous visitors keep the language from
    their cookie or browser; a signed-in user's saved preference wins, and the
    language switcher saves it (``accounts:set_language``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
            if user.locale:
                translation.activate(user.locale)
                request.LANGUAGE_CODE = translation.get_language()
        else:
            timezone.deactivate()
        token = _request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _request.reset(token)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
