"""HR's extensions and eliminations, and the racecourse's gestation desk."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from contests import selectors as contest_selectors
from contests.models import Racecourse
from horserace.common.permissions import can
from ideas.selectors.gestation.desk import gestation_desk
from ideas.selectors.gestation.proposal import proposal_deadline
from ideas.services.gestation.proposal import (
    gestation_eliminate,
    proposal_extension_grant,
)

from ...forms.gestation import EliminateForm, ExtensionForm
from .helpers import gestation_idea, submit


def _hr_form_page(request, pk: int, *, perm, form_class, call, success, template):
    idea = gestation_idea(request, pk, perm)
    form = form_class(request.POST or None)
    if request.method == "POST" and submit(
        request, form, lambda data: call(idea, data), success
    ):
        return redirect("gestation:desk", pk=idea.racecourse_id)
    context = {
        "idea": idea,
        "form": form,
        "deadline": proposal_deadline(idea=idea),
        "extensions": list(idea.proposal_extensions.select_related("granted_by")),
    }
    return render(request, template, context)


@login_required
def extension_grant(request, pk: int):
    """HR gives a team in gestation more time for its proposal."""
    return _hr_form_page(
        request,
        pk,
        perm="ideas.grant_extension",
        form_class=ExtensionForm,
        call=lambda idea, data: proposal_extension_grant(
            idea=idea, actor=request.user, **data
        ),
        success=_("Extension granted; the team is told."),
        template="ideas/gestation/extension.html",
    )


@login_required
def eliminate(request, pk: int):
    """HR ends a project that has no proposal after the gestation close."""
    return _hr_form_page(
        request,
        pk,
        perm="ideas.grant_extension",  # HR and in gestation; the service checks time
        form_class=EliminateForm,
        call=lambda idea, data: gestation_eliminate(
            idea=idea, actor=request.user, **data
        ),
        success=_("The project is eliminated."),
        template="ideas/gestation/eliminate.html",
    )


@login_required
def desk(request, pk: int):
    """HR and the racecourse's admins: grant queue, budgets, trainers, projects."""
    try:
        racecourse = contest_selectors.racecourse_get(pk=pk)
    except Racecourse.DoesNotExist:
        raise Http404 from None
    if not can(request.user, "contests.manage_racecourse", racecourse):
        raise PermissionDenied
    context = gestation_desk(racecourse=racecourse, user=request.user)
    context |= {
        "racecourse": racecourse,
        "is_hr": can(request.user, "contests.manage_season"),
    }
    return render(request, "ideas/gestation/desk.html", context)
