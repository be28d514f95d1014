"""allauth adapters: sign-up only for the company's own mail domains."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings

from .sso import claims_of, sso_claims_apply


def email_domain_allowed(email: str) -> bool:
    domains = settings.HORSERACE_SIGNUP_DOMAINS
    domain = email.rsplit("@", 1)[-1].lower()
    return bool(domains) and domain in domains


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return bool(settings.HORSERACE_SIGNUP_DOMAINS)

    def clean_email(self, email):
        # allauth also runs this on addresses an SSO provider vouches for, so
        # the company-domain gate lives on the sign-up form, not here.
        return super().clean_email(email).lower()

    def populate_username(self, request, user):
        # There is no username: the e-mail address is the login.
        if not user.display_name:
            user.display_name = user.email.split("@", 1)[0]


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Enterprise SSO: the identity provider vouches for the employee.

    Its claims fill the employee number, department and manager on the first
    login (``save_user``) and refresh them on every later one
    (``pre_social_login``); see ``horserace.accounts.sso``.
    """

    def is_open_for_signup(self, request, sociallogin):
        return True

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        user.display_name = (
            data.get("name")
            or " ".join(p for p in (data.get("first_name"), data.get("last_name")) if p)
            or (user.email or "").split("@", 1)[0]
        )
        return user

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        sso_claims_apply(user=user, claims=claims_of(sociallogin.account.extra_data))
        return user

    def pre_social_login(self, request, sociallogin):
        super().pre_social_login(request, sociallogin)
        if sociallogin.is_existing:
            sso_claims_apply(
                user=sociallogin.user,
                claims=claims_of(sociallogin.account.extra_data),
            )


def axes_username(request, credentials) -> str | None:
    """The login name axes counts failures against, whichever form sent it."""
    credentials = credentials or {}
    for key in ("email", "login", "username"):
        if credentials.get(key):
            return str(credentials[key]).lower()
    data = getattr(request, "POST", None) or {}
    value = data.get("login") or data.get("email")
    return value.lower() if value else None
