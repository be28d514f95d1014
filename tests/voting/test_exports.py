"""The leaderboard CSV: standings only, never a voter or a team."""

import csv
import io

import pytest

from voting.exports import COLUMNS, leaderboard_csv, leaderboard_csv_response
from voting.models import Choice
from voting.selectors.results import leaderboard
from voting.services.ballots import ballot_cast
from voting.services.tallies import tally_round

from .factories import closed_round, screening_idea, screening_round, voters

pytestmark = pytest.mark.django_db


def parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def tallied(window, pattern: dict):
    """Ideas judged by fresh voters (``pattern``: title → string of s/o)."""
    people = voters(max(len(v) for v in pattern.values()))
    ideas = {}
    for title, letters in pattern.items():
        idea = ideas[title] = screening_idea(window, title=title)
        for person, letter in zip(people, letters, strict=False):
            choice = Choice.SUPPORT if letter == "s" else Choice.OPPOSE
            ballot_cast(voter=person, idea=idea, choice=choice)
    tally_round(window=window)
    tallies = leaderboard(window=window).select_related("idea__registration__season")
    return tallies, ideas, people


def test_header_and_one_row_per_idea_in_rank_order():
    window = screening_round()
    tallies, ideas, _people = tallied(
        window, {"Middling": "sso", "Loved": "ssss", "Disliked": "oooo"}
    )
    rows = parse(leaderboard_csv(tallies=tallies))
    assert rows[0] == COLUMNS
    assert [r[2] for r in rows[1:]] == ["Loved", "Middling", "Disliked"]
    loved = dict(zip(COLUMNS, rows[1], strict=True))
    assert loved == {
        "rank": "1",
        "registration_code": ideas["Loved"].registration.code,
        "title": "Loved",
        "supports": "4",
        "opposes": "0",
        "voters": "4",
        "impressions": "4",
        "support_rate": "1.0000",
        "wilson_lower": f"{tallies[0].wilson_lower:.4f}",
        "wilson_upper": "1.0000",
    }
    assert 0 < float(loved["wilson_lower"]) < 1


def test_no_voter_and_no_team_in_the_file():
    window = screening_round()
    tallies, ideas, people = tallied(window, {"Shared lockers": "sos"})
    text = leaderboard_csv(tallies=tallies)
    for person in [*people, ideas["Shared lockers"].author]:
        assert person.email not in text
        assert person.display_name not in text
        assert person.employee_number not in text


def test_anonymous_idea_keeps_its_title_only():
    window = screening_round()
    idea = screening_idea(window, title="Quiet idea", anonymous=True)
    ballot_cast(voter=voters(1)[0], idea=idea, choice=Choice.SUPPORT)
    tally_round(window=window)
    text = leaderboard_csv(tallies=leaderboard(window=window))
    assert "Quiet idea" in text
    assert idea.author.display_name not in text
    assert idea.author.email not in text


def test_idea_nobody_judged_has_zeros():
    window = screening_round()
    screening_idea(window, title="Unseen")
    tally_round(window=window)
    rows = parse(leaderboard_csv(tallies=leaderboard(window=window)))
    assert rows[1][3:] == ["0", "0", "0", "0", "0.0000", "0.0000", "0.0000"]


def test_formulas_in_titles_are_defused():
    """A title like ``=HYPERLINK(...)`` must not run in a spreadsheet."""
    window = screening_round()
    screening_idea(window, title='=HYPERLINK("http://x.example","y")')
    screening_idea(window, title="+1 idea")
    tally_round(window=window)
    rows = parse(leaderboard_csv(tallies=leaderboard(window=window)))
    titles = sorted(r[2] for r in rows[1:])
    assert titles == ["'+1 idea", '\'=HYPERLINK("http://x.example","y")']


def test_response_is_a_utf8_download_named_after_the_racecourse():
    window = closed_round()
    window.racecourse.name = "淘宝 Racecourse"
    response = leaderboard_csv_response(racecourse=window.racecourse, tallies=[])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith('.csv"')
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")  # Excel reads UTF-8 with a BOM
    assert parse(body.lstrip("\ufeff")) == [COLUMNS]
