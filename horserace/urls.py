from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from contests import urls as contests_urls
from horserace.core import racecourses
from horserace.core import views as core_views
from voting.screening.views import windows as window_views

# Django tries routes in order, and a route behind an empty-prefix include
# is only reached after every route before it is tried: the hottest come
# first (a ballot is voting's first route). No two routes match one path
# (tests/test_url_routes.py), so the order changes speed, never the answer.
api_v1 = [
    path("", include("voting.api_urls")),
    path("", include("contests.apis")),
    path("", include("ideas.api_urls")),
    path("", include("horserace.accounts.directory.api_urls")),
    path("", include("horserace.core.exports.api_urls")),
    path("", include("horserace.core.api_urls")),
    path("", include("horserace.notifications.api_urls")),
]

# The ``contests`` namespace: the calendar's pages, one racecourse's page (the
# roof's: it shows every floor) and screening's window confirmation.
racecourse_pages = [
    *contests_urls.urlpatterns,
    path("<id:pk>/", racecourses.racecourse_detail, name="racecourse"),
    path(
        "windows/<id:pk>/confirm/",
        window_views.window_confirm_page,
        name="window_confirm",
    ),
]

urlpatterns = [
    path("api/v1/", include((api_v1, "api"))),
    path("", core_views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("me/", include("horserace.accounts.urls")),
    path("notifications/", include("horserace.notifications.urls")),
    path("racecourses/", include((racecourse_pages, "contests"))),
    path("setup/", include("contests.setup.urls")),
    path("console/", include("contests.console.urls")),
    path("screening/", include("voting.screening.urls")),
    path("ideas/discussion/", include("ideas.discussion.urls")),
    path("ideas/", include("ideas.urls")),
    path("gestation/", include("ideas.gestation.urls")),
    path("evaluation/", include("voting.evaluation.urls")),
    path("realization/", include("ideas.realization.urls")),
    path("exports/", include("horserace.core.exports.urls")),
    path("directory/", include("horserace.accounts.directory.urls")),
    path("", include("horserace.core.urls")),
    path("admin/", admin.site.urls),
    path("api/auth/", include("horserace.accounts.api_urls")),
    path("scim/v2/", include("horserace.accounts.scim.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        # GET only: its HTML renderer has no page for OPTIONS (that was a 500).
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", http_method_names=["get", "head"]
        ),
        name="api-docs",
    ),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
]

if settings.HORSERACE_BENCH_ENDPOINTS:
    # Only the benchmark's server sets BENCH_ENDPOINTS: an unchecked ballot
    # upsert, the ceiling `make bench` compares the real API with.
    from horserace.core import benchviews

    # First, as the API is: the ceiling resolves its route as cheaply.
    urlpatterns[:0] = [
        path("bench/ballot/", benchviews.ballot_upsert, name="bench-ballot"),
        path(
            "bench/ballot-authenticated/",
            benchviews.AuthenticatedUpsert.as_view(),
            name="bench-ballot-authenticated",
        ),
    ]

handler404 = "horserace.core.views.not_found"
handler500 = "horserace.core.views.server_error"
handler403 = "horserace.core.views.forbidden"
handler400 = "horserace.core.views.bad_request"
