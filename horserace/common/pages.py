"""What every app's pages share: a service's refusal shown to the person.

Services raise ``ValidationError`` (by field where they can); a page puts it
on its form, or, for a one-button action, turns it into an error message.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError


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
