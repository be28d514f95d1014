"""The bell's unread count on every page: one query at most, and only if the
page shows it.

The count is computed when the template first reads it (after the view has
done its work, so a page that marks something read shows the new count) and
kept on the request, so every later read on the same page is free. The
bell's menu of latest notifications is fetched only when it is opened
(``views.notification_preview``).
"""

from .selectors import notification_unread_count

_ATTR = "_horserace_unread_notifications"


def unread_count(request) -> int:
    """The signed-in user's unread count, once per request."""
    if not hasattr(request, _ATTR):
        setattr(request, _ATTR, notification_unread_count(user=request.user))
    return getattr(request, _ATTR)


def forget_unread_count(request) -> None:
    """After marking read in this request: the next read counts again."""
    if hasattr(request, _ATTR):
        delattr(request, _ATTR)


class _LazyCount:
    """Reads as the count in a template (``{% if %}``, ``{{ }}``, comparisons)."""

    def __init__(self, request):
        self._request = request

    def _value(self) -> int:
        return unread_count(self._request)

    def __int__(self):
        return self._value()

    def __bool__(self):
        return bool(self._value())

    def __str__(self):
        return str(self._value())

    def __eq__(self, other):
        return self._value() == other

    def __gt__(self, other):
        return self._value() > other

    def __lt__(self, other):
        return self._value() < other

    def __hash__(self):
        return hash(self._value())


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": _LazyCount(request)}
