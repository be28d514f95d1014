"""A season's status moves only as its table allows, and every move is recorded."""

import pytest
from django.core.exceptions import ValidationError

from contests import lifecycles
from contests.models import Season
from horserace.common.lifecycles import status_history
from tests.factories import SeasonFactory, UserFactory

pytestmark = pytest.mark.django_db

ALL = {s.value for s in Season.Status}


@pytest.mark.parametrize(
    "move, allowed_from",
    [("open", {"planned"}), ("close", {"open"})],
)
def test_each_move_only_from_its_sources(move, allowed_from):
    for source in ALL:
        season = SeasonFactory(status=source)
        if source in allowed_from:
            lifecycles.move(season, move, actor=UserFactory(), reason="r")
            season.refresh_from_db()
            assert season.status == lifecycles.SEASON.moves[move].target
            (event,) = status_history(lifecycles.SEASON, season)
            assert (event.from_status, event.to_status) == (
                source,
                season.status,
            )
        else:
            with pytest.raises(ValidationError):
                lifecycles.move(season, move)
            season.refresh_from_db()
            assert season.status == source
            assert not status_history(lifecycles.SEASON, season).exists()
