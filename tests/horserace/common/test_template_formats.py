"""Every template shows times, days and money through the format library
(``|when``, ``|day``, ``|money``, ``|quantity``): a raw ``|date:"..."`` or a
money ``|floatformat`` is the next "12/02/2026" or "80000.00" waiting to
happen. Machine formats (ISO 8601 in data attributes, a month's short name on
the timeline's scale) are allowed by name below."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
RAW_DATE = re.compile(r"""\|\s*date\s*:\s*(["'])(?P<format>[^"']*)\1""")
RAW_TIME = re.compile(r"""\|\s*date\b(?!\s*:)""")
FLOATFORMAT = re.compile(
    r"""(?P<expr>[\w.]+)\|floatformat(?::(["'])?(?P<arg>[^"'\s}]*)\2?)?"""
)

# Formats meant for machines, not for reading.
MACHINE_DATE_FORMATS = {"c", "U"}
# (template, format): a short month name on the console timeline's scale.
ALLOWED_DATES = {("contests/console/timeline.html", "M")}
# Scores and percentages are not money; these names are.
MONEY_WORDS = (
    "amount",
    "granted",
    "pending",
    "left",
    "planned",
    "released",
    "remaining",
    "in_review",
    "total",
    "budget",
    "price",
    "cost",
)


def _templates():
    for path in sorted(TEMPLATES.rglob("*.html")) + sorted(TEMPLATES.rglob("*.txt")):
        yield path.relative_to(TEMPLATES).as_posix(), path.read_text()


def test_no_template_formats_dates_by_hand():
    found = []
    for name, text in _templates():
        for match in RAW_DATE.finditer(text):
            fmt = match["format"]
            if fmt in MACHINE_DATE_FORMATS or (name, fmt) in ALLOWED_DATES:
                continue
            found.append(f"{name}: {match[0]}")
        found += [f"{name}: {m[0]}" for m in RAW_TIME.finditer(text)]
    assert not found, "Use |when or |day instead of:\n" + "\n".join(found)


def test_no_template_formats_money_by_hand():
    found = []
    for name, text in _templates():
        for match in FLOATFORMAT.finditer(text):
            last = match["expr"].rsplit(".", 1)[-1]
            if any(last == w or last.endswith(f"_{w}") for w in MONEY_WORDS) or match[
                "arg"
            ] in ("2g", "-2g", '"2g"', '"-2g"'):
                found.append(f"{name}: {match[0]}")
        for line in text.splitlines():
            if re.search(r"\{\{\s*[\w.]*currency\s*\}\}", line):
                found.append(f"{name}: {line.strip()[:120]}")
    assert not found, "Use |money or |quantity instead of:\n" + "\n".join(found)


def test_the_scan_catches_what_it_should(tmp_path, monkeypatch):
    """The scan is not blind: a forgotten raw format fails it."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '{{ x.created_at|date:"SHORT_DATE_FORMAT" }} {{ t.amount|floatformat:"2g" }} '
        "{{ plan.currency }} {{ y|date:'c' }}"
    )
    monkeypatch.setattr(
        "tests.horserace.common.test_template_formats.TEMPLATES", tmp_path
    )
    for test in (
        test_no_template_formats_dates_by_hand,
        test_no_template_formats_money_by_hand,
    ):
        try:
            test()
        except AssertionError as error:
            assert "bad.html" in str(error)
        else:
            raise AssertionError(f"{test.__name__} missed bad.html")
