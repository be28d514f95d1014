"""A live tally on demand (``voting.screening.refresh``): HR and the
racecourse's admins recount a round now, at most once per window per interval;
the close still recounts, so the final tally is exact."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from ideas.models import Stage
from tests.contests.test_closing import (
    admin_of,
    close,
    end,
    in_screening,
    judge,
    screening_window,
    stage_of,
)
from tests.factories import UserFactory
from voting.models import Tally
from voting.screening.refresh import TallyRefreshTooSoon, tally_refresh

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def supports(idea, window) -> int:
    return Tally.objects.get(idea=idea, window=window).supports


def test_a_refresh_recounts_the_round_now(hr_admin):
    window = screening_window()
    a, b = in_screening(window.racecourse, 2)
    judge(a, "++-")
    assert not Tally.objects.filter(window=window).exists()

    result = tally_refresh(window=window, actor=hr_admin)

    assert result.ideas == 2
    assert supports(a, window) == 2
    assert Tally.objects.get(idea=a, window=window).opposes == 1
    assert Tally.objects.get(idea=b, window=window).computed_at == result.computed_at
    assert (result.next_refresh_at - result.computed_at).total_seconds() == 30


def test_a_second_refresh_within_the_interval_is_refused_and_counts_nothing(
    hr_admin,
):
    window = screening_window()
    (idea,) = in_screening(window.racecourse, 1)
    judge(idea, "+")
    first = tally_refresh(window=window, actor=hr_admin)
    judge(idea, "+")

    with pytest.raises(TallyRefreshTooSoon) as refused:
        tally_refresh(window=window, actor=admin_of(window.racecourse))

    assert supports(idea, window) == 1
    assert refused.value.available_at == first.next_refresh_at
    assert 1 <= refused.value.retry_after <= 30


def test_the_limit_is_per_window(hr_admin):
    one, other = screening_window(), screening_window()
    in_screening(other.racecourse, 1)
    tally_refresh(window=one, actor=hr_admin)

    assert tally_refresh(window=other, actor=hr_admin).ideas == 1


def test_an_interval_of_zero_turns_the_limit_off(hr_admin, settings):
    settings.HORSERACE_TALLY_REFRESH_SECONDS = 0
    window = screening_window()
    (idea,) = in_screening(window.racecourse, 1)
    tally_refresh(window=window, actor=hr_admin)
    judge(idea, "+")

    tally_refresh(window=window, actor=hr_admin)

    assert supports(idea, window) == 1


def test_a_racecourse_admin_may_refresh_their_own_racecourse():
    window = screening_window()
    in_screening(window.racecourse, 1)
    assert tally_refresh(window=window, actor=admin_of(window.racecourse)).ideas == 1


@pytest.mark.parametrize("who", ["employee", "author", "other admin"])
def test_nobody_else_may_refresh(who):
    window = screening_window()
    (idea,) = in_screening(window.racecourse, 1)
    actor = {
        "employee": UserFactory,
        "author": lambda: idea.author,
        "other admin": lambda: admin_of(screening_window().racecourse),
    }[who]()

    with pytest.raises(PermissionDenied):
        tally_refresh(window=window, actor=actor)

    assert not Tally.objects.filter(window=window).exists()
    # A refusal does not use up the window's refresh.
    tally_refresh(window=window, actor=admin_of(window.racecourse))


def test_a_window_whose_result_is_applied_is_final(hr_admin):
    window = screening_window(top_k=1)
    (idea,) = in_screening(window.racecourse, 1)
    judge(idea, "+")
    end(window)
    close(window)
    window.refresh_from_db()
    computed_at = Tally.objects.get(idea=idea, window=window).computed_at

    with pytest.raises(ValidationError) as refused:
        tally_refresh(window=window, actor=hr_admin)

    assert refused.value.code == "final"
    assert Tally.objects.get(idea=idea, window=window).computed_at == computed_at


def test_an_upcoming_window_has_nothing_to_refresh(hr_admin):
    window = screening_window(
        opens_at=timezone.now() + dt.timedelta(days=1),
        closes_at=timezone.now() + dt.timedelta(days=2),
    )
    with pytest.raises(ValidationError) as refused:
        tally_refresh(window=window, actor=hr_admin)
    assert refused.value.code == "not_open"


def test_the_close_recounts_even_right_after_a_refresh(hr_admin):
    """A refresh is a snapshot; the decision at the close reads a fresh count."""
    window = screening_window(top_k=1)
    early, late = in_screening(window.racecourse, 2)
    judge(early, "+")
    tally_refresh(window=window, actor=hr_admin)
    assert supports(late, window) == 0
    judge(late, "+++")  # after the refresh, before the close
    end(window)

    outcome = close(window)

    assert supports(late, window) == 3
    assert Tally.objects.get(idea=late, window=window).rank == 1
    assert outcome["passed"] == [late.pk]
    assert stage_of(late) == Stage.GESTATION
    assert stage_of(early) == Stage.ELIMINATED


# --- The API: POST /api/v1/windows/{id}/tally/ -------------------------------------


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def tally_url(window) -> str:
    return reverse("api:window-tally-refresh", args=[window.pk])


def test_api_refresh_answers_when_it_was_computed(hr_admin):
    window = screening_window()
    (idea,) = in_screening(window.racecourse, 1)
    judge(idea, "+-")

    response = api(hr_admin).post(tally_url(window))

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["window"] == window.pk
    assert body["ideas"] == 1
    tally = Tally.objects.get(idea=idea, window=window)
    assert tally.voters == 2
    assert body["computed_at"].startswith(tally.computed_at.isoformat()[:19])
    assert body["next_refresh_at"] > body["computed_at"]


def test_api_second_refresh_is_a_429_with_retry_after(hr_admin):
    window = screening_window()
    in_screening(window.racecourse, 1)
    client = api(hr_admin)
    assert client.post(tally_url(window)).status_code == 200

    response = client.post(tally_url(window))

    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "throttled"
    assert "refresh again" in body["detail"]
    assert 1 <= int(response["Retry-After"]) <= 30


def test_api_refusals(hr_admin):
    window = screening_window()
    in_screening(window.racecourse, 1)
    assert api().post(tally_url(window)).status_code == 401
    assert api(UserFactory()).post(tally_url(window)).status_code == 403
    missing = reverse("api:window-tally-refresh", args=[10**9])
    assert api(hr_admin).post(missing).status_code == 404
    assert api(hr_admin).get(tally_url(window)).status_code == 405


def test_api_refresh_of_an_applied_window_is_a_400(hr_admin):
    window = screening_window(top_k=1)
    in_screening(window.racecourse, 1)
    end(window)
    close(window)

    response = api(hr_admin).post(tally_url(window))

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


# --- The browser: the results page's "Refresh tally" button ------------------------


def results_url(window) -> str:
    return reverse("voting:results", args=[window.racecourse_id])


def refresh_url(window) -> str:
    return reverse("voting:results_refresh", args=[window.racecourse_id])


def test_the_button_is_shown_to_managers_only(client, hr_admin):
    window = screening_window(hide_counts=False)
    in_screening(window.racecourse, 1)
    client.force_login(hr_admin)
    assert refresh_url(window) in client.get(results_url(window)).content.decode()

    client.force_login(UserFactory())
    page = client.get(results_url(window))
    assert page.status_code == 200
    assert refresh_url(window) not in page.content.decode()


def test_the_button_recounts_then_says_when_it_can_run_again(client):
    window = screening_window()
    (idea,) = in_screening(window.racecourse, 1)
    judge(idea, "+")
    client.force_login(admin_of(window.racecourse))

    first = client.post(refresh_url(window), follow=True)

    assert first.redirect_chain[-1][0] == results_url(window)
    assert "Tally refreshed: 1 idea recounted." in first.content.decode()
    assert supports(idea, window) == 1

    judge(idea, "+")
    second = client.post(refresh_url(window), follow=True)

    assert "You can refresh it again at" in second.content.decode()
    assert supports(idea, window) == 1


def test_the_button_refuses_others_and_gets(client):
    window = screening_window()
    in_screening(window.racecourse, 1)
    client.force_login(UserFactory())
    assert client.post(refresh_url(window)).status_code == 403
    assert not Tally.objects.filter(window=window).exists()
    client.force_login(admin_of(window.racecourse))
    assert client.get(refresh_url(window)).status_code == 405
