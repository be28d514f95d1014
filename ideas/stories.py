"""An idea's story on its page: one chapter per stage, told by the floor that
owns the stage.

``ideas`` tells gestation and realization; ``voting`` registers screening and
evaluation when it is ready, so the idea page never imports the floor above
it. A chapter reader takes ``idea`` and ``user`` and returns what ``user`` may
see of that stage (None or empty when the idea never got that far).
"""

from collections.abc import Callable
from typing import Any

from horserace.accounts.models import User

from .models import Idea

Chapter = Callable[..., Any]

_chapters: dict[str, Chapter] = {}


def register(name: str, reader: Chapter) -> None:
    """Make ``reader`` the teller of chapter ``name`` (the template's variable)."""
    _chapters[name] = reader


def idea_story(*, idea: Idea, user: User) -> dict[str, Any]:
    """Every registered chapter of ``idea``'s story, as ``user`` may see it."""
    return {name: reader(idea=idea, user=user) for name, reader in _chapters.items()}
