"""A ballot's token and the idea it names, read in one round trip.

Casting a ballot asks the database three things: whose token this is, what
the idea is (with its round, and the voter's place on its team), and then to
write the ballot. The first two depend on each other only through the user's
id, so the cast's view reads the idea ahead with the token
(``horserace.accounts.authentication.ReadAhead``): the token query with the
ballot's idea lookup (``selectors.ballots.judging_lateral``) joined for the
token's user. Every check stays where it was: knox's checks of the token,
and the same ``judging_from_row`` decision of whether the voter may read
the idea.

It only reads ahead: a request whose body names no usable idea, or that
signs in another way (a session), goes the usual way, and the view looks
the idea up itself (``apis.ballots.judging_or_404``).
"""

import json

from horserace.common.api import MAX_ID
from horserace.common.parsers import json_depth_exceeds
from voting.screening.selectors.ballots import (
    Judging,
    judging_from_row,
    judging_lateral,
)

#: A ballot's body is a few dozen bytes; a larger one is not read ahead.
_PEEK_LIMIT = 4096

#: What ``judging_read`` answers when nothing was read ahead.
NOT_READ = object()


def _idea_named(request) -> int | None:
    """The ``idea`` of a small JSON body, if it is a usable id; else None.

    Reads the body Django keeps (``HttpRequest.body``, which the parsers read
    again as they would have): a bad body is not an error here, but the
    parser's, after authentication, as on any other request.
    """
    django_request = request._request
    if not (django_request.content_type or "").startswith("application/json"):
        return None
    try:
        length = int(django_request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if not 0 < length <= _PEEK_LIMIT:
        return None
    raw = django_request.body
    if json_depth_exceeds(raw):
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    idea = data.get("idea") if isinstance(data, dict) else None
    if isinstance(idea, bool) or not isinstance(idea, int | str):
        return None
    try:
        pk = int(idea)
    except ValueError:
        return None
    return pk if 0 < pk <= MAX_ID else None


class JudgingReadAhead:
    """The ``ReadAhead`` of a cast: the idea its body names, for the voter."""

    def plan(self, request) -> tuple[str, str, list] | None:
        pk = _idea_named(request)
        if pk is None:
            return None
        request.judging_read = (pk, NOT_READ)
        lateral, params = judging_lateral()
        return "horserace_token_judging", lateral, [*params, pk]

    def found(self, request, user, row, start: int) -> None:
        pk, _nothing = request.judging_read
        request.judging_read = (pk, judging_from_row(user, row, start))


def judging_read(request, pk) -> Judging | None | object:
    """The idea ``pk`` as authentication read it ahead (a ``Judging``, or None:
    none the voter may read), or ``NOT_READ``."""
    found = getattr(request, "judging_read", None)
    if found is None or found[0] != pk:
        return NOT_READ
    return found[1]
