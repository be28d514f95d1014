"""factory-boy factories shared by every app's tests.

Factories build plain rows; tests that need an idea in a later stage build it
through the services and the funnel (see ``idea_in_stage``), never by setting
``stage`` directly.
"""

import datetime as dt

import factory
from django.utils import timezone

from contests.models import Challenge, Racecourse, Season, StageWindow, WindowStage
from horserace.accounts.models import Department, User


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Department {n}")
    code = factory.Sequence(lambda n: f"dept-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    display_name = factory.Sequence(lambda n: f"Employee {n}")
    employee_number = factory.Sequence(lambda n: f"E{n:06d}")
    password = factory.PostGenerationMethodCall("set_password", "pw-12345678")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()


class SeasonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Season

    name = factory.Sequence(lambda n: f"Season {n}")
    year = 2026
    starts_on = factory.LazyFunction(
        lambda: timezone.now().date() - dt.timedelta(days=30)
    )
    ends_on = factory.LazyFunction(
        lambda: timezone.now().date() + dt.timedelta(days=150)
    )
    status = Season.Status.OPEN


class RacecourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Racecourse

    season = factory.SubFactory(SeasonFactory)
    name = factory.Sequence(lambda n: f"Racecourse {n}")
    slug = factory.Sequence(lambda n: f"racecourse-{n}")
    kind = Racecourse.Kind.DEPARTMENT
    team_size_limit = 5


class ChallengeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Challenge

    racecourse = factory.SubFactory(RacecourseFactory)
    title = factory.Sequence(lambda n: f"Challenge {n}")
    brief = "Find a better way."
    sponsor = factory.SubFactory(UserFactory)


class StageWindowFactory(factory.django.DjangoModelFactory):
    """A window open from a day ago to a week from now."""

    class Meta:
        model = StageWindow

    racecourse = factory.SubFactory(RacecourseFactory)
    stage = WindowStage.REGISTRATION
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    rule = StageWindow.Rule.MANUAL


def open_racecourse(**kwargs) -> Racecourse:
    """A main racecourse whose registration window is open now."""
    kwargs.setdefault("kind", Racecourse.Kind.MAIN)
    racecourse = RacecourseFactory(**kwargs)
    StageWindowFactory(racecourse=racecourse, stage=WindowStage.REGISTRATION)
    return racecourse


def idea_draft(*, author=None, racecourse=None, **fields):
    """A draft idea made through ``idea_create``."""
    from ideas.services.ideas import idea_create

    author = author or UserFactory()
    racecourse = racecourse or open_racecourse()
    defaults = dict(
        title="Cold-chain sharing for small sellers",
        pitch="Let small sellers rent spare cold-chain capacity by the box.",
        problem="Small sellers cannot afford refrigerated logistics.",
        proposal="A marketplace for **spare** capacity.",
    )
    return idea_create(author=author, racecourse=racecourse, **(defaults | fields))


def idea_in_stage(stage: str, *, actor=None, **kwargs):
    """An idea walked through the funnel to ``stage`` the way the platform would."""
    from ideas import funnel
    from ideas.models import Stage
    from ideas.services.registration import idea_register

    idea = idea_draft(**kwargs)
    actor = actor or idea.author
    path = {
        Stage.DRAFT: [],
        Stage.REGISTERED: [Stage.REGISTERED],
        Stage.SCREENING: [Stage.REGISTERED, Stage.SCREENING],
        Stage.GESTATION: [Stage.REGISTERED, Stage.SCREENING, Stage.GESTATION],
        Stage.EVALUATION: [
            Stage.REGISTERED, Stage.SCREENING, Stage.GESTATION, Stage.EVALUATION
        ],
        Stage.REALIZATION: [
            Stage.REGISTERED, Stage.SCREENING, Stage.GESTATION, Stage.EVALUATION,
            Stage.REALIZATION,
        ],
        Stage.REALIZED: [
            Stage.REGISTERED, Stage.SCREENING, Stage.GESTATION, Stage.EVALUATION,
            Stage.REALIZATION, Stage.REALIZED,
        ],
        Stage.ELIMINATED: [Stage.REGISTERED, Stage.SCREENING, Stage.ELIMINATED],
        Stage.WITHDRAWN: [Stage.WITHDRAWN],
        Stage.MERGED: [Stage.MERGED],
    }[stage]  # fmt: skip
    for step in path:
        if step == Stage.REGISTERED:
            idea_register(idea=idea, actor=actor)
        elif step == Stage.MERGED:
            funnel.idea_merge(idea=idea, into=idea_draft(), actor=actor)
        else:
            funnel.idea_transition(idea=idea, to=step, actor=actor, reason="test")
    idea.refresh_from_db()
    return idea


def draft_with_members(*, members: int = 2, **fields):
    """A draft with its author as captain and ``members`` more who accepted
    invitations; returns the idea and the members."""
    from ideas.services.teams import invitation_accept, team_invite

    fields.setdefault("title", "Cold chain")
    idea = idea_draft(**fields)
    people = [UserFactory() for _ in range(members)]
    for member in people:
        invitation_accept(
            invitation=team_invite(idea=idea, actor=idea.author, invitee=member),
            actor=member,
        )
    return idea, people
