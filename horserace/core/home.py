"""The home page by role: one section for each role the person holds.

Everyone is an employee (ideas to judge, invitations, their own ideas); an
evaluator, a mentor, a racecourse admin and HR each get their own section
too. Sections are sorted most urgent first: those with something waiting,
soonest deadline first, then the rest in role order. Each section costs a
fixed number of queries, whatever the number of its items.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contests import selectors as contest_selectors
from contests.models import StageWindow, WindowStage
from ideas import selectors as idea_selectors
from ideas.gestation.selectors.trainers import trainer_teams
from ideas.models import Idea, Stage, TeamMembership, TrainerAssignment
from ideas.visibility import visible_q
from voting.evaluation.assignments.selectors import (
    PROJECT_STAGE,
    declarable_projects,
    my_assignments,
)
from voting.models import Ballot, Scorecard
from voting.screening.selectors.rounds import voter_in_audience

from .roles import Roles
from .selectors import (
    Waiting,
    captain_waiting,
    hr_waiting,
    managed_racecourses,
    manager_waiting,
    moderation_waiting,
    racecourse_waiting,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
else:
    StrOrPromise = str

#: A window "closes soon" within this much time: the home page flags it.
SOON = dt.timedelta(hours=48)

ROLE_ORDER = ("employee", "evaluator", "mentor", "racecourse_admin", "hr")

#: What a team does next, by its idea's stage (final stages have no next step).
NEXT_STEP = {
    Stage.DRAFT: _("Register it to claim authorship before the registration closes."),
    Stage.REGISTERED: _("Wait for online screening to open; colleagues will judge it."),
    Stage.SCREENING: _("Colleagues are judging it in online screening."),
    Stage.GESTATION: _("Build it, log progress and hand in the final proposal."),
    Stage.EVALUATION: _("Evaluators are scoring the final proposal."),
    Stage.REALIZATION: _("Report progress on milestones and outcomes."),
}


@dataclass
class Section:
    """One role's part of the home page."""

    role: str
    title: "StrOrPromise"
    template: str
    waiting: int = 0
    due: dt.datetime | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def sort_key(self):
        far = dt.datetime.max.replace(tzinfo=dt.UTC)
        return (self.waiting == 0, self.due or far, ROLE_ORDER.index(self.role))


@dataclass(frozen=True)
class Item:
    """A thing of a section (a membership, an assignment...) and what the home
    page adds to it: its deadline, the next step."""

    obj: Any
    due: dt.datetime | None = None
    next_step: "StrOrPromise" = ""

    def __getattr__(self, name):
        if name.startswith("__") or name == "obj":
            raise AttributeError(name)
        return getattr(self.obj, name)


@dataclass(frozen=True)
class JudgingRound:
    """An open screening round the person votes in, and their progress."""

    window: StageWindow
    left: int
    total: int
    url: str

    @property
    def soon(self) -> bool:
        return self.window.closes_at - timezone.now() <= SOON


def judging_rounds(*, user, now: dt.datetime) -> list[JudgingRound]:
    """Open screening rounds ``user`` votes in, with what is left to judge.

    Two queries whatever the number of rounds: the open windows, then one
    grouped count of the ideas the user may judge in them (``_judgeable`` of
    ``voting.screening.selectors.queue``: visible, not their team's) and of
    those they judged (a ballot of any choice in the round).
    """
    windows = [
        w
        for w in StageWindow.objects.filter(stage=WindowStage.SCREENING)
        .open_at(now)
        .filter(Q(racecourse__season__status="open") | Q(racecourse__kind="farm"))
        .select_related("racecourse")
        .order_by("closes_at", "pk")
        if voter_in_audience(user=user, racecourse=w.racecourse)
    ]
    if not windows:
        return []
    judged = Ballot.objects.filter(
        voter=user, idea=OuterRef("pk"), window_id__in=[w.pk for w in windows]
    )
    counts = {
        row["racecourse_id"]: row
        for row in Idea.objects.filter(
            racecourse_id__in=[w.racecourse_id for w in windows],
            stage=Stage.SCREENING,
            pk__in=Idea.objects.filter(visible_q(user)).values("pk"),
        )
        .exclude(pk__in=TeamMembership.objects.filter(user=user).values("idea_id"))
        .values("racecourse_id")
        .annotate(total=Count("pk"), judged=Count("pk", filter=Q(Exists(judged))))
    }
    rounds = []
    for w in windows:
        row = counts.get(w.racecourse_id, {"total": 0, "judged": 0})
        rounds.append(
            JudgingRound(
                w,
                row["total"] - row["judged"],
                row["total"],
                reverse("voting:judge", args=[w.racecourse_id]),
            )
        )
    return rounds


