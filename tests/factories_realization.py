"""Test state for realization, built through the services and the funnel.

``realization_world`` gives one person per role around a project in
realization on a department racecourse: its captain and a member (who has a
manager), HR, the racecourse's admin, the member's manager, and a colleague
with no part in it.
"""

from dataclasses import dataclass
from decimal import Decimal

from contests.models import Racecourse
from ideas.models import Stage
from ideas.services.realization.closing import realization_close
from ideas.services.realization.plan import investment_plan_create
from ideas.services.realization.reviews import tranche_approve, tranche_review_submit
from ideas.services.teams import invitation_accept, team_invite
from tests.factories import (
    DepartmentFactory,
    RacecourseFactory,
    SeasonFactory,
    StageWindowFactory,
    UserFactory,
    idea_in_stage,
)


def add_member(idea, user):
    """Put ``user`` on the idea's team (the captain invites, they accept)."""
    captain = idea.memberships.get(role="captain").user
    invitation_accept(
        invitation=team_invite(idea=idea, actor=captain, invitee=user), actor=user
    )
    return user


def project(stage=Stage.REALIZATION, *, racecourse=None, captain=None, **fields):
    """An idea walked through the funnel to ``stage`` (realization by default)."""
    return idea_in_stage(stage, author=captain, racecourse=racecourse, **fields)


def plan_for(idea, *, actor, amounts=("1000", "2000", "3000"), currency="CNY"):
    """An investment plan with one tranche per amount (milestones M1, M2, …)."""
    return investment_plan_create(
        idea=idea,
        actor=actor,
        currency=currency,
        tranches=[
            {"amount": Decimal(a), "milestone": f"M{i}"}
            for i, a in enumerate(amounts, start=1)
        ],
    )


def release(tranche, *, team_member, hr):
    """Submit the tranche's review and have HR approve it."""
    tranche_review_submit(tranche=tranche, actor=team_member, review="Done.")
    return tranche_approve(tranche=tranche, actor=hr)


@dataclass
class World:
    racecourse: Racecourse
    idea: object
    captain: object
    member: object
    manager: object
    hr: object
    admin: object
    colleague: object


CLOSED = "closed"  # eliminated after realization (HR closed the project)


def realization_world(stage=Stage.REALIZATION, **fields) -> World:
    """A project in ``stage`` with a captain, a member and everyone around it.

    ``stage`` is a live stage (gestation, evaluation, realization), ``realized``
    (its one-tranche plan released) or ``CLOSED`` (HR closed it in
    realization). The member joins while the idea is live.
    """
    department = DepartmentFactory()
    racecourse = RacecourseFactory(
        season=SeasonFactory(teams_per_person=50),
        kind=Racecourse.Kind.MAIN,
        team_size_limit=20,
    )
    StageWindowFactory(racecourse=racecourse)
    captain = UserFactory(department=department)
    manager = UserFactory(department=department, display_name="The Manager")
    member = UserFactory(department=department, manager=manager)
    hr = UserFactory(is_hr_admin=True)
    admin = UserFactory()
    racecourse.admins.add(admin)
    colleague = UserFactory(department=department)
    walk_to = Stage.REALIZATION if stage in (Stage.REALIZED, CLOSED) else stage
    idea = project(walk_to, racecourse=racecourse, captain=captain, **fields)
    add_member(idea, member)
    if stage == Stage.REALIZED:
        plan = plan_for(idea, actor=hr, amounts=("100",))
        release(plan.tranches.get(), team_member=member, hr=hr)
    elif stage == CLOSED:
        realization_close(idea=idea, actor=hr, reason="Market moved on.")
    idea.refresh_from_db()
    return World(racecourse, idea, captain, member, manager, hr, admin, colleague)
