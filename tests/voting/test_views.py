"""The judging page and the results page in the browser (Django test client)."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contests.models import StageWindow
from ideas.models import Stage
from tests.factories import UserFactory
from voting.exports import COLUMNS
from voting.models import Ballot, Choice, Impression
from voting.selectors.queue import judging_queue
from voting.services.ballots import ballot_cast
from voting.services.tallies import tally_round

from .factories import department_racecourse, screening_idea, screening_round

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def window():
    return screening_round()


@pytest.fixture
def ideas(window):
    return [
        screening_idea(window, title=title)
        for title in ("Cold-chain sharing", "Returnable boxes", "Grandchild mode")
    ]


@pytest.fixture
def voter(db):
    return UserFactory(display_name="Vera Voter", email="vera@example.com")


@pytest.fixture
def voter_client(client, voter):
    client.force_login(voter)
    return client


def judge_url(window, **params):
    url = reverse("voting:judge", args=[window.racecourse_id])
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


def cast_url(window):
    return reverse("voting:cast", args=[window.racecourse_id])


def withdraw_url(window):
    return reverse("voting:withdraw", args=[window.racecourse_id])


def results_url(window):
    return reverse("voting:results", args=[window.racecourse_id])


def csv_url(window):
    return reverse("voting:results_csv", args=[window.racecourse_id])


def queue_ids(voter, window):
    return list(judging_queue(user=voter, window=window).values_list("pk", flat=True))


def close(window, *, ago=dt.timedelta(minutes=5)):
    """Move the window into the past, as the end-to-end test does."""
    now = timezone.now()
    StageWindow.objects.filter(pk=window.pk).update(
        opens_at=now - dt.timedelta(days=3), closes_at=now - ago
    )
    window.refresh_from_db()
    return window


def shown_idea(response) -> int | None:
    return response.context.get("idea").pk if response.context.get("idea") else None


# --- The judging page -----------------------------------------------------------


def test_judge_page_shows_the_first_card_of_the_queue(
    voter_client, voter, window, ideas
):
    """An eligible voter sees the first idea of their own order, and progress."""
    response = voter_client.get(judge_url(window))
    assert response.status_code == 200
    first = queue_ids(voter, window)[0]
    assert shown_idea(response) == first
    content = response.content.decode()
    assert "0 of 3 judged" in content
    assert 'data-countdown="' in content
    assert "Keyboard:" in content
    assert response.context["counts_visible"] is False


def test_showing_a_card_records_one_impression(voter_client, voter, window, ideas):
    voter_client.get(judge_url(window))
    voter_client.get(judge_url(window))
    assert Impression.objects.filter(voter=voter, window=window).count() == 1


def test_anonymous_team_is_hidden_on_the_card(voter_client, voter, window):
    idea = screening_idea(window, title="Secret sauce", anonymous=True)
    response = voter_client.get(judge_url(window, idea=idea.pk))
    content = response.content.decode()
    assert "Anonymous team" in content
    assert str(idea.author) not in content


def test_team_is_shown_when_not_anonymous(voter_client, voter, window):
    idea = screening_idea(window, title="Open kitchen")
    response = voter_client.get(judge_url(window, idea=idea.pk))
    assert str(idea.author) in response.content.decode()


def test_htmx_cast_returns_the_next_card(voter_client, voter, window, ideas):
    first, second, _third = queue_ids(voter, window)
    response = voter_client.post(
        cast_url(window),
        {"idea": first, "choice": "support", "reason": "Sellers ask for it"},
        **HTMX,
    )
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "voting/_judge_card_response.html"
    assert shown_idea(response) == second
    content = response.content.decode()
    assert 'id="judge-card"' in content
    assert 'hx-swap-oob="true"' in content
    assert "1 of 3 judged" in content
    assert "You support" in content
    ballot = Ballot.objects.get(voter=voter, idea_id=first)
    assert (ballot.choice, ballot.reason) == (Choice.SUPPORT, "Sellers ask for it")


def test_plain_post_redirects_to_the_next_card(voter_client, voter, window, ideas):
    """Without JavaScript the form posts, redirects and shows a message."""
    first, second, _third = queue_ids(voter, window)
    response = voter_client.post(cast_url(window), {"idea": first, "choice": "oppose"})
    assert response.status_code == 302
    assert response.url == judge_url(window, after=first)
    page = voter_client.get(response.url)
    assert shown_idea(page) == second
    assert "You oppose" in page.content.decode()
    assert Ballot.objects.get(voter=voter, idea_id=first).choice == Choice.OPPOSE


def test_skip_moves_on_and_the_idea_comes_back(voter_client, voter, window, ideas):
    first, second, third = queue_ids(voter, window)
    response = voter_client.post(
        cast_url(window), {"idea": first, "choice": "skip"}, **HTMX
    )
    assert shown_idea(response) == second
    assert not Ballot.objects.exists()
    voter_client.post(cast_url(window), {"idea": second, "choice": "support"}, **HTMX)
    response = voter_client.post(
        cast_url(window), {"idea": third, "choice": "support"}, **HTMX
    )
    assert shown_idea(response) == first  # the skipped idea, once the rest are done


def test_all_judged_says_thank_you(voter_client, voter, window, ideas):
    for idea in ideas:
        ballot_cast(voter=voter, idea=idea, choice=Choice.SUPPORT)
    response = voter_client.get(judge_url(window))
    assert response.context.get("idea") is None
    content = response.content.decode()
    assert "You have judged every idea" in content
    assert "3 of 3 judged" in content


def test_own_idea_gives_a_message_not_an_error(voter_client, voter, window, ideas):
    own = screening_idea(window, author=voter, title="My own idea")
    response = voter_client.post(
        cast_url(window), {"idea": own.pk, "choice": "support"}, **HTMX
    )
    assert response.status_code == 200
    assert "own team" in response.content.decode()
    response = voter_client.post(
        cast_url(window), {"idea": own.pk, "choice": "support"}
    )
    assert response.status_code == 302
    page = voter_client.get(response.url)
    assert "own team" in page.content.decode()
    assert not Ballot.objects.filter(idea=own).exists()


def test_closed_window_gives_a_message(voter_client, voter, window, ideas):
    close(window)
    response = voter_client.post(
        cast_url(window), {"idea": ideas[0].pk, "choice": "support"}, **HTMX
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "closed" in content
    assert reverse("voting:results", args=[window.racecourse_id]) in content
    page = voter_client.get(judge_url(window))
    assert page.status_code == 200
    assert "Online screening closed" in page.content.decode()
    assert not Ballot.objects.exists()


def test_upcoming_window_says_when_it_opens(voter_client, window, ideas):
    now = timezone.now()
    StageWindow.objects.filter(pk=window.pk).update(
        opens_at=now + dt.timedelta(days=1), closes_at=now + dt.timedelta(days=5)
    )
    page = voter_client.get(judge_url(window))
    assert "Online screening opens on" in page.content.decode()


def test_over_budget_gives_a_message(voter_client, voter, window, ideas):
    StageWindow.objects.filter(pk=window.pk).update(support_budget=1)
    first, second, _third = queue_ids(voter, window)
    page = voter_client.get(judge_url(window))
    assert "1 support left" in page.content.decode()
    voter_client.post(cast_url(window), {"idea": first, "choice": "support"}, **HTMX)
    response = voter_client.post(
        cast_url(window),
        {"idea": second, "choice": "support", "reason": "keep me"},
        **HTMX,
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "used your 1 support" in content
    assert "0 supports left" in content
    assert shown_idea(response) == second  # the same card, to oppose or skip
    assert "keep me" in content
    assert not Ballot.objects.filter(idea_id=second).exists()


def test_wrong_audience_is_told_on_the_page_and_refused(client, voter):
    racecourse = department_racecourse()
    window = screening_round(racecourse=racecourse)
    idea = screening_idea(window, visibility="everyone")
    client.force_login(voter)  # no department: outside the audience
    page = client.get(judge_url(window))
    assert page.status_code == 200
    assert "Only people in" in page.content.decode()
    response = client.post(
        cast_url(window), {"idea": idea.pk, "choice": "support"}, **HTMX
    )
    assert response.status_code == 200
    assert "Only people in" in response.content.decode()
    assert not Ballot.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"idea": "999999", "choice": "support"},
        {"idea": "abc", "choice": "support"},
        {"choice": "support"},
        {"idea": "1", "choice": "maybe"},
    ],
)
def test_bad_input_gives_a_message(voter_client, window, ideas, data):
    response = voter_client.post(cast_url(window), data, **HTMX)
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()
    response = voter_client.post(cast_url(window), data)
    assert response.status_code == 302
    assert not Ballot.objects.exists()


def test_idea_of_another_racecourse_is_unknown_here(voter_client, window, ideas):
    elsewhere = screening_idea(screening_round(), title="Elsewhere")
    response = voter_client.post(
        cast_url(window), {"idea": elsewhere.pk, "choice": "support"}, **HTMX
    )
    assert "not judged on this racecourse" in response.content.decode()
    assert not Ballot.objects.exists()


def test_unknown_racecourse_is_404(voter_client):
    assert voter_client.get("/screening/999999/judge/").status_code == 404
    assert voter_client.get("/screening/999999/results/").status_code == 404


def test_pages_need_a_login(client, window):
    response = client.get(judge_url(window))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_get_is_not_allowed_on_cast(voter_client, window):
    assert voter_client.get(cast_url(window)).status_code == 405


# --- List mode --------------------------------------------------------------------


def test_list_shows_every_idea_with_the_current_judgment(
    voter_client, voter, window, ideas
):
    ballot_cast(voter=voter, idea=ideas[0], choice=Choice.SUPPORT)
    response = voter_client.get(judge_url(window, mode="list"))
    content = response.content.decode()
    rows = response.context["rows"]
    assert len(rows) == 3
    assert rows[-1]["idea"].pk == ideas[0].pk  # still to judge come first
    assert content.count('class="list-group-item judge-row') == 3
    assert "You support" in content
    assert content.count("Not judged yet") == 2


def test_list_change_and_withdraw(voter_client, voter, window, ideas):
    idea = ideas[0]
    ballot_cast(voter=voter, idea=idea, choice=Choice.SUPPORT)
    response = voter_client.post(
        cast_url(window),
        {"idea": idea.pk, "choice": "oppose", "mode": "list", "reason": "Too costly"},
        **HTMX,
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert f'id="row-{idea.pk}"' in content
    assert "You oppose" in content
    assert 'hx-swap-oob="true"' in content
    assert Ballot.objects.get(voter=voter, idea=idea).choice == Choice.OPPOSE

    response = voter_client.post(
        withdraw_url(window), {"idea": idea.pk, "mode": "list"}, **HTMX
    )
    content = response.content.decode()
    assert "Not judged yet" in content
    assert "is withdrawn" in content
    assert not Ballot.objects.filter(voter=voter, idea=idea).exists()


def test_list_without_javascript_redirects_back_to_the_row(
    voter_client, voter, window, ideas
):
    idea = ideas[1]
    response = voter_client.post(
        cast_url(window), {"idea": idea.pk, "choice": "support", "mode": "list"}
    )
    assert response.status_code == 302
    assert response.url == judge_url(window, mode="list") + f"#row-{idea.pk}"
    response = voter_client.post(
        withdraw_url(window), {"idea": idea.pk, "mode": "list"}
    )
    assert response.status_code == 302
    assert not Ballot.objects.exists()


def test_withdraw_after_close_is_refused(voter_client, voter, window, ideas):
    ballot_cast(voter=voter, idea=ideas[0], choice=Choice.SUPPORT)
    close(window)
    response = voter_client.post(
        withdraw_url(window), {"idea": ideas[0].pk, "mode": "list"}, **HTMX
    )
    assert response.status_code == 200
    assert "closed" in response.content.decode()
    assert Ballot.objects.filter(voter=voter).count() == 1


def test_counts_shown_to_hr_while_open_but_not_to_voters(
    client, voter, hr_admin, window, ideas
):
    ballot_cast(voter=UserFactory(), idea=ideas[0], choice=Choice.SUPPORT)
    tally_round(window=window)
    client.force_login(voter)
    assert (
        "Latest tally"
        not in client.get(judge_url(window, mode="list")).content.decode()
    )
    client.force_login(hr_admin)
    assert "Latest tally" in client.get(judge_url(window, mode="list")).content.decode()


# --- Results ---------------------------------------------------------------------


def vote(window, ideas, pattern):
    """``pattern``: per idea, a string of s/o, one letter per voter."""
    people = [UserFactory() for _ in range(max(len(p) for p in pattern))]
    for idea, letters in zip(ideas, pattern, strict=True):
        for person, letter in zip(people, letters, strict=False):
            choice = Choice.SUPPORT if letter == "s" else Choice.OPPOSE
            ballot_cast(voter=person, idea=idea, choice=choice)
    return people


def test_results_hidden_from_voters_before_close_but_live_for_hr(
    client, voter, hr_admin, window, ideas
):
    vote(window, ideas, ["sss", "soo", "ooo"])
    tally_round(window=window)
    client.force_login(voter)
    response = client.get(results_url(window))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Results after" in content
    assert "Cold-chain sharing" not in content
    assert "results-chart" not in content
    assert client.get(csv_url(window)).status_code == 302

    client.force_login(hr_admin)
    response = client.get(results_url(window))
    content = response.content.decode()
    assert "Live results" in content
    titles = [row["idea"].title for row in response.context["rows"]]
    assert titles == ["Cold-chain sharing", "Returnable boxes", "Grandchild mode"]


def test_results_visible_to_everyone_after_close(client, voter, window, ideas):
    vote(window, ideas, ["ssso", "ooos", "ssss"])
    close(window)
    tally_round(window=window)
    client.force_login(voter)
    response = client.get(results_url(window))
    content = response.content.decode()
    assert response.status_code == 200
    titles = [row["idea"].title for row in response.context["rows"]]
    assert titles == ["Grandchild mode", "Cold-chain sharing", "Returnable boxes"]
    assert 'id="results-data"' in content
    assert 'id="results-chart"' in content
    assert "Wilson" in content
    assert "z = 1.96" in content
    assert "Snapshot computed" in content
    assert "Outcome" in content
    assert "<script>" not in content  # data only; the code is in static/js


def test_results_outcome_after_the_close_is_applied(client, voter, window, ideas):
    vote(window, ideas, ["ssso", "ooos", "ssss"])
    close(window)
    tally_round(window=window)
    from ideas import funnel

    funnel.idea_pass_screening(idea=ideas[2], reason="test")
    funnel.idea_eliminate(idea=ideas[1], reason="test")
    client.force_login(voter)
    response = client.get(results_url(window))
    outcomes = {row["idea"].pk: row["outcome"] for row in response.context["rows"]}
    assert outcomes == {
        ideas[2].pk: "passed",
        ideas[0].pk: "pending",
        ideas[1].pk: "eliminated",
    }
    content = response.content.decode()
    assert "Passed" in content and "Eliminated" in content


def test_results_without_tallies_says_so(client, voter, window, ideas):
    close(window)
    client.force_login(voter)
    response = client.get(results_url(window))
    assert "No tally has been computed" in response.content.decode()


def test_results_of_racecourse_without_screening(client, voter):
    racecourse = department_racecourse()
    client.force_login(voter)
    response = client.get(reverse("voting:results", args=[racecourse.pk]))
    assert "no online screening" in response.content.decode()
    response = client.get(reverse("voting:judge", args=[racecourse.pk]))
    assert "no online screening" in response.content.decode()


def test_results_hide_titles_of_ideas_the_viewer_may_not_see(
    client, voter, window, ideas
):
    secret = screening_idea(window, title="Secret merger", visibility="confidential")
    from ideas.services.teams import team_invite

    invitee = UserFactory()  # the team's invitee reads the confidential idea
    team_invite(idea=secret, actor=secret.author, invitee=invitee)
    ballot_cast(voter=invitee, idea=secret, choice=Choice.SUPPORT)
    close(window)
    tally_round(window=window)
    client.force_login(voter)
    content = client.get(results_url(window)).content.decode()
    assert "Secret merger" not in content
    assert "A confidential idea" in content
    assert "Secret merger" not in client.get(csv_url(window)).content.decode()


def test_csv_has_the_rows_and_no_voter(client, voter, window, ideas):
    people = vote(window, ideas, ["ssso", "ooos", "ssss"])
    close(window)
    tally_round(window=window)
    client.force_login(voter)
    response = client.get(csv_url(window))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == COLUMNS
    assert [r[2] for r in rows[1:]] == [
        "Grandchild mode",
        "Cold-chain sharing",
        "Returnable boxes",
    ]
    first = dict(zip(COLUMNS, rows[1], strict=True))
    assert first["rank"] == "1"
    assert (first["supports"], first["opposes"], first["voters"]) == ("4", "0", "4")
    assert first["registration_code"] == ideas[2].registration.code
    for person in [*people, *(i.author for i in ideas)]:
        assert person.email not in text
        assert person.display_name not in text


# --- The racecourse page links here ---------------------------------------------------


def test_racecourse_page_links_to_judging_while_open(client, voter, window, ideas):
    client.force_login(voter)
    content = client.get(window.racecourse.get_absolute_url()).content.decode()
    assert reverse("voting:judge", args=[window.racecourse_id]) in content
    assert reverse("voting:results", args=[window.racecourse_id]) not in content


def test_racecourse_page_links_to_results_after_close(client, voter, window, ideas):
    close(window)
    client.force_login(voter)
    content = client.get(window.racecourse.get_absolute_url()).content.decode()
    assert reverse("voting:judge", args=[window.racecourse_id]) not in content
    assert reverse("voting:results", args=[window.racecourse_id]) in content


def test_racecourse_page_links_hr_to_live_results(client, hr_admin, window, ideas):
    client.force_login(hr_admin)
    content = client.get(window.racecourse.get_absolute_url()).content.decode()
    assert reverse("voting:results", args=[window.racecourse_id]) in content


# --- Query counts do not grow with the number of ideas ---------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _grow(window, to: int):
    have = window.racecourse.ideas.filter(stage=Stage.SCREENING).count()
    for n in range(have, to):
        screening_idea(window, title=f"Idea {n}")


@pytest.mark.parametrize("mode", ["", "list"])
def test_judge_page_queries_do_not_grow_with_ideas(
    voter_client, voter, window, mode, django_assert_max_num_queries
):
    _grow(window, 5)
    url = judge_url(window, mode=mode) if mode else judge_url(window)
    voter_client.get(url)  # the first card's impression is written once
    few = _queries(voter_client, url)
    _grow(window, 30)
    voter_client.get(url)
    with django_assert_max_num_queries(few):
        voter_client.get(url)


def test_results_page_queries_do_not_grow_with_ideas(
    client, hr_admin, window, django_assert_max_num_queries
):
    client.force_login(hr_admin)
    _grow(window, 5)
    tally_round(window=window)
    few = _queries(client, results_url(window))
    _grow(window, 30)
    tally_round(window=window)
    with django_assert_max_num_queries(few):
        client.get(results_url(window))
    with django_assert_max_num_queries(few):
        client.get(csv_url(window))


def test_racecourse_page_offers_judging_only_to_its_audience(client):
    """Outside a department's audience there is no "Judge ideas" button."""
    from django.urls import reverse

    from tests.factories import DepartmentFactory, RacecourseFactory, StageWindowFactory
    from tests.factories import UserFactory as Users

    dept = DepartmentFactory()
    racecourse = RacecourseFactory(kind="department", department=dept)
    StageWindowFactory(racecourse=racecourse, stage="screening")
    judge_url = reverse("voting:judge", args=[racecourse.pk])
    page_url = reverse("contests:racecourse", args=[racecourse.pk])
    client.force_login(Users(department=dept))
    assert judge_url in client.get(page_url).content.decode()
    client.force_login(Users(department=DepartmentFactory()))
    assert judge_url not in client.get(page_url).content.decode()


@pytest.mark.parametrize(
    ("action", "fields"),
    [
        ("cast", {"choice": "support", "mode": "card"}),
        ("cast", {"choice": "support", "mode": "list"}),
        ("cast", {"choice": "skip", "mode": "card"}),
        ("withdraw", {"mode": "card"}),
    ],
)
def test_posting_an_idea_you_may_not_see_reveals_nothing(
    voter_client, window, action, fields
):
    """A draft on the racecourse is unknown to a voter: no title, no ballot."""
    from ideas.models import Visibility
    from tests.factories import idea_draft

    secret = idea_draft(
        racecourse=window.racecourse,
        title="Secret merger plan",
        visibility=Visibility.CONFIDENTIAL,
    )
    target = cast_url(window) if action == "cast" else withdraw_url(window)
    response = voter_client.post(
        target, {"idea": secret.pk, **fields}, HTTP_HX_REQUEST="true", follow=True
    )
    assert "Secret merger plan" not in response.content.decode()
    assert not Ballot.objects.filter(idea=secret).exists()
