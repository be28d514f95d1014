"""Shared by gestation's services and ``trainers``: locks and checks."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from ideas.models import Idea


def field_error(field: str, message, code: str) -> ValidationError:
    """A validation error on one field that keeps its machine ``code``."""
    return ValidationError({field: ValidationError(message, code=code)})


def required_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise field_error(field, message, "required")
    return value


def workspace_url(idea: Idea) -> str:
    return reverse("gestation:workspace", args=[idea.pk])
