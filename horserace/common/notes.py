"""System notes: texts the system writes (a closer's "Passed online
screening: 81% support…"), kept so that each reader reads them in their own
language.

A ``Note`` is a ``str`` (its text in the language active when it was
written, so any code that takes a reason keeps working) that also carries its
message id and parameters. Whoever stores a reason stores ``note_data(reason)``
beside the text (JSON, or None for a reason a person typed); a page or a
notification shows ``note_text(data, text)``: the note in the reader's
language, or the stored text as it was typed (and for rows written before
notes existed).

    reason = note(gettext_noop("Passed online screening: %(numbers)s."),
                  numbers=standing.summary())

A parameter may itself be a note (``summary`` is one, with a plural).
"""

import json
from typing import Any

from django.utils.translation import gettext, ngettext


class Note(str):
    msgid: str
    plural: str
    number: int | None
    params: dict[str, Any]

    def __new__(
        cls, msgid: str, *, plural: str = "", count: int | None = None, **params
    ):
        data = {"msgid": msgid, "plural": plural, "count": count, "params": params}
        self = super().__new__(cls, _render(_pack(data)))
        self.msgid, self.plural, self.number, self.params = msgid, plural, count, params
        return self

    def as_data(self) -> dict[str, Any]:
        return _pack(
            {
                "msgid": self.msgid,
                "plural": self.plural,
                "count": self.number,
                "params": self.params,
            }
        )


def note(msgid: str, **params) -> Note:
    """A note from a message id (mark it with ``gettext_noop``) and params."""
    return Note(msgid, **params)


def note_plural(singular: str, plural: str, count: int, **params) -> Note:
    """A note with a plural form chosen by ``count`` in the reader's language."""
    return Note(singular, plural=plural, count=count, **params)


def _pack(data: dict[str, Any]) -> dict[str, Any]:
    params = {
        k: (v.as_data() if isinstance(v, Note) else _plain(v))
        for k, v in data["params"].items()
    }
    packed: dict[str, Any] = {"msgid": data["msgid"], "params": params}
    if data.get("plural"):
        packed["plural"], packed["count"] = data["plural"], data["count"]
    return packed


def _plain(value):
    return value if isinstance(value, str | int | float | bool | None) else str(value)


def _render(data: dict[str, Any]) -> str:
    params = {
        k: (_render(v) if isinstance(v, dict) and "msgid" in v else v)
        for k, v in data.get("params", {}).items()
    }
    if data.get("plural"):
        template = ngettext(data["msgid"], data["plural"], int(data["count"] or 0))
    else:
        template = gettext(data["msgid"])
    return template % params if params else template


def note_data(reason) -> dict[str, Any] | None:
    """What to store beside a reason: a note's data, None for plain text."""
    return reason.as_data() if isinstance(reason, Note) else None


def note_text(data, text: str = "") -> str:
    """The note in the active language, else ``text`` (typed, or from before
    notes). ``data`` may be the stored dict or its JSON."""
    if not data:
        return text
    try:
        if isinstance(data, str):
            data = json.loads(data)
        return _render(data)
    except (ValueError, KeyError, TypeError):
        return text


def note_json(reason) -> str:
    """A note's data as JSON for a notification parameter ("" for plain text)."""
    data = note_data(reason)
    return json.dumps(data, ensure_ascii=False) if data else ""
