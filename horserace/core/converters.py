"""The ``<id:...>`` path converter every URL with a row id uses.

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


def register() -> None:
    register_converter(IdConverter, "id")
