"""Fixtures shared by every test module."""

import pytest

from tests.factories import UserFactory

# The leak matrix adds up its figures (cells, leaks) on the xdist controller.
pytest_plugins = ["tests.leaks.figures"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def hr_admin(db):
    return UserFactory(is_hr_admin=True, display_name="HR Admin")
