"""Registering an idea's name: window, numbering, idempotency and fingerprint."""

import datetime as dt
import hashlib
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from contests.models import Racecourse, WindowStage
from ideas.funnel import TransitionNotAllowed
from ideas.models import Idea, Registration, Stage, StageTransition
from ideas.services.ideas import idea_update
from ideas.services.registration import content_fingerprint, idea_register
from ideas.services.teams import invitation_accept, team_invite
from tests.factories import (
    RacecourseFactory,
    SeasonFactory,
    StageWindowFactory,
    UserFactory,
    idea_draft,
    idea_in_stage,
    open_racecourse,
)

pytestmark = pytest.mark.django_db


def _sha256_of_canonical_json(content: dict) -> str:
    """The recipe printed on the certificate, written out independently."""
    text = json.dumps(
        content, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _racecourse_with_window(opens_in_days: float, closes_in_days: float):
    racecourse = RacecourseFactory(kind=Racecourse.Kind.MAIN)
    now = timezone.now()
    StageWindowFactory(
        racecourse=racecourse,
        stage=WindowStage.REGISTRATION,
        opens_at=now + dt.timedelta(days=opens_in_days),
        closes_at=now + dt.timedelta(days=closes_in_days),
    )
    return racecourse


def test_register_inside_the_window_claims_the_idea():
    """Registration numbers the idea, stamps the time and fingerprints its text."""
    idea = idea_draft()
    before = timezone.now()

    registration = idea_register(idea=idea, actor=idea.author)

    assert registration.number == 1
    assert registration.season == idea.racecourse.season
    assert registration.registered_by == idea.author
    assert before <= registration.registered_at <= timezone.now()
    assert registration.content == {
        "title": idea.title,
        "pitch": idea.pitch,
        "problem": idea.problem,
        "proposal": idea.proposal,
    }
    assert registration.fingerprint == _sha256_of_canonical_json(registration.content)
    assert len(registration.fingerprint) == 64
    idea.refresh_from_db()
    assert idea.stage == Stage.REGISTERED
    record = idea.transitions.get()
    assert (record.from_stage, record.to_stage, record.actor) == (
        Stage.DRAFT,
        Stage.REGISTERED,
        idea.author,
    )


def test_registration_code_names_the_year_and_number():
    """The certificate code is HR-<year>-<number, four digits>."""
    idea = idea_draft(racecourse=open_racecourse(season__year=2031))
    registration = idea_register(idea=idea, actor=idea.author)
    assert registration.code == "HR-2031-0001"
    assert str(registration) == "2031-0001"


@pytest.mark.parametrize(
    ("opens", "closes"),
    [pytest.param(-10, -1, id="after-close"), pytest.param(1, 10, id="before-open")],
)
def test_register_outside_the_window_is_refused(opens, closes):
    """Outside the registration window nothing is registered."""
    idea = idea_draft(racecourse=_racecourse_with_window(opens, closes))
    with pytest.raises(TransitionNotAllowed):
        idea_register(idea=idea, actor=idea.author)
    assert not Registration.objects.exists()
    assert Idea.objects.get(pk=idea.pk).stage == Stage.DRAFT
    assert not StageTransition.objects.exists()


def test_register_on_the_farm_needs_no_window():
    """The Innovation Farm takes registrations at any time."""
    idea = idea_draft(racecourse=RacecourseFactory(kind=Racecourse.Kind.FARM))
    assert idea_register(idea=idea, actor=idea.author).number == 1


def test_numbers_are_sequential_within_a_season():
    """Each registration in a season gets the next number."""
    racecourse = open_racecourse()
    ideas = [idea_draft(racecourse=racecourse) for _ in range(3)]
    numbers = [idea_register(idea=i, actor=i.author).number for i in ideas]
    assert numbers == [1, 2, 3]


def test_numbers_run_across_the_racecourses_of_a_season():
    """All racecourses of one season share one sequence."""
    season = SeasonFactory()
    main = open_racecourse(season=season)
    farm = RacecourseFactory(season=season, kind=Racecourse.Kind.FARM)
    first = idea_draft(racecourse=main)
    second = idea_draft(racecourse=farm)
    assert idea_register(idea=first, actor=first.author).number == 1
    assert idea_register(idea=second, actor=second.author).number == 2


def test_numbers_are_independent_between_seasons():
    """Every season counts from one, whatever happens in another season."""
    this_year = open_racecourse(season__year=2026)
    next_year = open_racecourse(season__year=2027)
    a1, b1, a2, b2 = (
        idea_draft(racecourse=this_year),
        idea_draft(racecourse=next_year),
        idea_draft(racecourse=this_year),
        idea_draft(racecourse=next_year),
    )
    got = [idea_register(idea=i, actor=i.author) for i in (a1, b1, a2, b2)]
    assert [(r.season.year, r.number) for r in got] == [
        (2026, 1),
        (2027, 1),
        (2026, 2),
        (2027, 2),
    ]


def test_registering_twice_returns_the_first_registration():
    """A second call (a retry or double click) changes nothing."""
    idea = idea_draft()
    first = idea_register(idea=idea, actor=idea.author)
    idea_update(idea=idea, actor=idea.author, title="Edited after registering")

    again = idea_register(idea=idea, actor=idea.author)

    assert again.pk == first.pk
    assert (again.number, again.fingerprint) == (first.number, first.fingerprint)
    assert Registration.objects.count() == 1
    assert StageTransition.objects.filter(idea=idea).count() == 1


def test_a_withdrawn_idea_keeps_its_number_and_the_next_one_follows():
    """Numbers are never reused, even when the registered idea leaves the race."""
    racecourse = open_racecourse()
    first = idea_in_stage(Stage.REGISTERED, racecourse=racecourse)
    second = idea_draft(racecourse=racecourse)
    assert idea_register(idea=second, actor=second.author).number == 2
    assert first.registration.number == 1


def test_only_the_captain_may_register():
    """Team members and colleagues cannot register someone's idea."""
    idea = idea_draft()
    member = UserFactory()
    invitation_accept(
        invitation=team_invite(idea=idea, actor=idea.author, invitee=member),
        actor=member,
    )
    for actor in (member, UserFactory(), UserFactory(is_hr_admin=True)):
        with pytest.raises(PermissionDenied):
            idea_register(idea=idea, actor=actor)
    assert not Registration.objects.exists()


@pytest.mark.parametrize("stage", [Stage.WITHDRAWN, Stage.MERGED])
def test_ideas_that_left_the_race_unregistered_cannot_register(stage):
    """Only drafts can be registered."""
    idea = idea_in_stage(stage)
    with pytest.raises(PermissionDenied):
        idea_register(idea=idea, actor=idea.author)
    assert not Registration.objects.filter(idea=idea).exists()


def test_fingerprint_is_sha256_of_canonical_json():
    """Sorted keys, no spaces, UTF-8 (not \\u escapes): anyone can recompute it."""
    content = {"title": "共享冷链", "pitch": "A", "problem": "B", "proposal": "C"}
    expected = hashlib.sha256(
        '{"pitch":"A","problem":"B","proposal":"C","title":"共享冷链"}'.encode()
    ).hexdigest()
    assert content_fingerprint(content) == expected
    assert content_fingerprint(dict(reversed(list(content.items())))) == expected


def test_fingerprint_changes_with_any_character():
    """A one-character edit gives a different fingerprint."""
    content = {"title": "a", "pitch": "b", "problem": "c", "proposal": "d"}
    assert content_fingerprint(content) != content_fingerprint(
        {**content, "proposal": "d."}
    )


def test_registered_fingerprint_of_chinese_text_matches_the_recipe():
    """Registration of non-ASCII text uses the same recipe as the certificate."""
    idea = idea_draft(
        title="共享冷链", pitch="按箱租用冷链", problem="贵", proposal="平台"
    )
    registration = idea_register(idea=idea, actor=idea.author)
    assert registration.fingerprint == _sha256_of_canonical_json(
        {
            "title": "共享冷链",
            "pitch": "按箱租用冷链",
            "problem": "贵",
            "proposal": "平台",
        }
    )


def test_the_callers_idea_instance_shows_the_new_stage():
    """After registering, the instance the caller holds is at stage registered."""
    idea = idea_draft()
    idea_register(idea=idea, actor=idea.author)
    assert idea.stage == Stage.REGISTERED
