"""Project-wide pages: home, health check and friendly error pages."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from contests import selectors as contest_selectors

from .home import home_sections
from .roles import roles_of


@login_required
def home(request):
    """The person's home: a section for each role they hold, most urgent first."""
    season = contest_selectors.season_current()
    roles = roles_of(request.user)
    context = {
        "season": season,
        "now": timezone.now(),
        "roles": roles,
        "sections": home_sections(user=request.user, roles=roles, season=season),
    }
    if season is not None:
        context |= {
            "racecourses": contest_selectors.racecourse_list_with_counts(season=season),
            "challenges": contest_selectors.challenge_list(season=season).filter(
                is_open=True
            ),
            "deadlines": contest_selectors.deadlines_upcoming(season=season),
        }
    return render(request, "home.html", context)


def healthz(request):
    """For load balancers and compose health checks: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _error(request, template, status):
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": template.split(".")[0], "code": str(status), "errors": {}},
            status=status,
        )
    return render(request, f"errors/{template}", status=status)


def bad_request(request, exception=None):
    return _error(request, "400.html", 400)


def forbidden(request, exception=None):
    return _error(request, "403.html", 403)


def not_found(request, exception=None):
    return _error(request, "404.html", 404)


def server_error(request):
    try:
        return _error(request, "500.html", 500)
    except Exception:  # the page itself must never fail: fall back to plain text
        from django.http import HttpResponseServerError

        return HttpResponseServerError("Something went wrong. Please try again.")
