"""The screening leaderboard as CSV, for spreadsheets.

Only what the results page shows: standings from ``Tally`` snapshots, never a
voter. Team names are left out entirely, so an anonymous idea is known by its
title alone, as on the page.
"""

import csv
import io
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.text import slugify

from voting.models import Tally

COLUMNS = [
    "rank",
    "registration_code",
    "title",
    "supports",
    "opposes",
    "voters",
    "impressions",
    "support_rate",
    "wilson_lower",
    "wilson_upper",
]

# A cell starting with one of these is a formula to Excel and LibreOffice.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    """Defuse spreadsheet formulas in free text (CSV injection)."""
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def tally_row(tally: Tally) -> list:
    idea = tally.idea
    registration = getattr(idea, "registration", None)
    return [
        tally.rank if tally.rank is not None else "",
        registration.code if registration is not None else "",
        _text(idea.title),
        tally.supports,
        tally.opposes,
        tally.voters,
        tally.impressions,
        f"{tally.support_rate:.4f}",
        f"{tally.wilson_lower:.4f}",
        f"{tally.wilson_upper:.4f}",
    ]


def leaderboard_csv(*, tallies: Iterable[Tally]) -> str:
    """The leaderboard as CSV text: a header row, then one row per idea.

    ``tallies`` should come with ``idea__registration__season`` selected, as
    ``voting.screening.selectors.leaderboard`` gives them, or each row costs queries.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for tally in tallies:
        writer.writerow(tally_row(tally))
    return buffer.getvalue()


def leaderboard_csv_response(*, racecourse, tallies: Iterable[Tally]) -> HttpResponse:
    """A download named after the racecourse, with a BOM so Excel reads UTF-8."""
    response = HttpResponse(
        "\ufeff" + leaderboard_csv(tallies=tallies),
        content_type="text/csv; charset=utf-8",
    )
    name = slugify(racecourse.name) or f"racecourse-{racecourse.pk}"
    response["Content-Disposition"] = f'attachment; filename="screening-{name}.csv"'
    return response
