"""The world the leak matrix walks: ideas of every kind at every stage.

Every idea is built the way the platform would build it, through the services
and the funnel wrappers, and carries unique marker strings in everything a
viewer might not be allowed to see: its content (title, pitch, problem,
proposal, attachments and their files, milestones, progress updates, the
proposal's summary, document and files, resource requests, the investment
plan, tranche reviews, outcome notes), the names of the people behind it
(captain, member, invitee, join requester: display names, e-mails and their
department), the trainer's session notes, the panel's notes and discussion,
and the evaluators' comments for the team.

A marker reads ``xqz<kind><stage><class><n>zqx`` (lower-case letters and
digits only, so HTML and JSON carry it unchanged), so a marker found in a
response names the idea (kind and stage) and the class of data it belongs to.

The people around the ideas have one role each (see ``ROLES``); the captain
and the member are per idea, everyone else is shared by every idea.
"""

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from contests.models import (
    Challenge,
    Racecourse,
    Resource,
    ResourceBudget,
    ResourceKind,
    ResourceUnit,
    Season,
    StageWindow,
    Trainer,
    WindowStage,
)
from horserace.accounts.models import Department, User
from ideas import funnel
from ideas.discussion.services import comment_post, comment_report
from ideas.gestation.services.progress import milestone_create, progress_update_post
from ideas.gestation.services.proposal import final_proposal_submit
from ideas.gestation.services.resources import resource_request_create
from ideas.models import Attachment, Stage, Visibility
from ideas.realization.services.allocations import time_allocation_propose
from ideas.realization.services.outcomes import outcome_record
from ideas.realization.services.plan import investment_plan_create
from ideas.realization.services.reviews import tranche_approve, tranche_review_submit
from ideas.services.attachments import attachment_add
from ideas.services.ideas import idea_create, idea_withdraw
from ideas.services.registration import idea_register
from ideas.services.teams import invitation_accept, join_request_create, team_invite
from voting.evaluation.assignments.assign import assignment_add
from voting.evaluation.conflicts.declared import conflict_declare
from voting.evaluation.panel.decision import panel_comment_add, panel_decide
from voting.evaluation.scorecards.selectors import rubric_of
from voting.evaluation.scorecards.services import scorecard_submit

# --- what the matrix is made of ------------------------------------------------

#: Idea kinds (README.md, "Who sees what"): code → label.
KINDS = {
    "pub": "public",
    "dep": "department",
    "con": "confidential",
    "ano": "anonymous",
    "bli": "blind",
}
#: The stages the funnel lets an idea reach (merged is a final stage of its own,
#: the idea then lives on in another one): code → stage.
STAGES = {
    "dra": Stage.DRAFT,
    "reg": Stage.REGISTERED,
    "scr": Stage.SCREENING,
    "ges": Stage.GESTATION,
    "eva": Stage.EVALUATION,
    "rea": Stage.REALIZATION,
    "rzd": Stage.REALIZED,
    "eli": Stage.ELIMINATED,
    "wit": Stage.WITHDRAWN,
}
#: Marker classes: code → name used in failure messages.
CLASSES = {
    "ti": "TITLE",
    "ct": "CONTENT",
    "nm": "NAMES",
    "ss": "SESSION_NOTES",
    "pn": "PANEL_NOTES",
    "tc": "TEAM_COMMENTS",
    "dk": "DESK",
}
ROLES = [
    "anonymous",
    "employee",
    "member",
    "captain",
    "mentor_this",
    "mentor_other",
    "evaluator_assigned",
    "evaluator_unassigned",
    "evaluator_conflicted",
    "admin_this",
    "admin_other",
    "admin_granted",
    "hr",
    "hr_granted",
]
#: Roles held by one person per idea (the others are shared by all ideas).
TEAM_ROLES = ("member", "captain")

MARKER_RE = re.compile(r"xqz([a-z]{3})([a-z]{3})([a-z]{2})(\d+)zqx")

PASSWORD = "pw-12345678"


def marker(kind: str, stage: str, cls: str, n: int) -> str:
    return f"xqz{kind}{stage}{cls}{n}zqx"


# --- the facts the oracle reads -----------------------------------------------


