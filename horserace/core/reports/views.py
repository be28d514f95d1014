"""The weekly reports' pages: every signed-in employee reads them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from horserace.common.pages import next_or

from . import selectors, services


def _context(request) -> dict:
    return {
        "subscribed": selectors.is_subscribed(user=request.user),
        "points": selectors.points_table(),
    }


@login_required
def report_list(request):
    page = Paginator(selectors.report_list(), 20).get_page(request.GET.get("page"))
    return render(
        request, "core/reports/list.html", {"page": page, **_context(request)}
    )


@login_required
def report_detail(request, pk: int):
    report = selectors.report_get(pk=pk)
    if report is None:
        raise Http404(_("No such report."))
    return render(
        request,
        "core/reports/detail.html",
        {
            "report": report,
            "data": selectors.report_for_reader(report, user=request.user),
            **_context(request),
        },
    )


@login_required
@require_POST
def subscription_toggle(request):
    if request.POST.get("subscribe") == "1":
        services.report_subscribe(user=request.user)
        messages.success(request, _("You will receive the weekly report."))
    else:
        services.report_unsubscribe(user=request.user)
        messages.success(request, _("You will no longer receive the weekly report."))
    return redirect(next_or(request, "core:reports"))
