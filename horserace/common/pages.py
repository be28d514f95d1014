"""What every app's pages share: a service's refusal shown to the person, and
the safe "next" address a form posts back.

Services raise ``ValidationError`` (by field where they can); a page puts it
on its form, or, for a one-button action, turns it into an error message.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.http import url_has_allowed_host_and_scheme


def apply_service_errors(form, error: ValidationError) -> None:
    """Put a service's refusal on the form's fields (or on the whole form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def attempt(request, action: Callable[[], object], success: str) -> bool:
    """Run a one-button service call; a refusal becomes an error message."""
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


def next_or(request, fallback: str) -> str:
    """The posted ``next`` address when it is on this site, else ``fallback``
    (a path or a URL name for ``redirect``): never an open redirect."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