@dataclass
class IdeaFixture:
    """One idea of the world and the facts the policy needs about it."""

    kind: str  # code of KINDS, or "oth" for the other team's idea
    stage_code: str
    idea: object
    racecourse: object
    captain: object
    member: object
    invitee: object = None
    requester: object = None
    trainer_ids: set = field(default_factory=set)  # current or former trainers
    assigned_ids: set = field(default_factory=set)  # evaluators assigned
    conflicted_ids: set = field(default_factory=set)
    submitted_ids: set = field(default_factory=set)  # evaluators with a card in
    decided: bool = False  # the panel decided
    admin_ids: set = field(default_factory=set)  # the racecourse's admins
    pool_ids: set = field(default_factory=set)  # the racecourse's evaluator pool
    objects: dict = field(default_factory=dict)  # route parameter → pk
    markers: dict = field(default_factory=dict)  # marker → class code
    department_marker: str = ""  # the NAMES marker in the team's department

    @property
    def key(self) -> str:
        return f"{self.kind}{self.stage_code}"

    @property
    def team_ids(self) -> set:
        return {self.captain.pk, self.member.pk}

    @property
    def label(self) -> str:
        return f"{KINDS.get(self.kind, 'other-team')}/{self.stage_code}"

    def mark(self, cls: str) -> str:
        """A new marker of class ``cls`` for this idea."""
        n = sum(1 for c in self.markers.values() if c == cls) + 1
        value = marker(self.kind, self.stage_code, cls, n)
        self.markers[value] = cls
        return value


@dataclass
class World:
    people: dict  # role → user (shared roles only)
    racecourses: dict  # "main", "dept", "blind", "other" → Racecourse
    season: object
    challenge: object
    ideas: list  # every IdeaFixture, the other team's last
    grants: set = field(default_factory=set)  # (user pk, idea pk, "open"/"unmask")
    hr_setup: object = None

    def by_key(self) -> dict:
        return {f.key: f for f in self.ideas}

    def user_for(self, role: str, fixture: IdeaFixture | None):
        if role == "anonymous":
            return None
        if role in TEAM_ROLES:
            return getattr(fixture, role)
        return self.people[role]

    def audience_department_ids(self, racecourse) -> set | None:
        """Departments that may read a department-only idea of ``racecourse``."""
        if racecourse.kind != Racecourse.Kind.DEPARTMENT or not racecourse.department:
            return None  # everyone
        return racecourse.department.descendant_ids()


# --- building it -------------------------------------------------------------

_seq = itertools.count(1)


