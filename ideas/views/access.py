"""Opening a confidential idea or unmasking an anonymous team, and the log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from horserace.common.permissions import can
from ideas.services.access import idea_access_request

from .. import selectors
from ..forms import AccessForm
from ..models import IdeaAccess


def sealed_page(request, idea, *, form=None):
    """What HR or an admin sees of a confidential idea before opening it."""
    return render(
        request,
        "ideas/sealed.html",
        {
            "idea": idea,
            "registration": getattr(idea, "registration", None),
            "can_open": can(request.user, "ideas.open_idea", idea),
            "form": form or AccessForm(initial={"kind": IdeaAccess.Kind.OPEN}),
        },
        status=200 if form is None else 400,
    )


@login_required
@require_POST
def idea_access(request, pk: int):
    idea = selectors.idea_get_visible(user=request.user, pk=pk, content=False)
    form = AccessForm(request.POST)
    if form.is_valid():
        try:
            access = idea_access_request(
                idea=idea, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("reason", message)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect(idea)
        else:
            messages.success(
                request,
                _(
                    "Opened until %(time)s. The access is in the log, and the team sees it."
                )
                % {"time": date_format(localtime(access.expires_at), "TIME_FORMAT")},
            )
            return redirect(idea)
    if not can(request.user, "ideas.read_content", idea):
        return sealed_page(request, idea, form=form)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect(idea)


@login_required
def access_log(request):
    """HR reviews every opening and unmasking."""
    if not can(request.user, "ideas.view_access_log"):
        raise PermissionDenied
    page = Paginator(selectors.access_log_list(), 50).get_page(request.GET.get("page"))
    return render(request, "ideas/access_log.html", {"page": page})
