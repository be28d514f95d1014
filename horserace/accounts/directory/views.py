"""HR's directory import pages: upload, progress (polled as JSON), sample."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from horserace.common.permissions import can

from . import selectors
from .csvfile import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, SAMPLE
from .forms import DirectoryImportForm
from .services import directory_import_create
from .tasks import directory_import_task

PERM = "accounts.import_directory"


def _require_hr(request) -> None:
    if not can(request.user, PERM):
        raise PermissionDenied


@login_required
def import_start(request):
    """The upload form, the columns it needs, and the latest runs."""
    _require_hr(request)
    form = DirectoryImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        record = directory_import_create(
            name=upload.name,
            data=upload.read(),
            actor=request.user,
            full=form.cleaned_data["full"],
        )
        directory_import_task.delay_on_commit(record.pk)
        return redirect(record)
    return render(
        request,
        "accounts/directory/import_start.html",
        {
            "form": form,
            "required_columns": REQUIRED_COLUMNS,
            "optional_columns": OPTIONAL_COLUMNS,
            "imports": selectors.directory_import_list()[:10],
        },
    )


@login_required
def import_detail(request, pk: int):
    """One run: a progress bar while it runs, then its report."""
    _require_hr(request)
    record = get_object_or_404(selectors.directory_import_list(), pk=pk)
    return render(request, "accounts/directory/import_detail.html", {"record": record})


@login_required
@require_GET
def import_progress(request, pk: int):
    """What the progress page polls: status and counts, as JSON."""
    _require_hr(request)
    record = get_object_or_404(selectors.directory_import_list(), pk=pk)
    return JsonResponse(
        {
            "status": record.status,
            "status_label": record.get_status_display(),
            "finished": record.finished,
            "total": record.total,
            "processed": record.processed,
            "created": record.created,
            "updated": record.updated,
            "unchanged": record.unchanged,
            "deactivated": record.deactivated,
            "errors": record.error_count,
            "handovers": len(record.handovers),
        }
    )


@login_required
@require_GET
def import_sample(request):
    """A sample employee file with every column."""
    _require_hr(request)
    response = HttpResponse(SAMPLE, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="employees-sample.csv"'
    return response
