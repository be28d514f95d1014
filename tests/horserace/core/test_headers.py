"""Every response carries the security headers the settings promise."""

import pytest
from django.urls import reverse


@pytest.fixture
def page(client, db):
    return client.get(reverse("account_login"))


def test_csp_pins_base_uri_forms_and_framing(page):
    """An injected <base> cannot re-point relative URLs at another host."""
    policy = page.headers["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in policy.split("; ")}
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"][0] == "'self'"
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]


def test_permissions_policy_switches_off_unused_browser_features(page):
    policy = page.headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy
