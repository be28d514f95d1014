"""Pages come in the viewer's language and times in the viewer's time zone."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone, translation

from horserace.accounts.middleware import UserPreferencesMiddleware
from horserace.accounts.models import User


@pytest.fixture(autouse=True)
def _reset_activation():
    """The middleware activates per thread; leave the thread as we found it."""
    yield
    timezone.deactivate()
    translation.activate("en")


def _run(user, **request_attrs):
    """Pass a request through the middleware; return what the view saw."""
    seen = {}

    def view(request):
        seen["time_zone"] = timezone.get_current_timezone_name()
        seen["language"] = translation.get_language()
        seen["request_language"] = getattr(request, "LANGUAGE_CODE", None)
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.user = user
    for name, value in request_attrs.items():
        setattr(request, name, value)
    response = UserPreferencesMiddleware(view)(request)
    return seen, response


def test_signed_in_user_gets_their_zone_and_language():
    """A signed-in user's saved time zone and language apply to the request."""
    user = User(email="li@example.com", locale="zh-hans", time_zone="Asia/Shanghai")
    seen, response = _run(user)
    assert seen == {
        "time_zone": "Asia/Shanghai",
        "language": "zh-hans",
        "request_language": "zh-hans",
    }
    assert response["Content-Language"] == "zh-hans"


def test_english_user_with_another_zone():
    """Language and zone are independent preferences."""
    user = User(email="ann@example.com", locale="en", time_zone="America/New_York")
    seen, response = _run(user)
    assert (seen["time_zone"], seen["language"]) == ("America/New_York", "en")
    assert response["Content-Language"] == "en"


def test_anonymous_visitor_keeps_the_default_zone_and_their_language():
    """Visitors get the server's zone and the language LocaleMiddleware chose."""
    timezone.activate("Asia/Tokyo")  # left over from an earlier request
    translation.activate("zh-hans")  # as LocaleMiddleware would, from a cookie
    seen, response = _run(AnonymousUser())
    assert seen["time_zone"] == timezone.get_default_timezone_name()
    assert seen["language"] == "zh-hans"
    assert response["Content-Language"] == "zh-hans"


def test_an_unknown_stored_zone_falls_back_to_the_default():
    """A zone that no longer exists does not break the page."""
    user = User(email="li@example.com", locale="en", time_zone="Mars/Olympus_Mons")
    seen, _response = _run(user)
    assert seen["time_zone"] == timezone.get_default_timezone_name()


def test_an_existing_content_language_header_is_kept():
    """Views that set Content-Language themselves are not overridden."""

    def view(request):
        response = HttpResponse("ok")
        response["Content-Language"] = "en"
        return response

    request = RequestFactory().get("/")
    request.user = User(email="li@example.com", locale="zh-hans", time_zone="UTC")
    response = UserPreferencesMiddleware(view)(request)
    assert response["Content-Language"] == "en"


@pytest.mark.django_db
def test_full_stack_request_uses_the_users_language(client):
    """Through the whole middleware stack, the saved language wins over the cookie."""
    user = User.objects.create_user(
        "li@example.com",
        password="pw-12345678",
        display_name="Li",
        locale="zh-hans",
        time_zone="Asia/Shanghai",
    )
    client.force_login(user)
    client.cookies["django_language"] = "en"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
