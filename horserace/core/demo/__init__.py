"""A demo company for ``make run``: built once, through the services and the funnel.

``demo_seed`` makes the departments and people directly (as an HR import
would), the season, its resource catalogue, budgets and trainer pool as an
HR admin would in the Django admin (see ``catalogue``), every idea, team and
stage change through ``ideas.services`` and ``ideas.funnel``, every ballot,
tally and window close through ``voting.screening.services`` and
``contests.closing`` (see ``screening``), and the later stages
through their services: gestation's requests, grants, trainers, milestones
and proposals (``gestation``), offline evaluation's rubric, pool,
assignments, scorecards and panel decisions (``evaluation``), and
realization's outcomes, time allocations and tranches (``realization``). So
the demo holds exactly the rows the platform itself would have written.

The demo tells the season in the order it happened. A racecourse whose
registration has closed (see ``company.WINDOWS``) had its ideas written and
registered while that window was open, and the window was then applied at
its close through ``contests.closing.window_apply``, which opened online
screening; a screening window that has closed was voted on and applied the
same way, so the ideas that went on to gestation are the ones the ballots
put there. Only what happens now (gestation, the panel, realization, the
open rounds) is written at the moment of seeding. So every idea's stage is
one its racecourse's windows allow.
"""

import contextlib
import datetime as dt
import logging
import random
from contextlib import contextmanager
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from contests.closing import window_apply
from contests.models import (
    Challenge,
    Racecourse,
    Resource,
    Season,
    StageWindow,
    Trainer,
    WindowStage,
)
from horserace.accounts.models import Department, User
from ideas import funnel
from ideas.models import Idea, Stage, Visibility
from ideas.services.ideas import idea_create, idea_update, idea_withdraw
from ideas.services.registration import idea_register
from ideas.services.teams import (
    invitation_accept,
    join_request_accept,
    join_request_create,
    team_invite,
)

from .catalogue import catalogue_seed
from .clock import clock
from .company import (
    CHALLENGES,
    COLLEAGUE_EMAIL,
    DEPARTMENTS,
    DOMAIN,
    EMPLOYEE_EMAIL,
    LOGINS,
    PEOPLE,
    RACECOURSE_ADMINS,
    RACECOURSES,
    SEASON_NAME,
    SEASON_YEAR,
    WINDOWS,
)
from .discussion import discussion_seed
from .evaluation import evaluation_seed, evaluation_setup
from .farm import farm_seed
from .gestation import gestation_seed
from .ideas import IDEAS, IdeaSpec
from .realization import realization_seed
from .reports import reports_seed
from .screening import screening_seed

__all__ = [
    "COLLEAGUE_EMAIL",
    "DOMAIN",
    "EMPLOYEE_EMAIL",
    "LOGINS",
    "SEASON_NAME",
    "demo_is_loaded",
    "demo_seed",
    "logins_table",
]

# The stages an idea passes through the bare funnel on its way to its demo
# stage, after registration. Past gestation, the services take over: the
# final proposal moves it to evaluation, the panel's decision to realization
# (or out), the last released tranche to realized (see ``_later_stages``).
_PATHS = {
    Stage.REGISTERED: [],
    Stage.SCREENING: [Stage.SCREENING],
    Stage.GESTATION: [Stage.SCREENING, Stage.GESTATION],
    Stage.EVALUATION: [Stage.SCREENING, Stage.GESTATION],
    Stage.REALIZATION: [Stage.SCREENING, Stage.GESTATION],
    Stage.REALIZED: [Stage.SCREENING, Stage.GESTATION],
}
_ELIMINATED_VIA = {
    "screening": [Stage.SCREENING, Stage.ELIMINATED],
    "evaluation": [Stage.SCREENING, Stage.GESTATION],
}
#: Where a project is once the panel has met, in the order the story runs.
_PAST_GESTATION = (Stage.EVALUATION, Stage.REALIZATION, Stage.REALIZED)


def _merges_first(specs: list[IdeaSpec]) -> list[IdeaSpec]:
    """Merges first: their targets must still be live when merged into."""
    return sorted(specs, key=lambda s: s.stage != Stage.MERGED)


def _past_gestation(spec: IdeaSpec) -> bool:
    """Did the idea hand in a proposal (and so reach offline evaluation)?"""
    return spec.stage in _PAST_GESTATION or (
        spec.stage == Stage.ELIMINATED and spec.via == "evaluation"
    )


