"""The dashboard's series: each one or two grouped queries, never a loop.

Who sees what: HR every racecourse of a season, a racecourse admin only
the racecourses they run (``contests.view_console`` decides who may open the
dashboard at all). Every series is counts and sums; the only names shown are
departments, racecourses, resources and the titles of projects in
realization, which HR and the racecourse's admins may know
(``ideas.view_idea``). No person is named.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from contests.models import (
    Racecourse,
    ResourceBudget,
    ResourceUnit,
    Season,
    WindowStage,
)
from horserace.common.permissions import can
from ideas.models import (
    Idea,
    ResourceRequest,
    Stage,
    StageTransition,
    TeamMembership,
    Tranche,
)
from voting.models import Assignment, Ballot, Scorecard

#: The funnel's steps, in order: every idea, then each stage it may reach.
FUNNEL_STAGES = (
    Stage.REGISTERED,
    Stage.SCREENING,
    Stage.GESTATION,
    Stage.EVALUATION,
    Stage.REALIZATION,
)
ZERO = Decimal("0")


def dashboard_seasons(*, user) -> QuerySet[Season]:
    """The seasons ``user`` may open a dashboard of: all for HR, else those
    with a racecourse they run."""
    if can(user, "contests.manage_season"):
        return Season.objects.all()
    return Season.objects.filter(racecourses__admins=user).distinct()


def dashboard_allowed(*, user, season: Season | None = None) -> bool:
    return can(user, "contests.view_console", season)


def dashboard_racecourses(*, season: Season, user) -> list[Racecourse]:
    """The racecourses of ``season`` on ``user``'s dashboard, main first."""
    qs = Racecourse.objects.filter(season=season).order_by("kind", "name")
    if not can(user, "contests.manage_season"):
        qs = qs.filter(admins=user)
    order: dict[str, int] = {Racecourse.Kind.MAIN: 0, Racecourse.Kind.DEPARTMENT: 1}
    return sorted(qs, key=lambda r: (order.get(r.kind, 2), r.name))


# --- the series -----------------------------------------------------------------


@dataclass
class FunnelStep:
    stage: str
    label: str
    count: int


def funnel(*, racecourse_ids: list[int]) -> list[FunnelStep]:
    """Ideas that reached each stage, from the stage history (two queries).

    "Ideas" counts every idea (drafts too: the season's "350"); a stage
    counts the ideas that ever entered it, so an idea eliminated later still
    counts where it got to. Realization counts ideas realized since.
    """
    ideas = Idea.objects.filter(racecourse_id__in=racecourse_ids)
    total = ideas.count()
    reached_q = {
        stage: Count("idea", distinct=True, filter=Q(to_stage=stage))
        for stage in FUNNEL_STAGES
    }
    reached = StageTransition.objects.filter(
        idea__racecourse_id__in=racecourse_ids
    ).aggregate(**reached_q)
    steps = [FunnelStep("idea", _("Ideas"), total)]
    steps += [
        FunnelStep(str(stage), str(stage.label), reached[stage] or 0)
        for stage in FUNNEL_STAGES
    ]
    return steps


@dataclass
class DepartmentParticipation:
    department_id: int | None
    department: str
    submitted: int = 0
    joined: int = 0
    voted: int = 0


def participation(*, racecourse_ids: list[int]) -> list[DepartmentParticipation]:
    """Distinct people per department who submitted an idea (past the draft),
    joined a team (not as its captain) or cast a screening ballot (three
    grouped queries), most active departments first."""
    rows: dict[int | None, DepartmentParticipation] = {}

    def add(qs, person: str, attr: str) -> None:
        dept = f"{person}__department_id"
        name = f"{person}__department__name"
        for row in qs.values(dept, name).annotate(n=Count(person, distinct=True)):
            key = row[dept]
            entry = rows.setdefault(
                key,
                DepartmentParticipation(key, row[name] or _("No department")),
            )
            setattr(entry, attr, row["n"])

    add(
        Idea.objects.filter(racecourse_id__in=racecourse_ids).exclude(
            stage=Stage.DRAFT
        ),
        "author",
        "submitted",
    )
    add(
        TeamMembership.objects.filter(
            idea__racecourse_id__in=racecourse_ids, role=TeamMembership.Role.MEMBER
        ),
        "user",
        "joined",
    )
    add(
        Ballot.objects.filter(window__racecourse_id__in=racecourse_ids),
        "voter",
        "voted",
    )
    return sorted(
        rows.values(),
        key=lambda r: (
            -(r.submitted + r.joined + r.voted),
            r.department_id is None,
            r.department,
        ),
    )