def employee_section(*, user, now: dt.datetime) -> Section:
    rounds = judging_rounds(user=user, now=now)
    invitations = list(idea_selectors.invitations_pending(user=user))
    memberships = [
        Item(m, next_step=NEXT_STEP.get(Stage(m.idea.stage), ""))
        for m in idea_selectors.ideas_of_user(user=user)[:8]
    ]
    waiting_items: list[Waiting] = captain_waiting(user=user)
    waiting_items += manager_waiting(user=user)
    requests = sum(
        m.pending_requests for m in memberships if m.role == TeamMembership.Role.CAPTAIN
    )
    left = [r for r in rounds if r.left]
    return Section(
        "employee",
        _("Employee"),
        "home/_employee.html",
        waiting=sum(r.left for r in left)
        + len(invitations)
        + requests
        + sum(w.count for w in waiting_items),
        due=min((r.window.closes_at for r in left), default=None),
        data={
            "rounds": rounds,
            "invitations": invitations,
            "memberships": memberships,
            "waiting_items": waiting_items,
        },
    )


def _submitted(card: Scorecard | None) -> bool:
    return card is not None and card.status == Scorecard.Status.SUBMITTED


def evaluator_section(*, user, now: dt.datetime) -> Section:
    assignments = [
        a
        for a in my_assignments(user=user)
        if a.idea.stage == PROJECT_STAGE and not _submitted(getattr(a, "card", None))
    ]
    closes = dict(
        StageWindow.objects.filter(
            stage=WindowStage.EVALUATION,
            racecourse_id__in={a.idea.racecourse_id for a in assignments},
        )
        .order_by("racecourse_id", "round")
        .values_list("racecourse_id", "closes_at")
    )
    items = [Item(a, due=closes.get(a.idea.racecourse_id)) for a in assignments]
    items.sort(key=lambda a: (a.due is None, a.due or now, a.idea.title))
    conflicts = len(declarable_projects(user=user))
    return Section(
        "evaluator",
        _("Evaluator"),
        "home/_evaluator.html",
        waiting=len(items),
        due=min((a.due for a in items if a.due), default=None),
        data={"assignments": items, "declarable": conflicts},
    )


def mentor_section(*, user, now: dt.datetime) -> Section:
    teams = list(
        trainer_teams(user=user).filter(
            status=TrainerAssignment.Status.ACTIVE, idea__stage=Stage.GESTATION
        )
    )
    closes = dict(
        StageWindow.objects.filter(
            stage=WindowStage.GESTATION,
            racecourse_id__in={t.idea.racecourse_id for t in teams},
        ).values_list("racecourse_id", "closes_at")
    )
    items = [Item(t, due=closes.get(t.idea.racecourse_id)) for t in teams]
    fresh = [t for t in items if not t.session_count]
    return Section(
        "mentor",
        _("Trainer"),
        "home/_mentor.html",
        waiting=len(fresh),
        due=min((t.due for t in fresh if t.due), default=None),
        data={"teams": items},
    )


