"""Browser views for ideas and teams: each page renders, each action lands,
and bad input becomes a message, never a 500."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ideas.models import Idea, RequestStatus, Stage, TeamInvitation, Visibility
from ideas.services.registration import idea_register
from ideas.services.teams import join_request_create, team_invite
from tests.factories import ChallengeFactory, UserFactory, idea_draft, open_racecourse

pytestmark = pytest.mark.django_db


@pytest.fixture
def racecourse():
    return open_racecourse(name="Main")


@pytest.fixture
def captain():
    return UserFactory(display_name="Captain Chen")


@pytest.fixture
def idea(captain, racecourse):
    return idea_draft(author=captain, racecourse=racecourse)


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_pages_render_for_the_captain(client, captain, idea):
    """Home, racecourse, idea, team, history and mine all render."""
    client.force_login(captain)
    for url in [
        reverse("home"),
        reverse("contests:list"),
        reverse("contests:racecourse", args=[idea.racecourse_id]),
        reverse("ideas:mine"),
        reverse("ideas:create"),
        idea.get_absolute_url(),
        reverse("ideas:edit", args=[idea.pk]),
        reverse("ideas:team", args=[idea.pk]),
        reverse("ideas:history", args=[idea.pk]),
        reverse("notifications:list"),
        reverse("accounts:preferences"),
    ]:
        assert client.get(url).status_code == 200, url


def test_anonymous_visitors_are_sent_to_sign_in(client, idea):
    response = client.get(idea.get_absolute_url())
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_submit_creates_a_draft_with_the_author_as_captain(client, captain, racecourse):
    challenge = ChallengeFactory(racecourse=racecourse)
    client.force_login(captain)
    response = client.post(
        reverse("ideas:create"),
        {
            "racecourse": racecourse.pk,
            "challenge": challenge.pk,
            "title": "Smart shelves",
            "pitch": "Shelves that reorder themselves.",
            "problem": "Stock-outs.",
            "proposal": "Weight sensors.",
            "visibility": Visibility.EVERYONE,
        },
    )
    idea = Idea.objects.get(title="Smart shelves")
    assert (
        response.status_code == 302 and response["Location"] == idea.get_absolute_url()
    )
    assert idea.stage == Stage.DRAFT
    assert idea.memberships.get().user == captain


def test_submit_with_missing_fields_shows_form_errors(client, captain, racecourse):
    client.force_login(captain)
    response = client.post(reverse("ideas:create"), {"racecourse": racecourse.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["title"]
    assert not Idea.objects.exists()


def test_challenge_of_another_racecourse_is_a_form_error(client, captain, racecourse):
    other = open_racecourse(season=racecourse.season, kind="farm")
    challenge = ChallengeFactory(racecourse=other)
    client.force_login(captain)
    response = client.post(
        reverse("ideas:create"),
        {
            "racecourse": racecourse.pk,
            "challenge": challenge.pk,
            "title": "T",
            "pitch": "P",
            "problem": "P",
            "proposal": "P",
            "visibility": Visibility.EVERYONE,
        },
    )
    assert response.status_code == 200
    assert "challenge" in response.context["form"].errors


def test_register_button_registers_and_shows_certificate(client, captain, idea):
    client.force_login(captain)
    response = client.post(reverse("ideas:register", args=[idea.pk]), follow=True)
    idea.refresh_from_db()
    assert idea.stage == Stage.REGISTERED
    assert idea.registration.code in response.content.decode()
    certificate = client.get(reverse("ideas:certificate", args=[idea.pk]))
    assert idea.registration.fingerprint in certificate.content.decode()


def test_register_outside_the_window_is_a_message(client, captain, idea):
    past = timezone.now() - dt.timedelta(days=3)
    idea.racecourse.windows.update(opens_at=past, closes_at=past + dt.timedelta(days=1))
    client.force_login(captain)
    response = client.post(reverse("ideas:register", args=[idea.pk]), follow=True)
    assert response.status_code == 200
    assert any("not open" in m for m in messages_of(response))
    idea.refresh_from_db()
    assert idea.stage == Stage.DRAFT


def test_edit_after_registration_flags_the_certificate(client, captain, idea):
    idea_register(idea=idea, actor=captain)
    client.force_login(captain)
    client.post(
        reverse("ideas:edit", args=[idea.pk]),
        {
            "title": idea.title,
            "pitch": "A sharper pitch.",
            "problem": idea.problem,
            "proposal": idea.proposal,
            "visibility": idea.visibility,
        },
    )
    page = client.get(reverse("ideas:certificate", args=[idea.pk])).content.decode()
    assert "edited since it was registered" in page


def test_invite_accept_flow(client, captain, idea):
    colleague = UserFactory(email="colleague@example.com")
    client.force_login(captain)
    client.post(
        reverse("ideas:invite", args=[idea.pk]), {"invitee": "colleague@example.com"}
    )
    invitation = TeamInvitation.objects.get(idea=idea, invitee=colleague)
    client.force_login(colleague)
    assert "Invitations for you" in client.get(reverse("home")).content.decode()
    response = client.post(
        reverse("ideas:invitation_respond", args=[invitation.pk]), {"answer": "accept"}
    )
    assert response["Location"] == idea.get_absolute_url()
    assert idea.memberships.filter(user=colleague).exists()


def test_invite_unknown_colleague_is_a_message(client, captain, idea):
    client.force_login(captain)
    response = client.post(
        reverse("ideas:invite", args=[idea.pk]),
        {"invitee": "nobody@example.com"},
        follow=True,
    )
    assert any("No active colleague" in m for m in messages_of(response))


def test_someone_else_cannot_answer_an_invitation(client, captain, idea):
    colleague = UserFactory()
    invitation = team_invite(idea=idea, actor=captain, invitee=colleague)
    client.force_login(UserFactory())
    response = client.post(
        reverse("ideas:invitation_respond", args=[invitation.pk]), {"answer": "accept"}
    )
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == RequestStatus.PENDING


def test_join_request_and_captain_accepts(client, captain, idea):
    idea_register(idea=idea, actor=captain)
    volunteer = UserFactory()
    client.force_login(volunteer)
    client.post(reverse("ideas:join", args=[idea.pk]), {"message": "I can code"})
    join_request = idea.join_requests.get()
    client.force_login(captain)
    assert "I can code" in client.get(idea.get_absolute_url()).content.decode()
    client.post(
        reverse("ideas:join_request_respond", args=[join_request.pk]),
        {"answer": "accept"},
    )
    assert idea.memberships.filter(user=volunteer).exists()


def test_non_captain_cannot_decline_a_join_request(client, captain, idea):
    idea_register(idea=idea, actor=captain)
    volunteer = UserFactory()
    join_request = join_request_create(idea=idea, actor=volunteer)
    client.force_login(UserFactory())
    response = client.post(
        reverse("ideas:join_request_respond", args=[join_request.pk]),
        {"answer": "decline"},
    )
    assert response.status_code == 403


def test_withdraw(client, captain, idea):
    client.force_login(captain)
    client.post(reverse("ideas:withdraw", args=[idea.pk]), {"reason": "Merged plans"})
    idea.refresh_from_db()
    assert idea.stage == Stage.WITHDRAWN
    assert idea.transitions.get().reason == "Merged plans"


def test_confidential_idea_is_404_for_a_stranger(client, captain, racecourse):
    idea = idea_draft(
        author=captain, racecourse=racecourse, visibility=Visibility.CONFIDENTIAL
    )
    idea_register(idea=idea, actor=captain)
    client.force_login(UserFactory())
    assert client.get(idea.get_absolute_url()).status_code == 404
    assert client.get(reverse("ideas:certificate", args=[idea.pk])).status_code == 404


def test_attachment_upload_check_and_download(client, captain, idea):
    client.force_login(captain)
    bad = SimpleUploadedFile("evil.exe", b"MZ...", content_type="application/x")
    response = client.post(
        reverse("ideas:attachment_upload", args=[idea.pk]), {"file": bad}, follow=True
    )
    assert any("not accepted" in m for m in messages_of(response))
    good = SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain")
    client.post(reverse("ideas:attachment_upload", args=[idea.pk]), {"file": good})
    attachment = idea.attachments.get()
    download = client.get(reverse("ideas:attachment_download", args=[attachment.pk]))
    assert b"".join(download.streaming_content) == b"hello"
    client.force_login(UserFactory())  # a draft is private to its team
    stranger = client.get(reverse("ideas:attachment_download", args=[attachment.pk]))
    assert stranger.status_code == 404


def test_people_search_suggests_colleagues(client, captain):
    UserFactory(display_name="Zhang Min", email="zhang.min@example.com")
    client.force_login(captain)
    response = client.get(reverse("ideas:people"), {"invitee": "zhang"})
    assert "zhang.min@example.com" in response.content.decode()


def test_racecourse_search_and_htmx_partial(client, captain, idea):
    idea_register(idea=idea, actor=captain)
    client.force_login(captain)
    url = reverse("contests:racecourse", args=[idea.racecourse_id])
    full = client.get(url, {"q": "cold"})
    assert idea.title in full.content.decode()
    partial = client.get(url, {"q": "nothing-matches"}, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()
    assert "No idea matches" in partial.content.decode()


def test_unknown_idea_and_bad_stage_filter_do_not_crash(client, captain, idea):
    client.force_login(captain)
    assert client.get("/ideas/999999/").status_code == 404
    url = reverse("contests:racecourse", args=[idea.racecourse_id])
    assert (
        client.get(url, {"stage": "bogus", "challenge": "x", "page": "z"}).status_code
        == 200
    )


def test_language_switch_is_saved_on_the_profile(client, captain):
    client.force_login(captain)
    client.post(reverse("accounts:set_language"), {"language": "zh-hans", "next": "/"})
    captain.refresh_from_db()
    assert captain.locale == "zh-hans"
    assert client.get(reverse("home"))["Content-Language"] == "zh-hans"


def test_anonymous_team_is_hidden_from_colleagues_but_not_from_itself_or_hr(
    client, captain, racecourse
):
    idea = idea_draft(author=captain, racecourse=racecourse, anonymous=True)
    idea_register(idea=idea, actor=captain)
    client.force_login(UserFactory())
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Captain Chen" not in page and "stay anonymous" in page
    certificate = reverse("ideas:certificate", args=[idea.pk])
    assert "Captain Chen" not in client.get(certificate).content.decode()
    history = reverse("ideas:history", args=[idea.pk])
    assert "Captain Chen" not in client.get(history).content.decode()
    hr = UserFactory(is_hr_admin=True)
    client.force_login(hr)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Captain Chen" not in page and "Unmask the team" in page
    response = client.post(
        reverse("ideas:access", args=[idea.pk]),
        {"kind": "unmask", "reason": "The prize goes to the team's bank account."},
    )
    assert response.status_code == 302
    for viewer in (captain, hr):
        client.force_login(viewer)
        page = client.get(idea.get_absolute_url()).content.decode()
        assert "Captain Chen" in page
        assert "The prize goes to the team&#x27;s bank account." in page  # the log


def test_a_superuser_is_not_captain_of_every_team(client, captain, idea):
    """An HR superuser sees the idea but gets no captain's buttons or powers."""
    boss = UserFactory(is_hr_admin=True, is_superuser=True, is_staff=True)
    client.force_login(boss)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Register now" not in page and "Leave the team" not in page
    assert reverse("ideas:edit", args=[idea.pk]) not in page
    client.post(reverse("ideas:register", args=[idea.pk]))
    idea.refresh_from_db()
    assert idea.stage == Stage.DRAFT