@dataclass
class WindowBallots:
    window_id: int
    racecourse: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    days: dict[dt.date, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.days.values())


@dataclass
class BallotsPerDay:
    days: list[dt.date]
    windows: list[WindowBallots]

    def rows(self):
        """(day, [count per window], total) for the table."""
        for day in self.days:
            counts = [w.days.get(day, 0) for w in self.windows]
            yield day, counts, sum(counts)


def ballots_per_day(*, racecourse_ids: list[int]) -> BallotsPerDay:
    """Screening ballots by the day they were first cast (in the current time
    zone), per screening window: one grouped query."""
    qs = (
        Ballot.objects.filter(
            window__racecourse_id__in=racecourse_ids,
            window__stage=WindowStage.SCREENING,
        )
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values(
            "window_id",
            "window__racecourse__name",
            "window__opens_at",
            "window__closes_at",
            "day",
        )
        .annotate(n=Count("pk"))
        .order_by("window__opens_at", "window_id", "day")
    )
    windows: dict[int, WindowBallots] = {}
    days: set[dt.date] = set()
    for row in qs:
        window = windows.setdefault(
            row["window_id"],
            WindowBallots(
                row["window_id"],
                row["window__racecourse__name"],
                row["window__opens_at"],
                row["window__closes_at"],
            ),
        )
        window.days[row["day"]] = row["n"]
        days.add(row["day"])
    return BallotsPerDay(days=sorted(days), windows=list(windows.values()))


@dataclass
class EvaluationProgress:
    racecourse_id: int
    racecourse: str
    due: int
    started: int
    submitted: int

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.due) if self.due else 0


def evaluation_progress(*, racecourse_ids: list[int]) -> list[EvaluationProgress]:
    """Per racecourse: scorecards due (assignments), started (a draft) and
    submitted. One grouped query."""
    submitted = Scorecard.Status.SUBMITTED
    qs = (
        Assignment.objects.filter(idea__racecourse_id__in=racecourse_ids)
        .values("idea__racecourse_id", "idea__racecourse__name")
        .annotate(
            due=Count("pk"),
            started=Count("pk", filter=Q(scorecard__status=Scorecard.Status.DRAFT)),
            submitted=Count("pk", filter=Q(scorecard__status=submitted)),
        )
        .order_by("idea__racecourse__name")
    )
    return [
        EvaluationProgress(
            r["idea__racecourse_id"],
            r["idea__racecourse__name"],
            r["due"],
            r["started"],
            r["submitted"],
        )
        for r in qs
    ]


@dataclass
class ResourceUse:
    resource_id: int
    resource: str
    kind: str
    unit: str
    budget: Decimal
    granted: Decimal

    @property
    def percent(self) -> float:
        return round(float(100 * self.granted / self.budget), 1) if self.budget else 0.0

    @property
    def unit_label(self) -> str:
        return str(ResourceUnit(self.unit).label)


