"""The bell's unread count on every page: one query at most, and only if the
page shows it.

The count is computed when the template first reads it (after the view has
done its work, so a page that marks something read shows the new count) and
kept on the request, so every later read on the same page is free. The
bell's menu of latest notifications is fetched only when it is opened
(``views.notification_preview``).
"""

from django.utils.functional import SimpleLazyObject

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


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(request))}
