"""The screening-mode seam (``voting.screening.modes``): the screening closer asks
the window's mode to tally, rank and close, so a new mode needs no other change."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from contests.models import StageWindow
from ideas.models import Stage
from tests.contests.test_closing import (
    close,
    end,
    in_screening,
    judge,
    screening_window,
    stage_of,
)
from voting.screening import modes
from voting.screening.modes.approval import ApprovalMode
from voting.screening.standings import Standing

pytestmark = pytest.mark.django_db


class ContrarianMode(ApprovalMode):
    """A test mode: judged like approval, but the most opposed idea wins."""

    name = "contrarian"

    def __init__(self):
        self.calls = []

    def tally(self, *, window, when=None):
        self.calls.append("tally")
        return super().tally(window=window, when=when)

    def rank(self, *, window, ideas):
        self.calls.append("rank")
        ranked = super().rank(window=window, ideas=ideas)
        return sorted(ranked, key=lambda s: (-s.opposes, s.place))

    def close(self, *, window, standings: list[Standing]) -> set[int]:
        self.calls.append("close")
        return {standings[0].idea.pk}


@pytest.fixture
def contrarian(monkeypatch):
    mode = ContrarianMode()
    monkeypatch.setitem(modes._modes, mode.name, mode)
    return mode


def test_approval_is_the_registered_default():
    assert "approval" in modes.mode_names()
    window = screening_window()
    assert isinstance(modes.mode_for(window), ApprovalMode)


def test_the_close_goes_through_the_windows_mode(contrarian):
    window = screening_window(rule=StageWindow.Rule.TOP_K, top_k=1, mode="contrarian")
    liked, disliked = in_screening(window.racecourse, 2)
    judge(liked, "+++")
    judge(disliked, "---")
    end(window)

    outcome = close(window)

    assert contrarian.calls == ["tally", "rank", "close"]
    assert outcome["passed"] == [disliked.pk]
    assert outcome["eliminated"] == [liked.pk]
    assert stage_of(disliked) == Stage.GESTATION
    assert stage_of(liked) == Stage.ELIMINATED


def test_the_same_window_in_approval_mode_passes_the_liked_idea():
    window = screening_window(rule=StageWindow.Rule.TOP_K, top_k=1)
    liked, disliked = in_screening(window.racecourse, 2)
    judge(liked, "+++")
    judge(disliked, "---")
    end(window)
    assert close(window)["passed"] == [liked.pk]


def test_an_unknown_mode_is_a_clear_error_and_changes_nothing(hr_admin):
    window = screening_window(mode="no-such-mode")
    (idea,) = in_screening(window.racecourse, 1)
    end(window)
    with pytest.raises(ValidationError) as error:
        close(window)
    assert error.value.code == "unknown_mode"

    client = APIClient()
    client.force_authenticate(hr_admin)
    response = client.post(reverse("api:window-close", kwargs={"pk": window.pk}))
    assert response.status_code == 400
    assert "no-such-mode" in str(response.json())
    assert stage_of(idea) == Stage.SCREENING
    window.refresh_from_db()
    assert window.applied_at is None
