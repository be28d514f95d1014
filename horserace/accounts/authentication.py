"""Token authentication for REST clients, without a query per request to tidy up.

knox's ``TokenAuthentication`` reads *all* of the user's tokens on every
request to delete the expired ones. That doubles the cost of authenticating
the hottest endpoint (a ballot). Here a request only checks its own token's
expiry; ``accounts.tasks.tokens_purge_expired`` deletes expired tokens on a
schedule instead (``horserace/schedules.py``).
"""

from django.utils import timezone
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.signals import token_expired


class TokenAuthentication(KnoxTokenAuthentication):
    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(
                sender=self.__class__, username=username, source="auth_token"
            )
            return True
        return False
