"""A small race for the export tests: two racecourses, a team, voters with reasons."""

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.utils import timezone
from openpyxl import load_workbook

from contests.models import WindowStage
from ideas.models import Stage, TeamMembership
from tests.factories import (
    RacecourseFactory,
    SeasonFactory,
    StageWindowFactory,
    UserFactory,
    idea_in_stage,
)
from voting.models import Ballot, Choice

FORMULA = '=HYPERLINK("http://evil","click")'


@dataclass
class World:
    season: object
    rc_a: object
    rc_b: object
    window: object
    hr: object
    admin_a: object
    employee: object
    captain: object
    member: object
    idea: object
    other: object
    anon: object
    voters: list


def build() -> World:
    season = SeasonFactory(name="Season 2026")
    rc_a = RacecourseFactory(season=season, name="Alpha course", kind="main")
    rc_b = RacecourseFactory(season=season, name="Beta course")
    for rc in (rc_a, rc_b):
        StageWindowFactory(racecourse=rc, stage=WindowStage.REGISTRATION)
    now = timezone.now()
    window = StageWindowFactory(
        racecourse=rc_a,
        stage=WindowStage.SCREENING,
        opens_at=now - dt.timedelta(days=3),
        closes_at=now + dt.timedelta(days=3),
    )
    hr = UserFactory(display_name="Hana HR", is_hr_admin=True)
    admin_a = UserFactory(display_name="Ada Admin")
    rc_a.admins.add(admin_a)
    employee = UserFactory(display_name="Eli Employee")
    captain = UserFactory(display_name="Cora Captain", email="cora@example.com")
    member = UserFactory(display_name="Milo Member")
    idea = idea_in_stage(
        Stage.SCREENING, author=captain, racecourse=rc_a, title="Cold boxes"
    )
    TeamMembership.objects.create(idea=idea, user=member)
    other = idea_in_stage(Stage.REGISTERED, racecourse=rc_b, title="Beta idea")
    anon_captain = UserFactory(display_name="Quiet Captain")
    anon = idea_in_stage(
        Stage.SCREENING,
        author=anon_captain,
        racecourse=rc_a,
        title="Hidden helpers",
        anonymous=True,
    )
    voters = [
        UserFactory(
            display_name=f"Secret Voter {n}",
            email=f"secret.voter{n}@example.com",
            employee_number=f"SV{n:04d}",
        )
        for n in range(4)
    ]
    votes = [
        (voters[0], idea, Choice.SUPPORT, "Useful for small sellers"),
        (voters[1], idea, Choice.OPPOSE, FORMULA),
        (voters[2], idea, Choice.SUPPORT, ""),
        (voters[3], idea, Choice.OPPOSE, "Already exists"),
        (voters[0], anon, Choice.SUPPORT, "Nice"),
    ]
    for voter, target, choice, reason in votes:
        Ballot.objects.create(
            voter=voter, idea=target, window=window, choice=choice, reason=reason
        )
    return World(
        season, rc_a, rc_b, window, hr, admin_a, employee, captain, member,
        idea, other, anon, voters,
    )  # fmt: skip


def apply_round(window):
    """The round closed and its rule applied (what the closer does)."""
    now = timezone.now()
    window.opens_at = now - dt.timedelta(days=5)
    window.closes_at = now - dt.timedelta(minutes=5)
    window.applied_at = now
    window.save()


def read_csv(response) -> list[list[str]]:
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def read_xlsx(data: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    return [
        ["" if v is None else v for v in row]
        for row in sheet.iter_rows(values_only=True)
    ]


def response_bytes(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content
