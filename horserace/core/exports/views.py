"""``/exports/``: what the viewer may export, downloads, and job progress."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from horserace.accounts.rules import is_hr_admin
from horserace.core.models import ExportJob

from .registry import kind_get, kinds_all, kinds_for
from .scope_ui import field_choices
from .services import (
    export_is_large,
    export_job_create,
    export_response,
    job_file_response,
    job_of_requester,
)


def _job_or_404(request, pk: int) -> ExportJob:
    return job_of_requester(user=request.user, pk=pk)


@login_required
@require_GET
def index(request):
    """Every export the viewer may use, with its choices, and their recent jobs."""
    user = request.user
    cards = []
    for kind in kinds_for(user):
        fields = [field_choices(user, kind, name) for name in kind.params]
        # A kind that needs a choice the viewer has none of (feedback without
        # a team that has any) is left off the page; the API still takes it.
        if any(f["required"] and not f["options"] for f in fields):
            continue
        cards.append({"kind": kind, "fields": fields})
    titles = {kind.slug: kind.title for kind in kinds_all()}
    jobs = [
        {"job": job, "title": titles.get(job.kind, job.kind)}
        for job in ExportJob.objects.filter(requested_by=user)[:10]
    ]
    return render(
        request,
        "core/exports/index.html",
        {
            "cards": cards,
            "jobs": jobs,
            "keep_days": settings.HORSERACE_EXPORT_KEEP_DAYS,
            "perms_hr": is_hr_admin(user),
        },
    )


@login_required
@require_GET
def download(request, kind: str, fmt: str):
    """The file at once when small; a job (and its progress page) when large."""
    export = kind_get(kind)
    if export is None:
        raise Http404
    try:
        params = export.clean(request.user, request.GET)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("exports:index")
    if export_is_large(kind=export, user=request.user, params=params):
        job = export_job_create(kind=export, user=request.user, params=params, fmt=fmt)
        messages.info(
            request, _("This export is large: it is being written in the background.")
        )
        return redirect("exports:job", pk=job.pk)
    return export_response(kind=export, user=request.user, params=params, fmt=fmt)


@login_required
@require_GET
def job_detail(request, pk: int):
    job = _job_or_404(request, pk)
    return render(
        request,
        "core/exports/job.html",
        {"job": job, "kind": kind_get(job.kind)},
    )


@login_required
@require_GET
def job_progress(request, pk: int):
    """What the job page polls (htmx): the progress card, until it is over."""
    job = _job_or_404(request, pk)
    return render(request, "core/exports/_job_progress.html", {"job": job})


@login_required
@require_GET
def job_file(request, pk: int):
    job = _job_or_404(request, pk)
    return job_file_response(job=job)
