"""Token authentication for REST clients: one query, and no write per request.

knox's ``TokenAuthentication`` reads *all* of the user's tokens on every
request to delete the expired ones. That doubles the cost of authenticating
the hottest endpoint (a ballot). Here a request only checks its own token's
expiry; ``accounts.tasks.tokens_purge_expired`` deletes expired tokens on a
schedule instead (``horserace/schedules.py``).

The token and its user are read with one hand-written query
(``token_sql``, prepared once per connection): the ORM composing the join
cost more per ballot than the query. Everything else is knox's: the digest compared in constant time, an
expired token deleted and refused, an inactive user refused, and with
``AUTO_REFRESH`` the expiry moved forward, written at most once per
``MIN_REFRESH_INTERVAL`` (60 s) per token, so a busy client does not write
on every request. Nothing is cached between requests.

A view may read one more thing in the same round trip, for its user: its
``token_read_ahead`` (a ``ReadAhead``). The ballot reads the idea it names
so (``voting.screening.apis.auth``): a cast is one query less.
"""

import binascii
import functools
from hmac import compare_digest
from typing import Protocol

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS, knox_settings
from knox.signals import token_expired
from rest_framework import exceptions

from horserace.common.rows import columns, execute_prepared, instance_from_row

from .models import User


@functools.cache
def token_sql(lateral: str = "") -> str:
    """Tokens with this key prefix, each with its user, in one indexed query.

    ``lateral``: a subquery to read in the same round trip for the token's
    user (``u``), joined ``LEFT JOIN LATERAL (...) x ON TRUE``: its columns
    follow the user's, NULL when it finds nothing. Its placeholders come
    before the key's.
    """
    token = get_token_model()
    select = ", ".join(columns(token, "t") + columns(User, "u"))
    joined = ""
    if lateral:
        select += ", x.*"
        joined = f" LEFT JOIN LATERAL ({lateral}) x ON TRUE"
    return (
        f"SELECT {select} FROM {token._meta.db_table} t "  # noqa: S608
        f"JOIN {User._meta.db_table} u ON u.id = t.user_id{joined} "
        "WHERE t.token_key = %s"
    )


class ReadAhead(Protocol):
    """What a view reads in the token's round trip (its ``token_read_ahead``).

    ``plan`` names a prepared statement, a subquery for ``token_sql``'s
    ``lateral`` and its parameters, or None to read nothing ahead for this
    request; ``found`` receives the token's row once the token is checked,
    with where the subquery's columns begin.
    """

    def plan(self, request) -> tuple[str, str, list] | None: ...

    def found(self, request, user, row, start: int) -> None: ...


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's token check in one query, and a view's read-ahead with it."""

    def authenticate(self, request):
        # One instance per request (DRF makes them so): the plan is this
        # request's.
        self.request = request
        self.read_ahead = self.planned = None
        view = (getattr(request, "parser_context", None) or {}).get("view")
        read_ahead = getattr(view, "token_read_ahead", None)
        if read_ahead is not None and connection.vendor == "postgresql":
            self.read_ahead, self.planned = read_ahead, read_ahead.plan(request)
        return super().authenticate(request)

    def authenticate_credentials(self, token):
        token = token.decode("utf-8")
        key = token[: CONSTANTS.TOKEN_KEY_LENGTH]
        planned = getattr(self, "planned", None)
        with connection.cursor() as cursor:
            if planned is None:
                execute_prepared(cursor, "horserace_token", token_sql(), [key])
            else:
                name, lateral, params = planned
                execute_prepared(cursor, name, token_sql(lateral), [*params, key])
            rows = cursor.fetchall()
        user, auth_token, row, end = self.credentials_match(token, rows)
        if planned is not None and self.read_ahead is not None:
            self.read_ahead.found(self.request, user, row, end)
        return user, auth_token

    def credentials_match(self, token: str, rows) -> tuple:
        """``(user, auth_token, row, end)``: the row of ``token_sql`` whose
        token matches, checked as knox checks it, and where the columns after
        the user's begin; or ``AuthenticationFailed``."""
        msg = _("Invalid token.")
        for row in rows:
            auth_token, at = instance_from_row(get_token_model(), row, 0)
            auth_token.user, end = instance_from_row(User, row, at)
            if self._cleanup_token(auth_token):
                continue
            try:
                digest = hash_token(token)
            except (TypeError, binascii.Error) as error:
                raise exceptions.AuthenticationFailed(msg) from error
            if compare_digest(digest, auth_token.digest):
                if knox_settings.AUTO_REFRESH and auth_token.expiry:
                    self.renew_token(auth_token)
                user, auth_token = self.validate_user(auth_token)
                return user, auth_token, row, end
        raise exceptions.AuthenticationFailed(msg)

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(
                sender=self.__class__, username=username, source="auth_token"
            )
            return True
        return False
