"""Creating, editing and withdrawing ideas (``ideas.services.ideas``)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from contests.models import Season
from ideas.models import Idea, Stage, TeamMembership, Visibility
from ideas.selectors import idea_changed_since_registration
from ideas.services.ideas import idea_content, idea_create, idea_update, idea_withdraw
from ideas.services.registration import idea_register
from ideas.services.teams import invitation_accept, team_invite
from tests.factories import (
    ChallengeFactory,
    RacecourseFactory,
    UserFactory,
    idea_draft,
    idea_in_stage,
    open_racecourse,
)

pytestmark = pytest.mark.django_db

TEXT = dict(
    title="  Shared cold chain  ",
    pitch="Rent spare refrigerated capacity by the box.",
    problem="Small sellers cannot afford cold logistics.",
    proposal="A *marketplace*.",
)


def _add_member(idea):
    member = UserFactory()
    invitation_accept(
        invitation=team_invite(idea=idea, actor=idea.author, invitee=member),
        actor=member,
    )
    return member


# --- idea_create ----------------------------------------------------------------------


def test_create_makes_a_draft_with_the_author_as_captain():
    """A new idea starts in draft, text trimmed, with its author as captain."""
    author = UserFactory()
    racecourse = open_racecourse()

    idea = idea_create(author=author, racecourse=racecourse, **TEXT)

    assert idea.stage == Stage.DRAFT
    assert idea.title == "Shared cold chain"
    assert idea.visibility == Visibility.EVERYONE
    assert idea.anonymous is False
    membership = TeamMembership.objects.get(idea=idea)
    assert (membership.user, membership.role) == (author, TeamMembership.Role.CAPTAIN)
    assert idea.history.count() == 1
    assert idea.history.first().history_change_reason == "created"
    assert not idea.transitions.exists()


def test_create_keeps_challenge_visibility_and_anonymity():
    """Optional fields are stored as given."""
    racecourse = open_racecourse()
    challenge = ChallengeFactory(racecourse=racecourse)
    idea = idea_create(
        author=UserFactory(),
        racecourse=racecourse,
        challenge=challenge,
        visibility=Visibility.CONFIDENTIAL,
        anonymous=True,
        **TEXT,
    )
    assert idea.challenge == challenge
    assert idea.visibility == Visibility.CONFIDENTIAL
    assert idea.anonymous is True


@pytest.mark.parametrize("field", ["title", "pitch", "problem", "proposal"])
def test_create_requires_every_text_field(field):
    """Blank text is refused with an error on that field."""
    with pytest.raises(ValidationError) as excinfo:
        idea_create(
            author=UserFactory(), racecourse=open_racecourse(), **{**TEXT, field: "  "}
        )
    assert field in excinfo.value.message_dict
    assert not Idea.objects.exists()


def test_create_refuses_an_unknown_visibility():
    """Visibility must be one of the three levels."""
    with pytest.raises(ValidationError) as excinfo:
        idea_create(
            author=UserFactory(),
            racecourse=open_racecourse(),
            visibility="public",
            **TEXT,
        )
    assert "visibility" in excinfo.value.message_dict


def test_create_refuses_a_too_long_title():
    """Model limits apply (the title is at most 120 characters)."""
    with pytest.raises(ValidationError) as excinfo:
        idea_create(
            author=UserFactory(),
            racecourse=open_racecourse(),
            **{**TEXT, "title": "x" * 121},
        )
    assert "title" in excinfo.value.message_dict


def test_create_refuses_a_challenge_of_another_racecourse():
    """A challenge must belong to the idea's racecourse."""
    with pytest.raises(ValidationError) as excinfo:
        idea_create(
            author=UserFactory(),
            racecourse=open_racecourse(),
            challenge=ChallengeFactory(),
            **TEXT,
        )
    assert "challenge" in excinfo.value.message_dict


def test_create_refuses_a_closed_challenge():
    """A challenge that no longer takes ideas cannot be answered."""
    racecourse = open_racecourse()
    challenge = ChallengeFactory(racecourse=racecourse, is_open=False)
    with pytest.raises(ValidationError) as excinfo:
        idea_create(
            author=UserFactory(), racecourse=racecourse, challenge=challenge, **TEXT
        )
    assert "challenge" in excinfo.value.message_dict


def test_create_refuses_a_closed_season():
    """No new ideas in a season that has closed."""
    racecourse = RacecourseFactory(season__status=Season.Status.CLOSED)
    with pytest.raises(ValidationError) as excinfo:
        idea_create(author=UserFactory(), racecourse=racecourse, **TEXT)
    assert "racecourse" in excinfo.value.message_dict