def _stage_counts(ideas) -> dict[str, int]:
    return dict(
        ideas.order_by()
        .values("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )


#: The stages the dashboards count, in funnel order.
FUNNEL = (
    Stage.REGISTERED,
    Stage.SCREENING,
    Stage.GESTATION,
    Stage.EVALUATION,
    Stage.REALIZATION,
    Stage.REALIZED,
)


def _windows_closed_undecided(racecourse_ids, now) -> list[StageWindow]:
    """Closed screening rounds decided by a person that nobody has confirmed
    yet (``contests:window_confirm``)."""
    return list(
        StageWindow.objects.filter(
            racecourse_id__in=racecourse_ids,
            stage=WindowStage.SCREENING,
            rule=StageWindow.Rule.MANUAL,
        )
        .closed_unapplied(now)
        .select_related("racecourse")
        .order_by("closes_at")
    )


def admin_section(*, user, now: dt.datetime) -> Section:
    racecourses = managed_racecourses(user)
    ids = [r.pk for r in racecourses]
    queues = racecourse_waiting(racecourses)
    counts: dict[int, dict[str, int]] = {pk: {} for pk in ids}
    for rc_id, stage, n in (
        Idea.objects.filter(racecourse_id__in=ids)
        .order_by()
        .values("racecourse_id", "stage")
        .annotate(n=Count("pk"))
        .values_list("racecourse_id", "stage", "n")
    ):
        counts[rc_id][stage] = n
    undecided = _windows_closed_undecided(ids, now)
    moderation = moderation_waiting(user=user)
    rows = [
        {
            "racecourse": rc,
            "stages": [(s.label, counts[rc.pk].get(s, 0)) for s in FUNNEL],
            "queues": [q for q in queues if q.where == rc.name],
        }
        for rc in racecourses
    ]
    return Section(
        "racecourse_admin",
        _("Racecourse admin"),
        "home/_admin.html",
        waiting=sum(q.count for q in [*queues, *moderation]) + len(undecided),
        due=min((w.closes_at for w in undecided), default=None),
        data={"rows": rows, "undecided": undecided, "moderation": moderation},
    )


def dashboard_url() -> str:
    """The full season dashboard (built beside this page), or its path."""
    try:
        return reverse("core:dashboard")
    except NoReverseMatch:
        return "/dashboard/"


def hr_section(*, user, now: dt.datetime, season) -> Section:
    queues = hr_waiting(user=user)
    # Every racecourse's queues (only those with something waiting show).
    racecourses = managed_racecourses(user)
    queues += racecourse_waiting(racecourses)
    queues += moderation_waiting(user=user)
    undecided = _windows_closed_undecided([r.pk for r in racecourses], now)
    windows: list[StageWindow] = []
    stages: list[tuple[StrOrPromise, int]] = []
    if season is not None:
        counts = _stage_counts(Idea.objects.filter(racecourse__season=season))
        stages.extend(
            (stage.label, counts.get(stage, 0))
            for stage in (Stage.DRAFT, *FUNNEL, Stage.ELIMINATED)
        )
        windows = contest_selectors.deadlines_upcoming(season=season, when=now, limit=8)
    return Section(
        "hr",
        _("HR"),
        "home/_hr.html",
        waiting=sum(q.count for q in queues) + len(undecided),
        due=min((w.closes_at for w in undecided), default=None),
        data={
            "undecided": undecided,
            "season": season,
            "stages": stages,
            "windows": windows,
            "soon": now + SOON,
            "queues": queues,
            "dashboard_url": dashboard_url(),
        },
    )


def home_sections(*, user, roles: Roles, season, now=None) -> list[Section]:
    """The sections of ``user``'s home, one per role they hold, most urgent first."""
    now = now or timezone.now()
    sections = [employee_section(user=user, now=now)]
    if roles.evaluator:
        sections.append(evaluator_section(user=user, now=now))
    if roles.mentor:
        sections.append(mentor_section(user=user, now=now))
    if roles.hr:
        sections.append(hr_section(user=user, now=now, season=season))
    elif roles.racecourse_admin:
        sections.append(admin_section(user=user, now=now))
    return sorted(sections, key=Section.sort_key)
