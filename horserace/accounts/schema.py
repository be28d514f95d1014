"""OpenAPI: document our knox subclass exactly as knox's own token scheme."""

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme


class TokenScheme(KnoxTokenScheme):
    target_class = "horserace.accounts.authentication.TokenAuthentication"