@pytest.mark.parametrize("who", ["anonymous", "inactive", "nobody"])
def test_create_needs_an_active_signed_in_employee(who):
    """Anonymous visitors and deactivated accounts cannot submit ideas."""
    author = {
        "anonymous": lambda: AnonymousUser(),
        "inactive": lambda: UserFactory(is_active=False),
        "nobody": lambda: None,
    }[who]()
    with pytest.raises(PermissionDenied):
        idea_create(author=author, racecourse=open_racecourse(), **TEXT)
    assert not Idea.objects.exists()


def test_create_counts_toward_the_teams_per_person_limit():
    """An author on the season's maximum of teams cannot start another."""
    racecourse = open_racecourse(season__teams_per_person=2)
    author = UserFactory()
    idea_draft(author=author, racecourse=racecourse)
    idea_draft(author=author, racecourse=racecourse)

    with pytest.raises(ValidationError) as excinfo:
        idea_draft(author=author, racecourse=racecourse)
    assert excinfo.value.code == "team_limit_per_person"


def test_ideas_that_left_the_race_free_a_team_slot():
    """Withdrawn ideas no longer count toward the teams-per-person limit."""
    racecourse = open_racecourse(season__teams_per_person=1)
    author = UserFactory()
    first = idea_draft(author=author, racecourse=racecourse)
    idea_withdraw(idea=first, actor=author)
    assert idea_draft(author=author, racecourse=racecourse).stage == Stage.DRAFT


def test_team_limit_is_per_season():
    """Teams in another season do not count."""
    author = UserFactory()
    idea_draft(author=author, racecourse=open_racecourse(season__teams_per_person=1))
    other = open_racecourse(season__teams_per_person=1, season__year=2027)
    assert idea_draft(author=author, racecourse=other).author == author


# --- idea_update ----------------------------------------------------------------------


def test_update_changes_fields_and_keeps_the_history():
    """Each edit is kept in the idea's history, with who edited and what changed."""
    idea = idea_draft(title="First title")
    idea_update(idea=idea, actor=idea.author, title=" Second title ", anonymous=True)

    idea.refresh_from_db()
    assert idea.title == "Second title"
    assert idea.anonymous is True
    latest, previous = list(idea.history.all()[:2])
    assert latest.title == "Second title"
    assert latest.history_user == idea.author
    assert latest.history_change_reason == "edited: title, anonymous"
    assert previous.title == "First title"


def test_update_without_changes_writes_no_history():
    """Saving the same values again is not an edit."""
    idea = idea_draft(title="Same")
    before = idea.history.count()
    idea_update(idea=idea, actor=idea.author, title="Same", pitch=idea.pitch)
    assert idea.history.count() == before


def test_update_refuses_fields_that_are_not_editable():
    """Stage, author and racecourse are not edited through this service."""
    idea = idea_draft()
    for field, value in [("stage", Stage.REALIZED), ("author", UserFactory())]:
        with pytest.raises(ValidationError):
            idea_update(idea=idea, actor=idea.author, **{field: value})
    idea.refresh_from_db()
    assert idea.stage == Stage.DRAFT


def test_update_refuses_blank_text_and_bad_visibility():
    """The same checks as on creation apply to edits."""
    idea = idea_draft()
    with pytest.raises(ValidationError) as excinfo:
        idea_update(idea=idea, actor=idea.author, title=" ", visibility="public")
    assert set(excinfo.value.message_dict) == {"title", "visibility"}


def test_update_can_set_and_clear_a_challenge():
    """A challenge of the same racecourse can be chosen, and removed again."""
    idea = idea_draft()
    challenge = ChallengeFactory(racecourse=idea.racecourse)
    idea_update(idea=idea, actor=idea.author, challenge=challenge)
    assert Idea.objects.get(pk=idea.pk).challenge == challenge
    idea_update(idea=idea, actor=idea.author, challenge=None)
    assert Idea.objects.get(pk=idea.pk).challenge is None
    with pytest.raises(ValidationError):
        idea_update(idea=idea, actor=idea.author, challenge=ChallengeFactory())


def test_update_keeps_an_answered_challenge_after_it_closes():
    """Re-sending the idea's own challenge after it closed is not a new answer."""
    idea = idea_draft()
    challenge = ChallengeFactory(racecourse=idea.racecourse)
    idea_update(idea=idea, actor=idea.author, challenge=challenge)
    challenge.is_open = False
    challenge.save()

    idea_update(idea=idea, actor=idea.author, challenge=challenge, title="Edited")

    idea.refresh_from_db()
    assert (idea.title, idea.challenge) == ("Edited", challenge)


@pytest.mark.parametrize("who", ["member", "stranger", "hr_admin", "anonymous"])
def test_only_the_captain_may_edit(who):
    """Team members, colleagues and HR admins cannot edit the idea."""
    idea = idea_draft()
    actor = {
        "member": lambda: _add_member(idea),
        "stranger": lambda: UserFactory(),
        "hr_admin": lambda: UserFactory(is_hr_admin=True),
        "anonymous": lambda: AnonymousUser(),
    }[who]()
    with pytest.raises(PermissionDenied):
        idea_update(idea=idea, actor=actor, title="Hijacked")
    assert Idea.objects.get(pk=idea.pk).title != "Hijacked"