def demo_is_loaded() -> bool:
    """The demo employee's account is the marker: it exists only once seeded."""
    return User.objects.filter(email__iexact=EMPLOYEE_EMAIL).exists()


@contextmanager
def _offline():
    """Run queued tasks in-process and send no mail while seeding.

    The demo must be complete when the command returns, whether or not a
    worker is running, and its made-up addresses must never be mailed.
    """
    from horserace.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    # One "Task succeeded" line per stage change (and one line per window
    # closed) would bury the logins table.
    quiet = [
        logging.getLogger("celery.app.trace"),
        logging.getLogger("contests.closing"),
    ]
    levels = [log.level for log in quiet]
    for log in quiet:
        log.setLevel(logging.WARNING)
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"
        ):
            yield
    finally:
        app.conf.task_always_eager = eager
        for log, level in zip(quiet, levels, strict=True):
            log.setLevel(level)


def demo_seed(*, now: dt.datetime | None = None) -> bool:
    """Load the demo company unless it is there; return whether it was loaded.

    All or nothing: one transaction, so a failure leaves no half-built demo
    and a second run finds either nothing or everything.
    """
    if demo_is_loaded():
        return False
    with _offline(), transaction.atomic():
        _Builder(now or timezone.now()).build()
    return True


class _Builder:
    def __init__(self, now: dt.datetime):
        # Whole hours read better on the schedule page than seeding's seconds.
        self.now = now.replace(minute=0, second=0, microsecond=0)
        self.random = random.Random(SEASON_YEAR)
        self.people: dict[str, User] = {}
        self.racecourses: dict[str, Racecourse] = {}
        self.challenges: dict[str, Challenge] = {}
        self.ideas: dict[str, Idea] = {}
        self.resources: dict[str, Resource] = {}
        self.trainers: dict[str, Trainer] = {}
        # Racecourses whose registration closed before now: their ideas were
        # registered in the past and moved on by the windows' closes.
        self.replayed: set[str] = set()

    def build(self) -> None:
        self._people()
        self._season()
        self._past_registrations()
        rest = [s for s in IDEAS if s.racecourse not in self.replayed]
        for spec in rest:
            with self._planted_clock(spec):
                self._enter(spec)
        for spec in _merges_first(rest):
            with self._planted_clock(spec):
                self._advance(spec)
        for spec in IDEAS:
            self._pending(spec)
        # Closed rounds are applied at their close, which decides who goes on
        # to gestation; then gestation, the panel and realization, now.
        screening_seed(
            people=self.people,
            racecourses=self.racecourses,
            ideas=self.ideas,
            now=self.now,
        )
        for spec in IDEAS:
            if spec.screened_openly:
                idea_update(
                    idea=self.ideas[spec.title],
                    actor=self.people[spec.captain],
                    visibility=spec.visibility,
                )
        self._later_stages()
        farm_seed(
            people=self.people,
            racecourses=self.racecourses,
            ideas=self.ideas,
            now=self.now,
        )
        discussion_seed(people=self.people, ideas=self.ideas)
        season = next(iter(self.racecourses.values())).season
        reports_seed(season=season, now=self.now)

    def _past_registrations(self) -> None:
        """Registration windows that have closed, in the order they closed.

        The racecourse's ideas are written and registered (or withdrawn or
        merged) while its window was open; the window is applied at its close,
        which opens online screening for every registered idea.
        """
        windows = StageWindow.objects.filter(
            racecourse__in=self.racecourses.values(),
            stage=WindowStage.REGISTRATION,
            closes_at__lte=self.now,
        ).order_by("closes_at")
        for window in windows:
            slug = window.racecourse.slug
            self.replayed.add(slug)
            specs = [s for s in IDEAS if s.racecourse == slug]
            with clock(window.opens_at + dt.timedelta(days=2)):
                for spec in specs:
                    self._enter(spec)
            with clock(window.opens_at + dt.timedelta(days=9)):
                for spec in _merges_first(specs):
                    if spec.stage in (Stage.WITHDRAWN, Stage.MERGED):
                        self._advance(spec)
            with clock(window.closes_at):
                window_apply(window=window, when=window.closes_at)

    # --- the company --------------------------------------------------------

    def _people(self) -> None:
        departments: dict[str, Department] = {}
        for code, name, parent in DEPARTMENTS:
            departments[code], _ = Department.objects.get_or_create(
                code=code,
                defaults={"name": name, "parent": departments.get(parent)},
            )
        # One hash for everyone: hashing ~50 passwords one by one takes most
        # of a minute, and the demo password is public anyway.
        password = make_password(settings.HORSERACE_DEMO_PASSWORD)
        for number, person in enumerate(PEOPLE, start=1):
            roles = person.roles
            self.people[person.key] = User.objects.create(
                email=person.email,
                password=password,
                display_name=person.name,
                employee_number=f"DM{20100 + number * 37:06d}",
                department=departments[person.department],
                manager=self.people.get(person.manager),
                locale=person.locale,
                time_zone=person.time_zone,
                is_mentor="mentor" in roles,
                is_evaluator="evaluator" in roles,
                is_hr_admin="hr" in roles,
                is_staff="superuser" in roles,
                is_superuser="superuser" in roles,
            )
        # Verified addresses, so allauth never asks a demo user to confirm.
        EmailAddress.objects.bulk_create(
            EmailAddress(user=user, email=user.email, verified=True, primary=True)
            for user in self.people.values()
        )

    # --- the season -------------------------------------------------------

    def _season(self) -> None:
        today = self.now.date()
        season = Season.objects.create(
            name=SEASON_NAME,
            year=SEASON_YEAR,
            starts_on=today - dt.timedelta(days=130),
            ends_on=today + dt.timedelta(days=200),
            status=Season.Status.OPEN,
            teams_per_person=3,
        )
        departments = {d.code: d for d in Department.objects.all()}
        for slug, spec in RACECOURSES.items():
            kind, name, parent, department, team_size, quota, description = spec
            racecourse = Racecourse.objects.create(
                season=season,
                slug=slug,
                kind=kind,
                name=name,
                parent=self.racecourses.get(parent),
                department=departments.get(department),
                team_size_limit=team_size,
                promotion_quota=quota,
                description=description,
            )
            racecourse.admins.set(self.people[k] for k in RACECOURSE_ADMINS[slug])
            self.racecourses[slug] = racecourse
        for slug, stage, opens, closes, rule, options in WINDOWS:
            StageWindow.objects.create(
                racecourse=self.racecourses[slug],
                stage=stage,
                opens_at=self.now + dt.timedelta(days=opens),
                closes_at=self.now + dt.timedelta(days=closes),
                rule=rule,
                top_k=options.get("k"),
                threshold_rate=Decimal(options["rate"]) if "rate" in options else None,
                threshold_min_voters=options.get("voters"),
                support_budget=options.get("budget"),
                missing_proposal=options.get("missing", "eliminate"),
            )
        for key, slug, title, sponsor, prize, brief in CHALLENGES:
            self.challenges[key] = Challenge.objects.create(
                racecourse=self.racecourses[slug],
                title=title,
                brief=brief,
                sponsor=self.people[sponsor],
                prize=prize,
            )
        self.resources, self.trainers = catalogue_seed(
            season=season, people=self.people, racecourses=self.racecourses
        )

    # --- the ideas ----------------------------------------------------------

    def _enter(self, spec: IdeaSpec) -> None:
        """Create the idea, gather its team and register it when it got that far."""
        captain = self.people[spec.captain]
        idea = idea_create(
            author=captain,
            racecourse=self.racecourses[spec.racecourse],
            challenge=self.challenges.get(spec.challenge),
            title=spec.title,
            pitch=spec.pitch,
            problem=spec.problem,
            proposal=spec.proposal,
            visibility=Visibility.EVERYONE if spec.screened_openly else spec.visibility,
            anonymous=spec.anonymous,
        )
        self.ideas[spec.title] = idea
        for key in spec.members:
            invitation = team_invite(
                idea=idea,
                actor=captain,
                invitee=self.people[key],
                message=f"Would you join “{spec.title}”? We need your experience.",
            )
            invitation_accept(invitation=invitation, actor=self.people[key])
        if spec.stage == Stage.DRAFT or spec.via == "draft":
            return
        idea_register(idea=idea, actor=captain)
        for key in spec.joiners:
            request = join_request_create(
                idea=idea,
                actor=self.people[key],
                message="I have worked on this problem before; count me in?",
            )
            join_request_accept(join_request=request, actor=captain)

    def _planted_clock(self, spec: IdeaSpec):
        """When a farm idea was planted: inside the farm's first round if that
        round has closed (so the idea joined it and its close judged it), in
        its last day for one that is still registered (too late for that
        round: it waited for the next), else now."""
        if spec.racecourse != "farm":
            return contextlib.nullcontext()
        first = StageWindow.objects.filter(
            racecourse=self.racecourses["farm"], stage=WindowStage.SCREENING, round=1
        ).first()
        if first is None or first.closes_at > self.now:
            return contextlib.nullcontext()
        if spec.stage == Stage.REGISTERED:
            return clock(first.closes_at - dt.timedelta(hours=12))
        return clock(first.opens_at + dt.timedelta(days=2))

    def _advance(self, spec: IdeaSpec) -> None:
        """Walk a registered idea on to its demo stage through the funnel.

        Only for racecourses whose registration is still open (the farm's
        never closes): elsewhere the windows' closes moved the ideas on.
        """
        idea = self.ideas[spec.title]
        captain = self.people[spec.captain]
        hr = self.people["hr"]
        if spec.stage == Stage.WITHDRAWN:
            idea_withdraw(idea=idea, actor=captain, reason=spec.outcome)
            return
        if spec.stage == Stage.MERGED:
            funnel.idea_merge(
                idea=idea,
                into=self.ideas[spec.merge_into],
                actor=hr,
                reason=spec.outcome,
            )
            return
        if spec.stage == Stage.ELIMINATED:
            steps = _ELIMINATED_VIA[spec.via]
        else:
            steps = _PATHS.get(spec.stage, [])
        for step in steps:
            if step == Stage.SCREENING:
                idea.refresh_from_db(fields=["stage"])
                if idea.stage == Stage.SCREENING:
                    continue  # joined an open round when it was registered
                funnel.idea_open_screening(
                    idea=idea, reason="Registration closed; online screening opened."
                )
            elif step == Stage.GESTATION:
                # The demo records no ballots yet, so it claims no vote counts.
                funnel.idea_pass_screening(
                    idea=idea, actor=hr, reason="Shortlisted after online screening."
                )
            elif step == Stage.ELIMINATED:
                # Screening votes decide on their own.
                funnel.idea_eliminate(idea=idea, actor=None, reason=spec.outcome)

    def _later_stages(self) -> None:
        """Gestation, offline evaluation and realization on the main racecourse.

        Projects that moved on go through gestation first (their trainers'
        seats are free again when they hand in their proposals), then the
        panel meets for all of them at once, then realization starts.
        """
        main = self.racecourses["main"]
        past = [s for s in IDEAS if s.racecourse == "main" and _past_gestation(s)]
        gestating = [
            s for s in IDEAS if s.racecourse == "main" and s.stage == Stage.GESTATION
        ]
        evaluation_setup(people=self.people, racecourse=main)
        gestation_seed(
            specs=past + gestating,
            people=self.people,
            ideas=self.ideas,
            resources=self.resources,
            trainers=self.trainers,
            today=timezone.localdate(self.now),
        )
        evaluation_seed(
            specs=past, people=self.people, ideas=self.ideas, racecourse=main
        )
        realization_seed(
            specs=[s for s in past if s.stage in (Stage.REALIZATION, Stage.REALIZED)],
            people=self.people,
            ideas=self.ideas,
            today=timezone.localdate(self.now),
        )

    def _pending(self, spec: IdeaSpec) -> None:
        """Invitations and join requests still waiting for an answer."""
        idea = self.ideas[spec.title]
        for key in spec.invited:
            team_invite(
                idea=idea,
                actor=self.people[spec.captain],
                invitee=self.people[key],
                message="We could use someone who knows search. Interested?",
            )
        for key in spec.asking:
            join_request_create(
                idea=idea,
                actor=self.people[key],
                message="I run a small shop's back end on weekends; may I help?",
            )


def logins_table() -> str:
    """The well-known demo logins, as printed by ``seed_demo`` and ``make run``."""
    names = dict(
        User.objects.filter(email__endswith=f"@{DOMAIN}").values_list(
            "email", "display_name"
        )
    )
    rows = [("role", "e-mail", "name", "")] + [
        (role, email, names.get(email, ""), note) for role, email, note in LOGINS
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [
        f"Demo logins (every demo account's password: "
        f"{settings.HORSERACE_DEMO_PASSWORD})",
    ]
    for role, email, name, note in rows:
        lines.append(
            f"  {role:<{widths[0]}}  {email:<{widths[1]}}  {name:<{widths[2]}}  {note}"
        )
    return "\n".join(line.rstrip() for line in lines)
