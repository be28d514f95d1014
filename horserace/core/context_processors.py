from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .roles import roles_of


def site(request):
    """Facts about this installation that templates need."""
    return {"signup_open": bool(settings.HORSERACE_SIGNUP_DOMAINS)}


def roles(request):
    """``roles``: the person's roles (``horserace.core.roles``), worked out at
    most once per request and only if a template asks."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"roles": SimpleLazyObject(lambda: roles_of(user))}