@pytest.mark.parametrize("stage", [Stage.ELIMINATED, Stage.WITHDRAWN, Stage.REALIZED])
def test_ideas_that_left_the_race_cannot_be_edited(stage):
    """Once an idea is in a final stage its captain can no longer edit it."""
    idea = idea_in_stage(stage)
    with pytest.raises(PermissionDenied):
        idea_update(idea=idea, actor=idea.author, title="Late edit")


def test_update_keeps_the_registered_fingerprint_and_shows_the_change():
    """Edits after registration keep the fingerprint; the idea shows it changed."""
    idea = idea_in_stage(Stage.REGISTERED)
    registration = idea.registration
    fingerprint, content = registration.fingerprint, registration.content
    assert idea_changed_since_registration(idea=idea) is False

    idea_update(idea=idea, actor=idea.author, proposal="A completely new plan.")

    idea = Idea.objects.select_related("registration").get(pk=idea.pk)
    assert idea.registration.fingerprint == fingerprint
    assert idea.registration.content == content
    assert idea_changed_since_registration(idea=idea) is True


def test_changes_outside_the_registered_content_are_not_a_change():
    """Visibility and anonymity are not part of the authorship claim."""
    idea = idea_in_stage(Stage.REGISTERED)
    idea_update(idea=idea, actor=idea.author, visibility=Visibility.CONFIDENTIAL)
    idea = Idea.objects.select_related("registration").get(pk=idea.pk)
    assert idea_changed_since_registration(idea=idea) is False


def test_reverting_an_edit_matches_the_registration_again():
    """The fingerprint compares content, so restoring the text restores the match."""
    idea = idea_in_stage(Stage.REGISTERED)
    original = idea.title
    idea_update(idea=idea, actor=idea.author, title="Changed")
    idea_update(idea=idea, actor=idea.author, title=original)
    idea = Idea.objects.select_related("registration").get(pk=idea.pk)
    assert idea_changed_since_registration(idea=idea) is False


def test_unregistered_idea_has_not_changed_since_registration():
    """A draft has no registration to differ from."""
    assert idea_changed_since_registration(idea=idea_draft()) is False


def test_idea_content_is_the_four_texts():
    """The registered content is the idea's own words, nothing else."""
    idea = idea_draft()
    assert idea_content(idea) == {
        "title": idea.title,
        "pitch": idea.pitch,
        "problem": idea.problem,
        "proposal": idea.proposal,
    }


# --- idea_withdraw --------------------------------------------------------------------


@pytest.mark.parametrize(
    "stage", [Stage.DRAFT, Stage.REGISTERED, Stage.GESTATION, Stage.REALIZATION]
)
def test_captain_can_withdraw_before_the_final_stage(stage):
    """Withdrawal is possible from any stage before a final one."""
    idea = idea_in_stage(stage)
    idea_withdraw(idea=idea, actor=idea.author, reason="Joining another team")
    idea.refresh_from_db()
    assert idea.stage == Stage.WITHDRAWN
    record = idea.transitions.last()
    assert (record.to_stage, record.actor, record.reason) == (
        Stage.WITHDRAWN,
        idea.author,
        "Joining another team",
    )


@pytest.mark.parametrize(
    "stage", [Stage.REALIZED, Stage.ELIMINATED, Stage.WITHDRAWN, Stage.MERGED]
)
def test_final_stages_cannot_be_withdrawn(stage):
    """An idea that has finished the race cannot be withdrawn."""
    idea = idea_in_stage(stage)
    before = idea.transitions.count()
    with pytest.raises(PermissionDenied):
        idea_withdraw(idea=idea, actor=idea.author)
    assert idea.transitions.count() == before


def test_non_captain_cannot_withdraw():
    """Only the captain may take the idea out of the race."""
    idea = idea_in_stage(Stage.REGISTERED)
    member = _add_member(idea)
    for actor in (member, UserFactory(), UserFactory(is_hr_admin=True)):
        with pytest.raises(PermissionDenied):
            idea_withdraw(idea=idea, actor=actor)
    assert Idea.objects.get(pk=idea.pk).stage == Stage.REGISTERED


def test_registration_survives_withdrawal():
    """Withdrawing keeps the authorship claim and its number."""
    idea = idea_draft()
    registration = idea_register(idea=idea, actor=idea.author)
    idea_withdraw(idea=idea, actor=idea.author)
    idea = Idea.objects.select_related("registration").get(pk=idea.pk)
    assert idea.registration == registration
