"""The posted "next" address is followed only when it stays on this site."""

import pytest

from horserace.common.pages import next_or


@pytest.mark.parametrize(
    "posted, expected",
    [
        ("/ideas/7/#comment-3", "/ideas/7/#comment-3"),
        ("", "fallback"),
        ("https://evil.example/", "fallback"),
        ("//evil.example/", "fallback"),
        ("/\\evil.example", "fallback"),
        ("javascript:alert(1)", "fallback"),
    ],
)
def test_next_or_refuses_other_sites(rf, posted, expected):
    request = rf.post("/x/", {"next": posted})
    assert next_or(request, "fallback") == expected
