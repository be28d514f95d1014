"""Offline evaluation in the browser, under ``/evaluation/``."""

from django.urls import path

from voting.evaluation.views.assignments.captain import idea_conflicts
from voting.evaluation.views.assignments.evaluator import (
    conflict_declare,
    conflict_withdraw,
    mine,
    preference_set,
)
from voting.evaluation.views.assignments.racecourse import (
    assign_auto,
    assignment_add,
    assignment_page,
    assignment_remove,
    conflict_record,
    pool_add,
    pool_remove,
    settings_update,
)

app_name = "evaluation"
urlpatterns = []

# --- evaluation: conflicts and assignments ---

_rc = "racecourses/<id:pk>/assignments"
urlpatterns += [
    path("", mine, name="mine"),
    path(
        "conflicts/declare/",
        conflict_declare,
        name="conflict_declare",
    ),
    path(
        "conflicts/<id:pk>/withdraw/",
        conflict_withdraw,
        name="conflict_withdraw",
    ),
    path(
        "ideas/<id:pk>/preference/",
        preference_set,
        name="preference_set",
    ),
    path(
        "ideas/<id:pk>/conflicts/",
        idea_conflicts,
        name="idea_conflicts",
    ),
    path(f"{_rc}/", assignment_page, name="assignments"),
    path(f"{_rc}/settings/", settings_update, name="settings"),
    path(f"{_rc}/pool/add/", pool_add, name="pool_add"),
    path(f"{_rc}/pool/remove/", pool_remove, name="pool_remove"),
    path(f"{_rc}/auto/", assign_auto, name="assign_auto"),
    path(f"{_rc}/add/", assignment_add, name="assignment_add"),
    path(
        f"{_rc}/remove/",
        assignment_remove,
        name="assignment_remove",
    ),
    path(
        f"{_rc}/conflicts/",
        conflict_record,
        name="conflict_record",
    ),
]
# --- evaluation: scorecards and panel ---
from voting.evaluation.views import panel as _panel  # noqa: E402
from voting.evaluation.views import scorecards as _scorecards  # noqa: E402

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
