"""No idea is registered into a race whose online screening is over.

Found walking issue 10's scenario: HR closed the main racecourse's screening
early while its registration window stayed open for weeks. An idea registered
then waited "until registration closes", and at that close the registration
closer moved it into the screening round that had closed: in screening, on
nobody's queue, never passed nor eliminated. Registration now ends with the
racecourse's screening.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from contests.closing import window_apply
from contests.console import services
from contests.models import Racecourse, StageWindow, WindowStage
from contests.selectors import registration_is_open
from ideas.models import Stage
from ideas.services.registration import idea_register
from tests.factories import UserFactory, idea_draft
from tests.season_scenario import last_season

pytestmark = pytest.mark.django_db


def _open_season_with_screening_open_now():
    source = last_season()
    hr = UserFactory(is_hr_admin=True)
    season = services.season_copy(
        source=source, name="This year", year=source.year + 1, actor=hr
    )
    main = Racecourse.objects.get(season=season, kind=Racecourse.Kind.MAIN)
    screening = StageWindow.objects.get(racecourse=main, stage=WindowStage.SCREENING)
    services.window_move(
        window=screening, actor=hr, opens_at=timezone.now() - dt.timedelta(hours=1)
    )
    services.season_open(season=season, actor=hr)
    return hr, main, screening


def test_registration_ends_when_screening_is_closed_early():
    hr, main, screening = _open_season_with_screening_open_now()
    before = idea_draft(racecourse=main)
    idea_register(idea=before, actor=before.author)
    before.refresh_from_db()
    assert before.stage == Stage.SCREENING  # rolling entry, while it is open

    services.window_close_early(window=screening, actor=hr, reason="Pilot over")
    registration = StageWindow.objects.get(
        racecourse=main, stage=WindowStage.REGISTRATION
    )
    assert registration.is_open(timezone.now())  # its window is still open…
    main = Racecourse.objects.get(pk=main.pk)
    assert not registration_is_open(racecourse=main)  # …but registration is over

    late = idea_draft(racecourse=main)
    with pytest.raises(ValidationError, match="Registration is not open"):
        idea_register(idea=late, actor=late.author)
    late.refresh_from_db()
    assert late.stage == Stage.DRAFT


def test_registration_ends_when_a_screening_that_closed_first_is_applied():
    """A schedule where registration outlasts screening: once screening's
    rule has run at its close, registering is refused."""
    _hr, main, screening = _open_season_with_screening_open_now()
    StageWindow.objects.filter(pk=screening.pk).update(
        closes_at=timezone.now() - dt.timedelta(minutes=1)
    )
    screening.refresh_from_db()
    assert window_apply(window=screening)["status"] == "applied"
    main = Racecourse.objects.get(pk=main.pk)
    assert not registration_is_open(racecourse=main)
    late = idea_draft(racecourse=main)
    with pytest.raises(ValidationError, match="Registration is not open"):
        idea_register(idea=late, actor=late.author)
