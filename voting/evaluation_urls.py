"""Offline evaluation in the browser, under ``/evaluation/``."""

from django.urls import path  # noqa: F401

app_name = "evaluation"
urlpatterns = []

# --- evaluation: conflicts and assignments ---
from voting.views import assignments as assignment_views  # noqa: E402

_rc = "racecourses/<id:pk>/assignments"
urlpatterns += [
    path("", assignment_views.mine, name="mine"),
    path(
        "conflicts/declare/",
        assignment_views.conflict_declare,
        name="conflict_declare",
    ),
    path(
        "conflicts/<id:pk>/withdraw/",
        assignment_views.conflict_withdraw,
        name="conflict_withdraw",
    ),
    path(
        "ideas/<id:pk>/preference/",
        assignment_views.preference_set,
        name="preference_set",
    ),
    path(
        "ideas/<id:pk>/conflicts/",
        assignment_views.idea_conflicts,
        name="idea_conflicts",
    ),
    path(f"{_rc}/", assignment_views.assignment_page, name="assignments"),
    path(f"{_rc}/settings/", assignment_views.settings_update, name="settings"),
    path(f"{_rc}/pool/add/", assignment_views.pool_add, name="pool_add"),
    path(f"{_rc}/pool/remove/", assignment_views.pool_remove, name="pool_remove"),
    path(f"{_rc}/auto/", assignment_views.assign_auto, name="assign_auto"),
    path(f"{_rc}/add/", assignment_views.assignment_add, name="assignment_add"),
    path(
        f"{_rc}/remove/",
        assignment_views.assignment_remove,
        name="assignment_remove",
    ),
    path(
        f"{_rc}/conflicts/",
        assignment_views.conflict_record,
        name="conflict_record",
    ),
]
# --- evaluation: scorecards and panel ---
from voting.views import panel as _panel  # noqa: E402
from voting.views import scorecards as _scorecards  # noqa: E402

urlpatterns += [
    path("ideas/<id:pk>/scorecard/", _scorecards.scorecard, name="scorecard"),
    path(
        "ideas/<id:pk>/proposal/<id:attachment_id>/",
        _scorecards.proposal_attachment,
        name="proposal_attachment",
    ),
    path(
        "racecourses/<id:racecourse_id>/panel/",
        _panel.panel_meeting,
        name="panel",
    ),
    path(
        "racecourses/<id:racecourse_id>/rubric/",
        _panel.rubric_page,
        name="rubric",
    ),
]