def _user(display_name: str, email: str | None = None, **fields) -> User:
    n = next(_seq)
    user = User(
        email=email or f"leakperson{n}@example.com",
        display_name=display_name,
        employee_number=f"L{n:06d}",
        **fields,
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def _department(name: str, parent=None) -> Department:
    n = next(_seq)
    return Department.objects.create(name=name, code=f"leak-{n}", parent=parent)


def _people() -> dict:
    staff = _department("Staff office")
    outside = _department("Warehouse operations")
    return {
        "employee": _user("Outside Employee", department=outside),
        "mentor_this": _user("Trainer This", department=staff, is_mentor=True),
        "mentor_other": _user("Trainer Other", department=staff, is_mentor=True),
        "evaluator_assigned": _user(
            "Evaluator Assigned", department=staff, is_evaluator=True
        ),
        "evaluator_unassigned": _user(
            "Evaluator Unassigned", department=staff, is_evaluator=True
        ),
        "evaluator_conflicted": _user(
            "Evaluator Conflicted", department=staff, is_evaluator=True
        ),
        "admin_this": _user("Admin This", department=staff),
        "admin_other": _user("Admin Other", department=staff),
        "admin_granted": _user("Admin Granted", department=staff),
        "hr": _user("HR Plain", department=staff, is_hr_admin=True),
        "hr_granted": _user("HR Granted", department=staff, is_hr_admin=True),
    }


def _racecourses(season, people) -> dict:
    audience = _department("Audience division")
    main = Racecourse.objects.create(
        season=season, name="Main course", slug="leak-main", kind="main",
        team_size_limit=8,
    )  # fmt: skip
    dept = Racecourse.objects.create(
        season=season, name="Division course", slug="leak-dept", kind="department",
        department=audience, parent=main, team_size_limit=8,
    )  # fmt: skip
    blind = Racecourse.objects.create(
        season=season, name="Blind course", slug="leak-blind", kind="department",
        parent=main, blind_evaluation=True, team_size_limit=8,
    )  # fmt: skip
    other = Racecourse.objects.create(
        season=season, name="Other course", slug="leak-other", kind="department",
        parent=main, team_size_limit=8,
    )  # fmt: skip
    now = timezone.now()
    for rc in (main, dept, blind, other):
        rc.max_projects_per_evaluator = 200
        rc.evaluators_per_project = 1
        rc.save(update_fields=["max_projects_per_evaluator", "evaluators_per_project"])
        for stage in (WindowStage.REGISTRATION, WindowStage.GESTATION):
            StageWindow.objects.create(
                racecourse=rc,
                stage=stage,
                opens_at=now - dt.timedelta(days=1),
                closes_at=now + dt.timedelta(days=7),
                rule=StageWindow.Rule.MANUAL,
            )
        rc.evaluators.add(
            people["evaluator_assigned"],
            people["evaluator_unassigned"],
            people["evaluator_conflicted"],
        )
    for rc in (main, dept, blind):
        rc.admins.add(people["admin_this"], people["admin_granted"])
    other.admins.add(people["admin_other"])
    return {"main": main, "dept": dept, "blind": blind, "other": other}


def _catalogue(season, racecourses, people) -> dict:
    from tests.factories_scoring import rubric_for

    resource = Resource.objects.create(
        season=season,
        kind=ResourceKind.TEST_ENVIRONMENT,
        name="Staging cluster",
        unit=ResourceUnit.SLOTS,
    )
    for rc in racecourses.values():
        ResourceBudget.objects.create(
            resource=resource, racecourse=rc, amount=Decimal(1000)
        )
        rubric_for(rc, actor=people["hr_setup"])
    trainers = {
        role: Trainer.objects.create(season=season, user=people[role], capacity=200)
        for role in ("mentor_this", "mentor_other")
    }
    return {"resource": resource, "trainers": trainers}


def _upload(name: str, body: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body.encode(), content_type="text/plain")


def _build_idea(kind, stage_code, *, racecourse, people, catalogue, line_manager):
    """One idea walked to its stage, with a marker in everything it carries."""
    from ideas.gestation.services import trainers
    from voting.models import Conflict, PanelDecision

    stage = STAGES.get(stage_code, Stage.GESTATION)
    hr = people["hr_setup"]
    # ``f`` collects the markers while the idea is built; people first.
    f = IdeaFixture(kind, stage_code, None, racecourse, None, None)
    parent = racecourse.department if kind == "dep" else None
    f.department_marker = f.mark("nm")
    team_dept = _department(f"Team {f.department_marker}", parent=parent)

    def person(prefix, **kw):
        return _user(
            f"{prefix} {f.mark('nm')}",
            email=f"{f.mark('nm')}@example.com",
            department=team_dept,
            **kw,
        )

    f.captain = person("Captain")
    f.member = person("Member", manager=line_manager)
    f.invitee = person("Invitee")
    f.requester = person("Requester")
    visibility = {
        "dep": Visibility.RACECOURSE,
        "con": Visibility.CONFIDENTIAL,
    }.get(kind, Visibility.EVERYONE)
    idea = idea_create(
        author=f.captain,
        racecourse=racecourse,
        title=f"Idea {f.mark('ti')}",
        pitch=f"Pitch {f.mark('ct')}",
        problem=f"Problem {f.mark('ct')}",
        proposal=f"Proposal {f.mark('ct')}",
        visibility=visibility,
        anonymous=kind == "ano",
    )
    f.idea = idea
    captain = f.captain
    invitation = team_invite(idea=idea, actor=captain, invitee=f.member)
    invitation_accept(invitation=invitation, actor=f.member)
    attachment = attachment_add(
        idea=idea,
        actor=captain,
        upload=_upload(f"{f.mark('ct')}.txt", f"Attachment {f.mark('ct')}"),
    )
    f.objects["attachment"] = attachment.pk
    pending = team_invite(
        idea=idea, actor=captain, invitee=f.invitee, message="Join us"
    )
    f.objects["invitation"] = pending.pk
    f.objects["team_member_user"] = f.member.pk
    # The discussion: a team member's comment (the team's words, under a
    # name only those who may see the team may read), reported by the captain.
    comment = comment_post(idea=idea, actor=f.member, body=f"Comment {f.mark('ct')}")
    comment_report(comment=comment, actor=captain, reason=f"Report {f.mark('ct')}")
    f.objects["comment"] = comment.pk
    if stage == Stage.DRAFT:
        return f

    idea_register(idea=idea, actor=captain)
    if kind != "con":  # nobody outside may see a confidential idea to ask
        join = join_request_create(idea=idea, actor=f.requester, message="May I help?")
        f.objects["join_request"] = join.pk
    if stage == Stage.REGISTERED:
        return f

    funnel.idea_transition(idea=idea, to=Stage.SCREENING, actor=hr, reason="Opens")
    if stage == Stage.SCREENING:
        return f

    funnel.idea_transition(idea=idea, to=Stage.GESTATION, actor=hr, reason="Passed")
    idea.refresh_from_db()
    trainer = catalogue["trainers"]["mentor_other" if kind == "oth" else "mentor_this"]
    assignment = trainers.trainer_assign(idea=idea, actor=hr, trainer=trainer)
    f.trainer_ids.add(trainer.user_id)
    f.objects["trainer_assignment"] = assignment.pk
    trainers.trainer_session_log(
        assignment=assignment,
        actor=trainer.user,
        held_on=timezone.localdate(),
        topic=f"Topic {f.mark('ss')}",
        notes=f"Notes {f.mark('ss')}",
    )
    milestone = milestone_create(
        idea=idea, actor=captain, title=f"Milestone {f.mark('ct')}"
    )
    f.objects["milestone"] = milestone.pk
    progress_update_post(
        idea=idea, actor=f.member, body=f"Update {f.mark('ct')}", milestone=milestone
    )
    request = resource_request_create(
        idea=idea,
        actor=captain,
        resource=catalogue["resource"],
        amount=Decimal(2),
        justification=f"Because {f.mark('dk')}",
    )
    f.objects["resource_request"] = request.pk
    proposal_file = attachment_add(
        idea=idea,
        actor=captain,
        upload=_upload(f"{f.mark('ct')}.txt", f"Proposal file {f.mark('ct')}"),
        kind=Attachment.Kind.PROPOSAL,
    )
    f.objects["proposal_file"] = proposal_file.pk
    conflicted = people["evaluator_conflicted"]
    conflict = conflict_declare(
        actor=conflicted,
        idea=idea,
        evaluator=conflicted,
        kind=Conflict.Kind.PERSONAL,
        note="My brother-in-law",
    )
    f.conflicted_ids.add(conflicted.pk)
    f.objects["conflict"] = conflict.pk
    if stage == Stage.GESTATION:
        return f
    if stage == Stage.WITHDRAWN:
        idea_withdraw(idea=idea, actor=captain, reason="We stop.")
        return f

    final_proposal_submit(
        idea=idea,
        actor=captain,
        summary=f"Summary {f.mark('ct')}",
        document=f"Document {f.mark('ct')}",
    )
    idea.refresh_from_db()
    evaluator = people["evaluator_assigned"]
    eval_assignment = assignment_add(actor=hr, idea=idea, evaluator=evaluator)
    f.assigned_ids.add(evaluator.pk)
    f.objects["eval_assignment"] = eval_assignment.pk
    criteria = list(rubric_of(racecourse).criteria.all())
    scorecard_submit(
        actor=evaluator,
        idea=idea,
        scores={c.pk: c.scale_max for c in criteria},
        team_comment=f"Team comment {f.mark('tc')}",
        panel_note=f"Panel note {f.mark('pn')}",
    )
    f.submitted_ids.add(evaluator.pk)
    panel_comment_add(actor=hr, idea=idea, body=f"Discussion {f.mark('pn')}")
    if stage == Stage.EVALUATION:
        return f

    f.decided = True
    if stage == Stage.ELIMINATED:
        panel_decide(
            actor=hr, idea=idea, outcome=PanelDecision.Outcome.ELIMINATED,
            feedback="Not this year.",
        )  # fmt: skip
        return f
    panel_decide(
        actor=hr, idea=idea, outcome=PanelDecision.Outcome.SELECTED,
        feedback="Go for it.",
    )  # fmt: skip
    idea.refresh_from_db()
    plan = investment_plan_create(
        idea=idea,
        actor=hr,
        tranches=[
            {"amount": Decimal(100), "milestone": f"Pilot {f.mark('dk')}"},
            {"amount": Decimal(200), "milestone": f"Scale {f.mark('dk')}"},
        ],
    )
    first, second = plan.tranches.order_by("position")
    f.objects["tranche"] = first.pk
    outcome = outcome_record(
        idea=idea,
        actor=hr,
        kind="time",
        notes=f"Outcome {f.mark('dk')}",
    )
    f.objects["outcome"] = outcome.pk
    # The captain proposes: HR would have to unmask an anonymous team first.
    allocation = time_allocation_propose(
        idea=idea, actor=f.captain, member=f.member, share=20
    )
    f.objects["allocation"] = allocation.pk
    tranche_review_submit(
        tranche=first, actor=f.member, review=f"Review {f.mark('dk')}"
    )
    if stage == Stage.REALIZATION:
        return f
    tranche_approve(tranche=first, actor=hr)
    tranche_review_submit(
        tranche=second, actor=f.member, review=f"Review {f.mark('dk')}"
    )
    tranche_approve(tranche=second, actor=hr)
    return f


def _racecourse_of(kind, racecourses):
    return racecourses[
        {"dep": "dept", "bli": "blind", "oth": "other"}.get(kind, "main")
    ]


def build_world(*, kinds=tuple(KINDS), stages=tuple(STAGES)) -> World:
    """Everyone and every idea; ``grant_access`` is called for the granted roles."""
    from .conftest import grant_access

    season = Season.objects.create(
        name="Leak season",
        year=2026,
        starts_on=timezone.now().date() - dt.timedelta(days=30),
        ends_on=timezone.now().date() + dt.timedelta(days=150),
        status=Season.Status.OPEN,
        teams_per_person=50,
    )
    people = _people()
    people["hr_setup"] = _user("HR Setup", is_hr_admin=True)
    line_manager = _user("Line Manager")
    racecourses = _racecourses(season, people)
    catalogue = _catalogue(season, racecourses, people)
    challenge = Challenge.objects.create(
        racecourse=racecourses["main"],
        title="Company topic",
        brief="Find a better way.",
        sponsor=people["hr_setup"],
    )
    fixtures = []
    for kind in kinds:
        for stage_code in stages:
            fixtures.append(
                _build_idea(
                    kind,
                    stage_code,
                    racecourse=_racecourse_of(kind, racecourses),
                    people=people,
                    catalogue=catalogue,
                    line_manager=line_manager,
                )
            )
    fixtures.append(
        _build_idea(
            "oth",
            "ges",
            racecourse=racecourses["other"],
            people=people,
            catalogue=catalogue,
            line_manager=line_manager,
        )
    )
    hr_setup = people.pop("hr_setup")
    world = World(people, racecourses, season, challenge, fixtures, hr_setup=hr_setup)
    for f in fixtures:
        f.idea.refresh_from_db()
        f.admin_ids = set(f.racecourse.admins.values_list("pk", flat=True))
        f.pool_ids = set(f.racecourse.evaluators.values_list("pk", flat=True))
        for role in ("hr_granted", "admin_granted"):
            user = people[role]
            if not (user.is_hr_admin or user.pk in f.admin_ids):
                continue
            for what, applies in (
                ("open", f.kind == "con"),
                ("unmask", f.kind == "ano"),
            ):
                if applies and grant_access(
                    user, f.idea, what, "Leak matrix: a logged look at it"
                ):
                    world.grants.add((user.pk, f.idea.pk, what))
    return world
