"""Shared by the gestation pages: find the idea, submit a form, redirect."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from contests.models import StageWindow
from horserace.core.pages import apply_service_errors as _service_errors
from horserace.core.pages import attempt as _attempt  # noqa: F401 (shared here)
from horserace.core.permissions import can

from ...models import Idea, StageTransition, TeamMembership
from ...selectors import gestation as selectors


def _gestation_idea(request, pk: int, perm: str = "ideas.view_gestation") -> Idea:
    """The idea, if the user holds ``perm`` and it ever reached gestation."""
    idea = (
        Idea.objects.select_related("racecourse__season", "author")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=TeamMembership.objects.select_related("user"),
            ),
            Prefetch("transitions", queryset=StageTransition.objects.all()),
            Prefetch("racecourse__windows", queryset=StageWindow.objects.all()),
        )
        .filter(pk=pk)
        .first()
    )
    if idea is None or not selectors.reached_gestation(idea):
        raise Http404
    if not can(request.user, perm, idea):
        if can(request.user, "ideas.view_idea", idea):
            raise PermissionDenied
        raise Http404
    return idea


def _submit(request, form, action, success: str) -> bool:
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


def _to_workspace(idea: Idea, anchor: str = ""):
    url = reverse("gestation:workspace", args=[idea.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)
