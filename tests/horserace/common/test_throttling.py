"""horserace/common/throttling.py: a counter per client and period."""

import secrets

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache.backends.locmem import LocMemCache
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from horserace.common.throttling import AnonRateThrottle, UserRateThrottle
from tests.factories import UserFactory


class Clock:
    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


def _throttle(cls, rate: str, clock: Clock, cache):
    class Throttle(cls):
        pass

    Throttle.rate = rate
    Throttle.timer = clock
    Throttle.cache = cache
    return Throttle


def _anon_request(address="192.0.2.10"):
    request = APIRequestFactory().get("/api/v1/", REMOTE_ADDR=address)
    request.user = AnonymousUser()
    return request


@pytest.fixture
def cache():
    return LocMemCache(secrets.token_hex(6), {})


def test_allows_the_rate_then_refuses_until_the_period_ends(cache):
    clock = Clock(1_000_020.0)  # 20 s into a minute (1,000,020 = 16,667 min + 0)
    Throttle = _throttle(AnonRateThrottle, "3/min", clock, cache)
    request = _anon_request()
    allowed = [Throttle().allow_request(request, None) for _ in range(3)]
    assert allowed == [True, True, True]
    refused = Throttle()
    assert refused.allow_request(request, None) is False
    # Retry-After is what is left of this minute.
    period_end = (int(clock.now // 60) + 1) * 60
    assert refused.wait() == pytest.approx(period_end - clock.now)
    clock.now = period_end + 0.5  # the next minute starts afresh
    assert Throttle().allow_request(request, None) is True


def test_each_client_is_counted_on_its_own(cache):
    Throttle = _throttle(AnonRateThrottle, "1/min", Clock(600.0), cache)
    assert Throttle().allow_request(_anon_request("192.0.2.1"), None)
    assert Throttle().allow_request(_anon_request("192.0.2.2"), None)
    assert not Throttle().allow_request(_anon_request("192.0.2.1"), None)


@pytest.mark.django_db
def test_users_are_counted_by_account_not_address(cache):
    Throttle = _throttle(UserRateThrottle, "2/min", Clock(600.0), cache)
    alice, bob = UserFactory(), UserFactory()

    def request(user, address):
        made = APIRequestFactory().get("/api/v1/", REMOTE_ADDR=address)
        made.user = user
        return made

    assert Throttle().allow_request(request(alice, "192.0.2.1"), None)
    assert Throttle().allow_request(request(alice, "192.0.2.2"), None)
    assert not Throttle().allow_request(request(alice, "192.0.2.3"), None)
    assert Throttle().allow_request(request(bob, "192.0.2.1"), None)


def test_the_state_is_one_number_however_busy_the_client(cache):
    """DRF's own throttle stores every request's time: a busy client's check
    grew with its traffic. Here the cache holds one integer."""
    Throttle = _throttle(AnonRateThrottle, "10000/min", Clock(600.0), cache)
    request = _anon_request()
    for _ in range(500):
        assert Throttle().allow_request(request, None)
    throttle = Throttle()
    throttle.allow_request(request, None)
    stored = cache.get(f"{throttle.key}:10")
    assert stored == 501
    assert list(cache._cache) == [cache.make_key(f"{throttle.key}:10")]


@pytest.mark.django_db
def test_a_throttled_api_call_is_a_429_with_retry_after():
    from django.core.cache import cache as default_cache
    from rest_framework.response import Response

    class TwoAMinute(UserRateThrottle):
        rate = "2/min"
        scope = f"test-{secrets.token_hex(4)}"  # no count left by another run

    TwoAMinute.cache = default_cache

    class Ping(APIView):
        throttle_classes = [TwoAMinute]

        def get(self, request):
            return Response({"ok": True})

    user = UserFactory()
    statuses = []
    for _ in range(3):
        request = APIRequestFactory().get("/api/v1/ping/")
        force_authenticate(request, user=user)
        response = Ping.as_view()(request)
        statuses.append(response.status_code)
    assert statuses == [200, 200, 429]
    assert response.data["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 61