def test_captain_hands_over_captaincy_and_removes_a_member(client, captain, idea):
    from ideas.services.teams import invitation_accept

    first, second = UserFactory(display_name="Ma Lin"), UserFactory()
    for colleague in (first, second):
        invitation = team_invite(idea=idea, actor=captain, invitee=colleague)
        invitation_accept(invitation=invitation, actor=colleague)
    client.force_login(captain)
    response = client.post(
        reverse("ideas:remove", args=[idea.pk]), {"user": second.pk}, follow=True
    )
    assert not idea.memberships.filter(user=second).exists()
    assert any("no longer on the team" in m for m in messages_of(response))
    response = client.post(
        reverse("ideas:transfer", args=[idea.pk]), {"user": first.pk}, follow=True
    )
    assert idea.memberships.get(role="captain").user == first
    assert any("Ma Lin is now the captain" in m for m in messages_of(response))
    # The old captain is a member now: handing over again is refused with a
    # message, and the captaincy stays where it is.
    response = client.post(
        reverse("ideas:transfer", args=[idea.pk]), {"user": captain.pk}, follow=True
    )
    assert response.status_code == 403
    assert idea.memberships.get(role="captain").user == first


def test_removing_someone_not_on_the_team_is_a_message(client, captain, idea):
    client.force_login(captain)
    response = client.post(
        reverse("ideas:remove", args=[idea.pk]), {"user": UserFactory().pk}, follow=True
    )
    assert response.status_code == 200
    assert messages_of(response)


def test_the_racecourse_pages_its_ideas_and_keeps_the_filters(client, captain):
    """25 registered ideas: 20 on the first page, 5 on the second; the page
    links carry the search and the stage."""
    racecourse = open_racecourse()
    for n in range(25):
        idea = idea_draft(racecourse=racecourse, title=f"Kiosk {n:02d}")
        idea_register(idea=idea, actor=idea.author)
    client.force_login(captain)
    url = reverse("contests:racecourse", args=[racecourse.pk])
    first = client.get(url, {"q": "kiosk", "stage": "registered"}).content.decode()
    assert first.count('class="card h-100 text-decoration-none') == 20
    assert "Page 1 of 2 · 25 ideas" in first
    assert "?page=2&amp;q=kiosk&amp;stage=registered" in first
    second = client.get(url, {"q": "kiosk", "stage": "registered", "page": 2})
    html = second.content.decode()
    assert html.count('class="card h-100 text-decoration-none') == 5
    assert "Kiosk 00" in html and "Kiosk 24" not in html
