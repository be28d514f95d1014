"""Windows close at the instant their admin meant, whatever the time zones.

Window times are entered in the Django admin, in the time zone of the person
entering them (``accounts.User.time_zone``, activated for each request by
``UserPreferencesMiddleware``), stored in UTC, and shown to each viewer in
the viewer's own zone. The periodic close (``close_due_windows``) compares
UTC instants, so a daylight-saving change between entering and closing moves
nothing: one second before the instant it does nothing, one second after it
closes.

Dates: in 2026 Europe/Berlin leaves summer time on Sunday 25 October (03:00
CEST → 02:00 CET) while America/New_York stays on summer time until Sunday 1
November; Europe/Berlin starts summer time again on 28 March 2027.
"""

import datetime as dt
import zoneinfo

import pytest
from django.utils import formats, timezone

from contests import tasks
from contests.models import StageWindow, WindowStage
from tests.factories import RacecourseFactory, StageWindowFactory, UserFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
SECOND = dt.timedelta(seconds=1)


def _racecourse():
    """A racecourse with no other window that the moved clock could close."""
    return RacecourseFactory()


def _admin(zone: str):
    return UserFactory(
        is_staff=True, is_superuser=True, is_hr_admin=True, time_zone=zone
    )


def _enter_window(client, *, admin, racecourse, opens: str, closes: str):
    """Add a screening window through the admin form: local "YYYY-MM-DD HH:MM"."""
    client.force_login(admin)
    (opens_date, opens_time), (closes_date, closes_time) = (
        opens.split(),
        closes.split(),
    )
    response = client.post(
        "/admin/contests/stagewindow/add/",
        {
            "racecourse": racecourse.pk,
            "stage": WindowStage.SCREENING,
            "opens_at_0": opens_date,
            "opens_at_1": opens_time,
            "closes_at_0": closes_date,
            "closes_at_1": closes_time,
            "rule": StageWindow.Rule.VOTED_DOWN,
            "hide_counts": "on",
            "missing_proposal": "eliminate",
        },
    )
    return response


def _close_at(monkeypatch, instant: dt.datetime) -> int:
    """Run the periodic close as if the clock said ``instant``."""
    monkeypatch.setattr(timezone, "now", lambda: instant)
    return tasks.close_due_windows()


def _window_entered(client, **kwargs) -> StageWindow:
    response = _enter_window(client, **kwargs)
    assert response.status_code == 302, response.content.decode()[:3000]
    return StageWindow.objects.latest("pk")


def test_a_berlin_window_closes_at_nine_berlin_time_the_day_after_dst_ends(
    client, monkeypatch
):
    """09:00 Berlin on 26 Oct 2026 is 08:00 UTC (CET); -1 s nothing, +1 s closed."""
    racecourse = _racecourse()
    window = _window_entered(
        client,
        admin=_admin("Europe/Berlin"),
        racecourse=racecourse,
        opens="2026-10-20 09:00",  # still summer time: 07:00 UTC
        closes="2026-10-26 09:00",  # winter time: 08:00 UTC
    )
    assert window.opens_at == dt.datetime(2026, 10, 20, 7, 0, tzinfo=UTC)
    assert window.closes_at == dt.datetime(2026, 10, 26, 8, 0, tzinfo=UTC)
    assert window.closes_at.astimezone(BERLIN).hour == 9

    assert _close_at(monkeypatch, window.closes_at - SECOND) == 0
    window.refresh_from_db()
    assert window.applied_at is None
    # Where the summer offset would have put it (07:00 UTC) is an hour early.
    assert _close_at(monkeypatch, dt.datetime(2026, 10, 26, 7, 0, 1, tzinfo=UTC)) == 0

    assert _close_at(monkeypatch, window.closes_at + SECOND) == 1
    window.refresh_from_db()
    assert window.applied_at == window.closes_at + SECOND


def test_a_window_closes_at_nine_berlin_time_the_day_after_dst_starts(
    client, monkeypatch
):
    """09:00 Berlin on 29 Mar 2027 is 07:00 UTC (CEST)."""
    window = _window_entered(
        client,
        admin=_admin("Europe/Berlin"),
        racecourse=_racecourse(),
        opens="2027-03-20 09:00",  # winter time: 08:00 UTC
        closes="2027-03-29 09:00",
    )
    assert window.opens_at == dt.datetime(2027, 3, 20, 8, 0, tzinfo=UTC)
    assert window.closes_at == dt.datetime(2027, 3, 29, 7, 0, tzinfo=UTC)
    assert _close_at(monkeypatch, window.closes_at - SECOND) == 0
    assert _close_at(monkeypatch, window.closes_at + SECOND) == 1


