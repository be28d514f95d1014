"""Token authentication for REST clients: one query, and no write per request.

knox's ``TokenAuthentication`` reads *all* of the user's tokens on every
request to delete the expired ones. That doubles the cost of authenticating
the hottest endpoint (a ballot). Here a request only checks its own token's
expiry; ``accounts.tasks.tokens_purge_expired`` deletes expired tokens on a
schedule instead (``horserace/schedules.py``).

The token and its user are read with one hand-written query
(``_token_sql``, prepared once per connection): the ORM composing the join
cost more per ballot than the query. Everything else is knox's: the digest compared in constant time, an
expired token deleted and refused, an inactive user refused, and with
``AUTO_REFRESH`` the expiry moved forward, written at most once per
``MIN_REFRESH_INTERVAL`` (60 s) per token, so a busy client does not write
on every request. Nothing is cached between requests.
"""

import binascii
import functools
from hmac import compare_digest

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
def _token_sql() -> str:
    """Tokens with this key prefix, each with its user, in one indexed query."""
    token = get_token_model()
    select = ", ".join(columns(token, "t") + columns(User, "u"))
    return (
        f"SELECT {select} FROM {token._meta.db_table} t "  # noqa: S608
        f"JOIN {User._meta.db_table} u ON u.id = t.user_id WHERE t.token_key = %s"
    )


class TokenAuthentication(KnoxTokenAuthentication):
    def authenticate_credentials(self, token):
        msg = _("Invalid token.")
        token = token.decode("utf-8")
        with connection.cursor() as cursor:
            key = token[: CONSTANTS.TOKEN_KEY_LENGTH]
            execute_prepared(cursor, "horserace_token", _token_sql(), [key])
            rows = cursor.fetchall()
        for row in rows:
            auth_token, at = instance_from_row(get_token_model(), row, 0)
            auth_token.user, _end = instance_from_row(User, row, at)
            if self._cleanup_token(auth_token):
                continue
            try:
                digest = hash_token(token)
            except (TypeError, binascii.Error) as error:
                raise exceptions.AuthenticationFailed(msg) from error
            if compare_digest(digest, auth_token.digest):
                if knox_settings.AUTO_REFRESH and auth_token.expiry:
                    self.renew_token(auth_token)
                return self.validate_user(auth_token)
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
