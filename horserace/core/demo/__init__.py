"""A demo company for ``make run``: built once, through the services and the funnel.

``demo_seed`` makes the departments and people directly (as an HR import
would), the season as an HR admin would in the Django admin, every idea,
team and stage change through ``ideas.services`` and ``ideas.funnel``, and
every ballot, tally and window close through ``voting.services`` and
``contests.services.closing`` (see ``screening``), so the demo holds exactly
the rows the platform itself would have written.
"""

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

from contests.models import Challenge, Racecourse, Season, StageWindow
from horserace.accounts.models import Department, User
from ideas import funnel, services
from ideas.models import Idea, Stage

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
from .ideas import IDEAS, IdeaSpec
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

# The stages an idea passes on its way to each demo stage, after registration.
_PATHS = {
    Stage.REGISTERED: [],
    Stage.SCREENING: [Stage.SCREENING],
    Stage.GESTATION: [Stage.SCREENING, Stage.GESTATION],
    Stage.EVALUATION: [Stage.SCREENING, Stage.GESTATION, Stage.EVALUATION],
    Stage.REALIZATION: [
        Stage.SCREENING, Stage.GESTATION, Stage.EVALUATION, Stage.REALIZATION,
    ],
    Stage.REALIZED: [
        Stage.SCREENING, Stage.GESTATION, Stage.EVALUATION, Stage.REALIZATION,
        Stage.REALIZED,
    ],
}  # fmt: skip
_ELIMINATED_VIA = {
    "screening": [Stage.SCREENING],
    "evaluation": [Stage.SCREENING, Stage.GESTATION, Stage.EVALUATION],
}


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
        logging.getLogger("contests.services.closing"),
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

    def build(self) -> None:
        self._people()
        self._season()
        for spec in IDEAS:
            self._enter(spec)
        # Merges first: their targets must still be live when merged into.
        ordered = sorted(IDEAS, key=lambda s: s.stage != Stage.MERGED)
        for spec in ordered:
            self._advance(spec)
        for spec in IDEAS:
            self._pending(spec)
        screening_seed(
            people=self.people,
            racecourses=self.racecourses,
            ideas=self.ideas,
            now=self.now,
        )

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
            starts_on=today - dt.timedelta(days=30),
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
            )
        for key, slug, title, sponsor, prize, brief in CHALLENGES:
            self.challenges[key] = Challenge.objects.create(
                racecourse=self.racecourses[slug],
                title=title,
                brief=brief,
                sponsor=self.people[sponsor],
                prize=prize,
            )

    # --- the ideas ----------------------------------------------------------

    def _enter(self, spec: IdeaSpec) -> None:
        """Create the idea, gather its team and register it when it got that far."""
        captain = self.people[spec.captain]
        idea = services.idea_create(
            author=captain,
            racecourse=self.racecourses[spec.racecourse],
            challenge=self.challenges.get(spec.challenge),
            title=spec.title,
            pitch=spec.pitch,
            problem=spec.problem,
            proposal=spec.proposal,
            visibility=spec.visibility,
            anonymous=spec.anonymous,
        )
        self.ideas[spec.title] = idea
        for key in spec.members:
            invitation = services.team_invite(
                idea=idea,
                actor=captain,
                invitee=self.people[key],
                message=f"Would you join “{spec.title}”? We need your experience.",
            )
            services.invitation_accept(invitation=invitation, actor=self.people[key])
        if spec.stage == Stage.DRAFT or spec.via == "draft":
            return
        services.idea_register(idea=idea, actor=captain)
        for key in spec.joiners:
            request = services.join_request_create(
                idea=idea,
                actor=self.people[key],
                message="I have worked on this problem before; count me in?",
            )
            services.join_request_accept(join_request=request, actor=captain)

    def _advance(self, spec: IdeaSpec) -> None:
        """Walk a registered idea on to its demo stage through the funnel."""
        idea = self.ideas[spec.title]
        captain = self.people[spec.captain]
        hr = self.people["hr"]
        if spec.stage == Stage.WITHDRAWN:
            services.idea_withdraw(idea=idea, actor=captain, reason=spec.outcome)
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
            steps = _ELIMINATED_VIA[spec.via] + [Stage.ELIMINATED]
        else:
            steps = _PATHS.get(spec.stage, [])
        for step in steps:
            last = step == steps[-1]
            if step == Stage.SCREENING:
                funnel.idea_open_screening(
                    idea=idea, reason="Registration closed; online screening opened."
                )
            elif step == Stage.GESTATION:
                # The demo records no ballots yet, so it claims no vote counts.
                funnel.idea_pass_screening(
                    idea=idea, actor=hr, reason="Shortlisted after online screening."
                )
            elif step == Stage.EVALUATION:
                funnel.idea_submit_proposal(
                    idea=idea, actor=captain, reason="Final proposal handed in."
                )
            elif step == Stage.REALIZATION:
                selected = "Selected by the evaluation panel."
                funnel.idea_select(
                    idea=idea, actor=hr, reason=spec.outcome if last else selected
                )
            elif step == Stage.REALIZED:
                funnel.idea_complete(idea=idea, actor=hr, reason=spec.outcome)
            elif step == Stage.ELIMINATED:
                # Screening votes decide on their own; the panel is a person.
                actor = hr if spec.via == "evaluation" else None
                funnel.idea_eliminate(idea=idea, actor=actor, reason=spec.outcome)

    def _pending(self, spec: IdeaSpec) -> None:
        """Invitations and join requests still waiting for an answer."""
        idea = self.ideas[spec.title]
        for key in spec.invited:
            services.team_invite(
                idea=idea,
                actor=self.people[spec.captain],
                invitee=self.people[key],
                message="We could use someone who knows search. Interested?",
            )
        for key in spec.asking:
            services.join_request_create(
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
