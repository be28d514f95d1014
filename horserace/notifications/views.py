"""The inbox, the bell's menu, opening one notification and the preferences."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from horserace.common.pages import next_or

from . import events, selectors
from .context_processors import forget_unread_count
from .services import notification_mark_read, preferences_set, preferences_set_all

PAGE_SIZE = 20


@login_required
@require_GET
def notification_list(request):
    """The inbox: all (the default) or only the unread, newest first."""
    unread = request.GET.get("filter") == "unread"
    page = Paginator(
        selectors.notification_list(user=request.user, unread=unread), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "filter": "unread" if unread else "all"},
    )


@login_required
@require_GET
def notification_preview(request):
    """The bell's menu: the latest few, fetched when the menu opens."""
    return render(
        request,
        "notifications/_preview.html",
        {"notes": selectors.notification_preview(user=request.user)},
    )


@login_required
@require_GET
def notification_open(request, pk: int):
    """Mark one of your notifications read and follow its link (a path on
    this site only; anything else, or none, leads to the inbox)."""
    note = get_object_or_404(selectors.notification_list(user=request.user), pk=pk)
    notification_mark_read(user=request.user, notification_id=note.pk)
    forget_unread_count(request)
    return redirect(selectors.safe_url(note.url) or "notifications:list")


@login_required
@require_POST
def notification_read(request):
    """Mark one (``id``) or all of your notifications read (a POST form)."""
    raw = request.POST.get("id", "")
    notification_mark_read(
        user=request.user,
        notification_id=int(raw) if raw.isdigit() and len(raw) < 19 else None,
    )
    forget_unread_count(request)
    return redirect(next_or(request, "notifications:list"))


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request):
    """How you receive each kind: the inbox only, an e-mail, or a digest."""
    if request.method == "POST":
        valid = {c.value for c in events.Channel}
        if "apply_all" in request.POST:
            channel = request.POST.get("all_channel", "")
            if channel in valid:
                preferences_set_all(user=request.user, channel=channel)
                messages.success(request, _("Your notification settings are saved."))
            else:
                messages.error(request, _("Choose how to receive them."))
            return redirect("notifications:preferences")
        kinds = set(events.registered())
        choices = {
            name[len("kind:") :]: value
            for name, value in request.POST.items()
            if name.startswith("kind:")
            and name[len("kind:") :] in kinds
            and value in valid
        }
        preferences_set(user=request.user, choices=choices)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {
            "groups": selectors.preference_groups(user=request.user),
            "channels": events.Channel.choices,
        },
    )