def resources(*, racecourse_ids: list[int]) -> list[ResourceUse]:
    """Per resource: the racecourses' budgets and what was granted against
    them (two grouped queries). Resources with a grant but no budget show a
    budget of 0."""
    budgets = (
        ResourceBudget.objects.filter(racecourse_id__in=racecourse_ids)
        .values("resource_id", "resource__name", "resource__kind", "resource__unit")
        .annotate(total=Sum("amount"))
    )
    grants = (
        ResourceRequest.objects.filter(
            idea__racecourse_id__in=racecourse_ids,
            status=ResourceRequest.Status.GRANTED,
        )
        .values("resource_id", "resource__name", "resource__kind", "resource__unit")
        .annotate(total=Sum("granted_amount"))
    )
    out: dict[int, ResourceUse] = {}
    for row, attr in [
        *((b, "budget") for b in budgets),
        *((g, "granted") for g in grants),
    ]:
        use = out.setdefault(
            row["resource_id"],
            ResourceUse(
                row["resource_id"],
                row["resource__name"],
                row["resource__kind"],
                row["resource__unit"],
                ZERO,
                ZERO,
            ),
        )
        setattr(use, attr, getattr(use, attr) + (row["total"] or ZERO))
    return sorted(out.values(), key=lambda u: (u.kind, u.resource))


@dataclass
class ProjectMoney:
    idea_id: int
    title: str
    currency: str
    planned: Decimal
    released: Decimal

    @property
    def percent(self) -> int:
        return round(100 * self.released / self.planned) if self.planned else 0


@dataclass
class Release:
    day: dt.date
    currency: str
    amount: Decimal
    cumulative: Decimal


@dataclass
class Tranches:
    projects: list[ProjectMoney]
    releases: list[Release]


def tranches(*, racecourse_ids: list[int]) -> Tranches:
    """Per project: planned (cancelled tranches left out) and released; and
    the money released day by day, with its running total per currency (two
    grouped queries)."""
    live = Tranche.objects.filter(plan__idea__racecourse_id__in=racecourse_ids).exclude(
        status=Tranche.Status.CANCELLED
    )
    projects = [
        ProjectMoney(
            r["plan__idea_id"],
            r["plan__idea__title"],
            r["plan__currency"],
            r["planned"] or ZERO,
            r["released"] or ZERO,
        )
        for r in live.values("plan__idea_id", "plan__idea__title", "plan__currency")
        .annotate(
            planned=Sum("amount"),
            released=Sum("amount", filter=Q(status=Tranche.Status.RELEASED)),
        )
        .order_by("plan__idea__title", "plan__idea_id")
    ]
    by_day = (
        live.filter(status=Tranche.Status.RELEASED)
        .annotate(day=TruncDate("released_at", tzinfo=timezone.get_current_timezone()))
        .values("day", "plan__currency")
        .annotate(total=Sum("amount"))
        .order_by("day", "plan__currency")
    )
    running: dict[str, Decimal] = {}
    releases = []
    for r in by_day:
        currency = r["plan__currency"]
        running[currency] = running.get(currency, ZERO) + r["total"]
        releases.append(Release(r["day"], currency, r["total"], running[currency]))
    return Tranches(projects=projects, releases=releases)


# --- the whole dashboard ---------------------------------------------------------


@dataclass
class Dashboard:
    season: Season
    racecourses: list[Racecourse]
    racecourse: Racecourse | None
    funnel: list[FunnelStep]
    participation: list[DepartmentParticipation]
    ballots: BallotsPerDay
    evaluation: list[EvaluationProgress]
    resources: list[ResourceUse]
    tranches: Tranches


def dashboard_get(
    *,
    season: Season,
    user,
    racecourse: Racecourse | None = None,
    racecourses: list[Racecourse] | None = None,
) -> Dashboard:
    """Every series of ``season`` for ``user`` (the caller checked
    ``dashboard_allowed``), narrowed to ``racecourse`` if it is one of
    ``dashboard_racecourses`` (else every series is empty). Pass the
    racecourses if you already have them."""
    if racecourses is None:
        racecourses = dashboard_racecourses(season=season, user=user)
    ids = [r.pk for r in racecourses]
    if racecourse is not None:
        ids = [racecourse.pk] if racecourse.pk in ids else []
    return Dashboard(
        season=season,
        racecourses=racecourses,
        racecourse=racecourse,
        funnel=funnel(racecourse_ids=ids),
        participation=participation(racecourse_ids=ids),
        ballots=ballots_per_day(racecourse_ids=ids),
        evaluation=evaluation_progress(racecourse_ids=ids),
        resources=resources(racecourse_ids=ids),
        tranches=tranches(racecourse_ids=ids),
    )
