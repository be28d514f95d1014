"""Following ideas and challenges, in the page and through the service."""

import pytest
from django.core.exceptions import PermissionDenied

from ideas.discussion.services import follow_set
from ideas.models import Follow
from ideas.services.registration import idea_register
from tests.factories import ChallengeFactory, UserFactory, idea_draft, open_racecourse

from .helpers import idea_with_team, notes

pytestmark = pytest.mark.django_db


def test_following_is_idempotent_both_ways():
    idea, captain, member = idea_with_team()
    fan = UserFactory()
    assert follow_set(actor=fan, idea=idea, on=True) is True
    assert follow_set(actor=fan, idea=idea, on=True) is True
    assert Follow.objects.filter(user=fan, idea=idea).count() == 1
    assert follow_set(actor=fan, idea=idea, on=False) is False
    assert follow_set(actor=fan, idea=idea, on=False) is False
    assert not Follow.objects.exists()


def test_a_draft_cannot_be_followed_by_outsiders():
    with pytest.raises(PermissionDenied):
        follow_set(actor=UserFactory(), idea=idea_draft(), on=True)


def test_challenge_followers_hear_of_a_registered_idea():
    racecourse = open_racecourse()
    challenge = ChallengeFactory(racecourse=racecourse, title="Greener offices")
    fan = UserFactory()
    follow_set(actor=fan, challenge=challenge, on=True)
    idea = idea_draft(racecourse=racecourse, challenge=challenge, title="Solar")
    assert notes(fan) == []  # a draft is nobody's business
    idea_register(idea=idea, actor=idea.author)
    [note] = notes(fan, "ideas.discussion.challenge_idea")
    assert "Greener offices" in note.subject and "Solar" in note.subject
    assert note.url == idea.get_absolute_url()


def test_the_follow_buttons(client):
    idea, captain, member = idea_with_team()
    fan = UserFactory()
    client.force_login(fan)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert f'action="/ideas/discussion/ideas/{idea.pk}/follow/"' in page
    client.post(f"/ideas/discussion/ideas/{idea.pk}/follow/", {"follow": "1"})
    assert Follow.objects.filter(user=fan, idea=idea).exists()
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Following" in page and "1 follower" in page
    client.post(f"/ideas/discussion/ideas/{idea.pk}/follow/", {"follow": "0"})
    assert not Follow.objects.filter(user=fan).exists()

    challenge = ChallengeFactory(racecourse=idea.racecourse)
    page = client.get(idea.racecourse.get_absolute_url()).content.decode()
    assert f"/ideas/discussion/challenges/{challenge.pk}/follow/" in page
    response = client.post(
        f"/ideas/discussion/challenges/{challenge.pk}/follow/",
        {"follow": "1", "next": "https://evil.example/"},
    )
    assert response.url == idea.racecourse.get_absolute_url()  # no open redirect
    assert Follow.objects.filter(user=fan, challenge=challenge).exists()
