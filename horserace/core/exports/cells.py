"""One cell for a spreadsheet: numbers stay numbers, text cannot be a formula."""

from datetime import date, datetime
from decimal import Decimal

# A cell starting with one of these is a formula to Excel and LibreOffice
# (CSV or formula injection); a leading apostrophe makes it plain text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` as a CSV or XLSX cell: None is empty, text is defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text
