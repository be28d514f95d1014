"""The screening API under ``/api/v1/``: ballots, queues, impressions, results.

Views live in ``ballots.py`` and ``rounds.py``, shapes in ``serializers.py``.
"""

from django.urls import path

from voting.evaluation.apis.assignments.assign import (
    AssignAutoApi,
    AssignmentDetailApi,
    AssignmentListApi,
    MyAssignmentListApi,
)
from voting.evaluation.apis.assignments.conflicts import (
    ConflictDetailApi,
    ConflictListApi,
    IdeaConflictListApi,
    RacecourseConflictListApi,
)
from voting.evaluation.apis.assignments.pool import (
    LoadsApi,
    PoolApi,
    PoolMemberApi,
    SettingsApi,
)
from voting.evaluation.apis.assignments.preferences import (
    PreferenceApi,
    PreferenceListApi,
)
from voting.screening.apis import ballots, feedback, rounds

urlpatterns = [
    path("ballots/", ballots.BallotListApi.as_view(), name="ballot-list"),
    path("ballots/batch/", ballots.BallotBatchApi.as_view(), name="ballot-batch"),
    path(
        "ballots/<id:idea_id>/",
        ballots.BallotDetailApi.as_view(),
        name="ballot-detail",
    ),
    path(
        "racecourses/<id:pk>/queue/",
        rounds.RacecourseQueueApi.as_view(),
        name="racecourse-queue",
    ),
    path(
        "racecourses/<id:pk>/impressions/",
        rounds.RacecourseImpressionApi.as_view(),
        name="racecourse-impressions",
    ),
    path(
        "racecourses/<id:pk>/leaderboard/",
        rounds.RacecourseLeaderboardApi.as_view(),
        name="racecourse-leaderboard",
    ),
    path("tallies/", rounds.TallyListApi.as_view(), name="tally-list"),
    path(
        "ideas/<id:pk>/feedback/",
        feedback.IdeaFeedbackApi.as_view(),
        name="idea-feedback",
    ),
]

# --- evaluation: conflicts and assignments ---
_rc = "evaluation/racecourses/<id:pk>"
urlpatterns += [
    path(f"{_rc}/pool/", PoolApi.as_view(), name="evaluation-pool"),
    path(
        f"{_rc}/pool/<id:user_id>/",
        PoolMemberApi.as_view(),
        name="evaluation-pool-member",
    ),
    path(
        f"{_rc}/settings/",
        SettingsApi.as_view(),
        name="evaluation-settings",
    ),
    path(f"{_rc}/loads/", LoadsApi.as_view(), name="evaluation-loads"),
    path(
        f"{_rc}/assign-auto/",
        AssignAutoApi.as_view(),
        name="evaluation-assign-auto",
    ),
    path(
        f"{_rc}/assignments/",
        AssignmentListApi.as_view(),
        name="evaluation-assignments",
    ),
    path(
        f"{_rc}/conflicts/",
        RacecourseConflictListApi.as_view(),
        name="evaluation-racecourse-conflicts",
    ),
    path(
        "evaluation/assignments/mine/",
        MyAssignmentListApi.as_view(),
        name="evaluation-my-assignments",
    ),
    path(
        "evaluation/assignments/<id:pk>/",
        AssignmentDetailApi.as_view(),
        name="evaluation-assignment-detail",
    ),
    path(
        "evaluation/conflicts/",
        ConflictListApi.as_view(),
        name="evaluation-conflicts",
    ),
    path(
        "evaluation/conflicts/<id:pk>/",
        ConflictDetailApi.as_view(),
        name="evaluation-conflict-detail",
    ),
    path(
        "evaluation/ideas/<id:pk>/conflicts/",
        IdeaConflictListApi.as_view(),
        name="evaluation-idea-conflicts",
    ),
    path(
        "evaluation/preferences/",
        PreferenceListApi.as_view(),
        name="evaluation-preferences",
    ),
    path(
        "evaluation/ideas/<id:pk>/preference/",
        PreferenceApi.as_view(),
        name="evaluation-preference",
    ),
]
# --- evaluation: scorecards and panel ---
from voting.evaluation.apis import panel as _panel  # noqa: E402
from voting.evaluation.apis import scorecards as _scorecards  # noqa: E402

urlpatterns += [
    path(
        "ideas/<id:pk>/scorecard/",
        _scorecards.MyScorecardApi.as_view(),
        name="evaluation-scorecard",
    ),
    path(
        "ideas/<id:pk>/scorecard/submit/",
        _scorecards.ScorecardSubmitApi.as_view(),
        name="evaluation-scorecard-submit",
    ),
    path(
        "ideas/<id:pk>/scorecards/",
        _scorecards.ScorecardListApi.as_view(),
        name="evaluation-scorecard-list",
    ),
    path(
        "ideas/<id:pk>/panel-comments/",
        _panel.PanelCommentApi.as_view(),
        name="evaluation-panel-comments",
    ),
    path(
        "ideas/<id:pk>/decision/",
        _panel.DecisionApi.as_view(),
        name="evaluation-decision",
    ),
    path(
        "racecourses/<id:pk>/panel/",
        _panel.PanelApi.as_view(),
        name="evaluation-panel",
    ),
]

# --- screening windows decided by a person ---
from voting.screening.apis import windows  # noqa: E402

urlpatterns += [
    path(
        "windows/<id:pk>/confirm/",
        windows.WindowConfirmApi.as_view(),
        name="window-confirm",
    ),
    path(
        "windows/<id:pk>/tally/",
        windows.WindowTallyRefreshApi.as_view(),
        name="window-tally-refresh",
    ),
]

# --- evaluation: rubrics ---
from voting.evaluation.apis import rubrics  # noqa: E402

urlpatterns += [
    path(
        "racecourses/<id:pk>/rubric/",
        rubrics.RubricApi.as_view(),
        name="rubric-detail",
    ),
    path(
        "racecourses/<id:pk>/rubric/criteria/",
        rubrics.CriterionCreateApi.as_view(),
        name="rubric-criteria",
    ),
    path(
        "racecourses/<id:pk>/rubric/order/",
        rubrics.CriteriaReorderApi.as_view(),
        name="rubric-order",
    ),
    path(
        "criteria/<id:pk>/",
        rubrics.CriterionDetailApi.as_view(),
        name="criterion-detail",
    ),
]
