"""Reads for the weekly report: the week's numbers, the points, and what a
reader is shown of a stored report.

Innovation points (shown on every report page): an idea earns its author's
department points when it is submitted and each time it reaches a stage:

==========================  ======
submitted (past the draft)       1
registered                       2
passed screening (gestation)     5
reached offline evaluation       8
selected for realization        13
realized                        21
==========================  ======

A department's points are its authors' ideas' points; the leaderboard ranks
departments by their season total and shows what they gained this week.

What a report names: only ideas visible to everyone (not drafts, not
"racecourse" or confidential ideas), by title; a team by its captain's name
only if the idea is not anonymous. Everything else is counted, not named.
The stored report is checked again when it is read (``report_for_reader``):
an idea made confidential or anonymous since is no longer named.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contests.models import Season
from ideas.models import Idea, Stage, StageTransition, Visibility
from ideas.visibility import Viewer

from .models import ReportSubscription, WeeklyReport

SUBMITTED = "submitted"

#: What each step is worth, in order.
POINTS: dict[str, int] = {
    SUBMITTED: 1,
    Stage.REGISTERED: 2,
    Stage.GESTATION: 5,
    Stage.EVALUATION: 8,
    Stage.REALIZATION: 13,
    Stage.REALIZED: 21,
}

POINT_LABELS = {
    SUBMITTED: _("Idea submitted (past the draft)"),
    Stage.REGISTERED: _("Registered (authorship claimed)"),
    Stage.GESTATION: _("Passed the online screening"),
    Stage.EVALUATION: _("Reached offline evaluation"),
    Stage.REALIZATION: _("Selected for realization"),
    Stage.REALIZED: _("Realized"),
}

#: The stages an idea "advances" to (a move forward in the funnel).
FORWARD = (
    Stage.REGISTERED,
    Stage.SCREENING,
    Stage.GESTATION,
    Stage.EVALUATION,
    Stage.REALIZATION,
    Stage.REALIZED,
)

MOVERS = 5


def points_table() -> list[tuple[str, int]]:
    return [(str(POINT_LABELS[key]), value) for key, value in POINTS.items()]


def week_start_of(moment: dt.datetime) -> dt.date:
    """The Monday of the week ``moment`` falls in, in the current time zone."""
    day = timezone.localtime(moment).date()
    return day - dt.timedelta(days=day.weekday())


def week_bounds(week_start: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(week_start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(week_start + dt.timedelta(days=7), dt.time.min, tzinfo=tz)
    return start, end


def _rank(points: dict) -> dict:
    """Competition ranking (1, 2, 2, 4) of the keys with points, highest first."""
    ranks, last, place = {}, None, 0
    for i, (key, value) in enumerate(
        sorted(((k, v) for k, v in points.items() if v > 0), key=lambda kv: -kv[1])
    ):
        if value != last:
            place, last = i + 1, value
        ranks[key] = place
    return ranks


def _team(row: Mapping[str, Any]) -> str | None:
    return None if row["anonymous"] else row["author__display_name"]


def report_compute(*, season: Season, week_start: dt.date) -> dict:
    """The report of the week starting on ``week_start`` (two queries)."""
    start, end = week_bounds(week_start)
    ideas = {
        row["pk"]: row
        for row in Idea.objects.filter(racecourse__season=season, created_at__lt=end)
        .exclude(stage=Stage.DRAFT)
        .values(
            "pk",
            "title",
            "created_at",
            "visibility",
            "anonymous",
            "author__display_name",
            "author__department_id",
            "author__department__name",
        )
    }
    moves = list(
        StageTransition.objects.filter(
            idea__racecourse__season=season,
            created_at__lt=end,
            to_stage__in=FORWARD,
        )
        .values("idea_id", "to_stage", "created_at")
        .order_by("created_at", "pk")
    )

    def public(pk) -> bool:
        return ideas[pk]["visibility"] == Visibility.EVERYONE

    # Every step an idea took, with its time: (idea, what, when).
    steps = [(pk, SUBMITTED, row["created_at"]) for pk, row in ideas.items()]
    steps += [
        (m["idea_id"], m["to_stage"], m["created_at"])
        for m in moves
        if m["idea_id"] in ideas
    ]

    season_points: dict = defaultdict(int)
    before_points: dict = defaultdict(int)
    week_points: dict = defaultdict(int)
    idea_points: Counter = Counter()
    idea_stages: dict = defaultdict(list)
    names = {}
    for pk, what, when in steps:
        row = ideas[pk]
        dept = row["author__department_id"]
        names[dept] = row["author__department__name"]
        value = POINTS.get(what, 0)
        season_points[dept] += value
        if when < start:
            before_points[dept] += value
        else:
            week_points[dept] += value
            idea_points[pk] += value
            if what != SUBMITTED:
                idea_stages[pk].append(what)

    ranks, before = _rank(season_points), _rank(before_points)
    leaderboard = sorted(
        (
            {
                "department_id": dept,
                "department": names[dept],
                "rank": ranks[dept],
                "previous_rank": before.get(dept),
                "week_points": week_points.get(dept, 0),
                "season_points": season_points[dept],
            }
            for dept in ranks
        ),
        key=lambda r: (r["rank"], r["department"] or ""),
    )

    submitted = sorted(
        (pk for pk, row in ideas.items() if start <= row["created_at"] < end),
        key=lambda pk: ideas[pk]["created_at"],
    )
    advanced = [m for m in moves if m["created_at"] >= start and m["idea_id"] in ideas]
    movers = sorted(
        (pk for pk in idea_points if public(pk)),
        key=lambda pk: (-idea_points[pk], pk),
    )[:MOVERS]

    def item(pk, **more) -> dict:
        row = ideas[pk]
        return {"idea": pk, "title": row["title"], "team": _team(row), **more}

    return {
        "season": {"id": season.pk, "name": season.name},
        "week_start": week_start.isoformat(),
        "week_end": (week_start + dt.timedelta(days=6)).isoformat(),
        "points": dict(POINTS),
        "totals": {
            "submitted": len(submitted),
            "advanced": len(advanced),
            "points": sum(week_points.values()),
            "departments": sum(1 for v in week_points.values() if v),
        },
        "advanced_by_stage": dict(Counter(m["to_stage"] for m in advanced)),
        "submitted": [item(pk) for pk in submitted if public(pk)],
        "advanced": [
            item(m["idea_id"], stage=m["to_stage"])
            for m in advanced
            if public(m["idea_id"])
        ],
        "leaderboard": leaderboard,
        "movers": [
            item(pk, points=idea_points[pk], stages=idea_stages[pk]) for pk in movers
        ],
    }


# --- reading stored reports ---------------------------------------------------------


def report_list() -> QuerySet[WeeklyReport]:
    return WeeklyReport.objects.select_related("season")


def report_get(*, pk: int) -> WeeklyReport | None:
    return report_list().filter(pk=pk).first()


def report_for_reader(report: WeeklyReport, *, user) -> dict:
    """The stored report as ``user`` may read it (two or three queries).

    Ideas named when the report was built are named only if they are still
    visible to everyone and past the draft, with their current title; a team
    only if the idea is not anonymous and ``user`` may see its people
    (``ideas.see_team``: blind evaluation hides them from the racecourse's
    evaluators).
    """
    data = dict(report.data)
    listed = {
        entry["idea"]
        for key in ("submitted", "advanced", "movers")
        for entry in data.get(key, [])
    }
    viewer = Viewer(user)
    now = {
        idea.pk: idea
        for idea in Idea.objects.filter(pk__in=listed, visibility=Visibility.EVERYONE)
        .exclude(stage=Stage.DRAFT)
        .select_related("author")
        .only(
            "pk",
            "title",
            "stage",
            "visibility",
            "anonymous",
            "racecourse_id",
            "author__display_name",
        )
    }

    def team(idea) -> str | None:
        if idea.anonymous or not viewer.sees_names(idea):
            return None
        return idea.author.display_name

    for key in ("submitted", "advanced", "movers"):
        shown = []
        for entry in data.get(key, []):
            idea = now.get(entry["idea"])
            if idea is None:
                continue
            entry = {**entry, "title": idea.title, "team": team(idea)}
            if "stage" in entry:
                entry["stage_label"] = str(Stage(entry["stage"]).label)
            if "stages" in entry:
                entry["stage_labels"] = [str(Stage(s).label) for s in entry["stages"]]
            shown.append(entry)
        data[key] = shown
    data["advanced_by_stage"] = [
        {"stage": stage, "label": str(Stage(stage).label), "count": n}
        for stage, n in sorted(
            data.get("advanced_by_stage", {}).items(),
            key=lambda kv: FORWARD.index(kv[0]) if kv[0] in FORWARD else 99,
        )
    ]
    for row in data.get("leaderboard", []):
        if row.get("department") is None:
            row["department"] = str(_("No department"))
        prev = row.get("previous_rank")
        row["change"] = None if prev is None else prev - row["rank"]
    return data


def is_subscribed(*, user) -> bool:
    return ReportSubscription.objects.filter(user=user).exists()
