"""Every declared notification event renders, in English and in Chinese."""

import re

import pytest

from horserace.notifications import events

# The areas' events, registered when their apps are ready (not the tests' own).
DECLARED = {k: e for k, e in events.registered().items() if not k.startswith("tests.")}


def test_the_areas_declared_their_events():
    areas = {kind.split(".")[0] for kind in DECLARED}
    assert areas == {"ideas", "voting", "reports"}
    assert len(DECLARED) >= 40


@pytest.mark.parametrize("kind", sorted(DECLARED))
def test_every_event_renders_in_english_and_chinese(kind):
    event = DECLARED[kind]
    assert event.__doc__, f"{kind}: say who is told in the docstring"
    params = dict(event.example)
    assert events.validate(kind, params) is event, "its example fits its params"
    english = event.render(params, "en")
    chinese = event.render(params, "zh-hans")
    for subject, body in (english, chinese):
        assert subject.strip()
        assert not re.search(r"\{\w+\}", subject + body), "a placeholder was left"
    assert chinese[0] != english[0], f"{kind}: its subject has no zh-hans translation"
    # The content a non-reader is sent: blanked, and it still renders.
    withheld = event.withheld(params)
    assert all(withheld[name] == "" for name in event.content)
    assert event.render(withheld, "zh-hans")[0].strip()


@pytest.mark.parametrize("kind", sorted(k for k, e in DECLARED.items() if e.content))
def test_an_event_with_content_keeps_its_body_to_the_content(kind):
    """Whoever may not read the idea gets the event with ``content`` blanked:
    so every parameter its body shows must be content, or it would leak."""
    event = DECLARED[kind]
    shown = set(re.findall(r"\{(\w+)\}", str(event.body)))
    assert shown <= set(event.content), (
        f"{kind}: body shows {shown - set(event.content)}"
    )
