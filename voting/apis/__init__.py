"""The screening API under ``/api/v1/``: ballots, queues, impressions, results.

Views live in ``ballots.py`` and ``rounds.py``, shapes in ``serializers.py``.
"""

from django.urls import path

from . import ballots, rounds

urlpatterns = [
    path("ballots/", ballots.BallotListApi.as_view(), name="ballot-list"),
    path("ballots/batch/", ballots.BallotBatchApi.as_view(), name="ballot-batch"),
    path(
        "ballots/<int:idea_id>/",
        ballots.BallotDetailApi.as_view(),
        name="ballot-detail",
    ),
    path(
        "racecourses/<int:pk>/queue/",
        rounds.RacecourseQueueApi.as_view(),
        name="racecourse-queue",
    ),
    path(
        "racecourses/<int:pk>/impressions/",
        rounds.RacecourseImpressionApi.as_view(),
        name="racecourse-impressions",
    ),
    path(
        "racecourses/<int:pk>/leaderboard/",
        rounds.RacecourseLeaderboardApi.as_view(),
        name="racecourse-leaderboard",
    ),
    path("tallies/", rounds.TallyListApi.as_view(), name="tally-list"),
]

# --- evaluation: conflicts and assignments (voting/apis/assignments.py) ---
urlpatterns += []
# --- end evaluation: conflicts and assignments ---

# --- evaluation: scorecards and panel (voting/apis/scorecards.py, voting/apis/panel.py) ---
urlpatterns += []
# --- end evaluation: scorecards and panel ---