@pytest.mark.parametrize(
    ("zone", "local"),
    [
        ("Europe/Berlin", "2026-10-26 09:00"),  # CET, UTC+1, since the day before
        ("America/New_York", "2026-10-26 04:00"),  # still EDT, UTC-4
        ("Asia/Shanghai", "2026-10-26 16:00"),  # CST, UTC+8, no DST
        ("UTC", "2026-10-26 08:00"),
    ],
)
def test_admins_in_different_zones_enter_the_same_instant(
    client, monkeypatch, zone, local
):
    """Each admin types their own wall-clock time; the close is one UTC instant."""
    window = _window_entered(
        client,
        admin=_admin(zone),
        racecourse=_racecourse(),
        opens="2026-10-01 00:00",
        closes=local,
    )
    assert window.closes_at == dt.datetime(2026, 10, 26, 8, 0, tzinfo=UTC)
    assert _close_at(monkeypatch, window.closes_at - SECOND) == 0
    assert _close_at(monkeypatch, window.closes_at + SECOND) == 1


@pytest.mark.parametrize(
    ("local", "why"),
    [
        ("2026-10-25 02:30", "happens twice: CEST, then again CET"),
        ("2027-03-28 02:30", "does not exist: clocks jump from 02:00 to 03:00"),
    ],
)
def test_a_wall_clock_time_the_dst_change_makes_ambiguous_is_refused(
    client, local, why
):
    """The form asks again instead of guessing an hour either way."""
    response = _enter_window(
        client,
        admin=_admin("Europe/Berlin"),
        racecourse=_racecourse(),
        opens="2026-10-01 00:00",
        closes=local,
    )
    assert response.status_code == 200, why
    assert "Europe/Berlin" in response.context["adminform"].form.errors["closes_at"][0]
    assert not StageWindow.objects.filter(stage=WindowStage.SCREENING).exists()


def test_the_admin_form_says_which_time_zone_times_are_entered_in(client):
    """The help text names the admin's zone, on the window and the inline forms."""
    client.force_login(_admin("Asia/Shanghai"))
    page = client.get("/admin/contests/stagewindow/add/").content.decode()
    assert "Asia/Shanghai" in page
    racecourse = _racecourse()
    page = client.get(
        f"/admin/contests/racecourse/{racecourse.pk}/change/"
    ).content.decode()
    assert "Asia/Shanghai" in page


@pytest.mark.parametrize("zone", ["Europe/Berlin", "Asia/Shanghai", "America/New_York"])
def test_the_schedule_shows_the_close_in_the_viewers_zone(client, zone):
    """The racecourse page shows the viewer's wall-clock time and names the zone."""
    racecourse = _racecourse()
    closes = dt.datetime(2026, 10, 26, 8, 0, tzinfo=UTC)
    StageWindowFactory(
        racecourse=racecourse,
        stage=WindowStage.SCREENING,
        opens_at=dt.datetime(2026, 10, 1, tzinfo=UTC),
        closes_at=closes,
    )
    client.force_login(UserFactory(time_zone=zone))
    page = client.get(f"/racecourses/{racecourse.pk}/").content.decode()
    local = closes.astimezone(zoneinfo.ZoneInfo(zone))
    with timezone.override(zone):
        shown = formats.date_format(local, "SHORT_DATETIME_FORMAT")
    assert shown in page
    assert zone in page
    with timezone.override("UTC"):
        utc_shown = formats.date_format(closes, "SHORT_DATETIME_FORMAT")
    assert utc_shown not in page  # not the server's UTC


def test_the_api_gives_the_close_as_an_instant_with_the_viewers_offset(client):
    """``closes_at`` in the API carries the offset, so clients never guess."""
    racecourse = _racecourse()
    window = StageWindowFactory(
        racecourse=racecourse,
        stage=WindowStage.SCREENING,
        opens_at=dt.datetime(2026, 10, 1, tzinfo=UTC),
        closes_at=dt.datetime(2026, 10, 26, 8, 0, tzinfo=UTC),
    )
    client.force_login(_admin("Europe/Berlin"))
    body = client.get(f"/api/v1/windows/{window.pk}/").json()
    assert body["closes_at"] == "2026-10-26T09:00:00+01:00"
    assert dt.datetime.fromisoformat(body["closes_at"]) == window.closes_at
