"""Shared by the realization pages: the form page, permission checks, links."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from horserace.common.pages import apply_service_errors as _apply_errors
from horserace.common.permissions import can

from ...selectors import realization as selectors

FORM_TEMPLATE = "ideas/realization/form.html"


def form_page(
    request,
    *,
    form,
    act: Callable[[dict], object],
    success: str,
    back,
    context: dict,
):
    """GET: the form. POST: valid and accepted → message, back to ``back``;
    otherwise the form again with its errors."""
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(back)
    return render(request, FORM_TEMPLATE, {"form": form, **context})


def page(pk: int) -> str:
    return reverse("realization:project", args=[pk])


def require(user, perm: str, obj) -> None:
    if not can(user, perm, obj):
        raise PermissionDenied


def realization_project(request, pk: int):
    """The idea whose realization the user may see (404/403 otherwise)."""
    return selectors.realization_get(user=request.user, pk=pk)
