"""Shared by the gestation pages: find the idea, submit a form, redirect."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse

from horserace.common.pages import apply_service_errors as _service_errors
from ideas.gestation.selectors.pages import gestation_idea_get
from ideas.models import Idea


def gestation_idea(request, pk: int, perm: str = "ideas.view_gestation") -> Idea:
    """The idea, if it ever reached gestation and the user holds ``perm``."""
    return gestation_idea_get(user=request.user, pk=pk, perm=perm)


def submit(request, form, action, success: str) -> bool:
    """Validate ``form`` and run ``action(cleaned_data)``; True when it worked."""
    if not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except ValidationError as error:
        _service_errors(form, error)
        return False
    messages.success(request, success)
    return True


def to_workspace(idea: Idea, anchor: str = ""):
    url = reverse("gestation:workspace", args=[idea.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)
