"""Ids from text: the ``<id:...>`` path converter and ``parse_id``.

Django's ``<id:...>`` matches any number of digits, and a 30-digit id then
reaches lookups such as ``filter(idea_id=...)`` that Django does not guard:
an OverflowError (a 500) on SQLite. No row has an id of more than 18 digits
(the bigint range holds every 18-digit number), so a longer one does not
match the URL at all: a 404, like any other id that names nothing.
"""

from django.urls import register_converter

#: The largest id the converter matches (and the schema documents).
MAX_PATH_ID = 10**18 - 1


class IdConverter:
    regex = "[0-9]{1,18}"  # every 18-digit number is below 2**63 - 1

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


def parse_id(value) -> int | None:
    """An id from a query string, or None when the text cannot be one.

    ``str.isdigit()`` is no test: "²" is a digit to it and int("²") raises
    ValueError (a 500), and a 30-digit number overflows the database.
    """
    if isinstance(value, str) and value.isascii() and value.isdigit():
        number = int(value) if len(value) <= 18 else 0
        return number or None
    return None


def register() -> None:
    register_converter(IdConverter, "id")
