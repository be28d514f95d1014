"""The JSON parser every API view uses: bounded depth, finite numbers only.

Python's ``json`` module recurses once per nested array or object, so a body of
100,000 ``[`` ends in a RecursionError (a 500, even on the login endpoint,
before anyone is authenticated), and a body just under the interpreter's limit
still reaches serializers and error handlers that recurse too. No payload of
this API nests deeper than a few levels, so anything deeper than ``MAX_DEPTH``
is refused as a 400 before it is parsed.

``1e309`` parses to ``float("inf")``, which no id, count or score can be: int()
of it raises OverflowError deep inside the ORM. Such numbers are refused here
too, once, instead of in every field that might receive one.
"""

import json
import math
import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers

MAX_DEPTH = 32

# Strings (which may hold brackets) and the brackets themselves, in order.
# An unterminated string runs to the end, so every byte is looked at once.
_TOKENS = re.compile(rb'"(?:[^"\\]++|\\.)*+(?:"|\Z)|[\[{\]}]', re.DOTALL)
_OPENERS = frozenset(b"[{")


def json_depth_exceeds(raw: bytes, limit: int = MAX_DEPTH) -> bool:
    """Whether the JSON text nests arrays/objects deeper than ``limit``.

    Cheap for ordinary bodies: with no more than ``limit`` opening brackets in
    the whole text (counted in C) it cannot be too deep. Otherwise the text is
    scanned once, without building anything, stopping at the first excess.
    """
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return False
    depth = 0
    for match in _TOKENS.finditer(raw):
        token = match.group()
        if len(token) != 1:
            continue  # a string
        if token[0] in _OPENERS:
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise exceptions.ParseError(
            _("JSON parse error - number out of range: %(number)s.")
            % {"number": text[:40]}
        )
    return value


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing too deep, too large or infinite input."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1 if limit is not None else -1) if stream else b""
        if limit is not None and len(raw) > limit:
            raise exceptions.ParseError(_("JSON parse error - the body is too large."))
        if json_depth_exceeds(raw):
            raise exceptions.ParseError(
                _("JSON parse error - nested deeper than %(depth)d levels.")
                % {"depth": MAX_DEPTH}
            )
        try:
            text = raw.decode(encoding)
            return json.loads(
                text,
                parse_float=_finite_float,
                parse_constant=_reject_constant,
            )
        except (ValueError, RecursionError) as exc:
            # ValueError: bad syntax, bad encoding, or an integer of more
            # digits than Python converts (sys.get_int_max_str_digits()).
            raise exceptions.ParseError(
                _("JSON parse error - %(error)s") % {"error": str(exc)[:200]}
            ) from None


def _reject_constant(name: str):
    # NaN, Infinity and -Infinity are not JSON (DRF's parser refuses them too).
    raise ValueError(f"{name} is not valid JSON")
