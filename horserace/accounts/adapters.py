"""allauth adapters: sign-up only for the company's own mail domains."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.conf import settings
from django.utils.translation import gettext as _


def email_domain_allowed(email: str) -> bool:
    domains = settings.HORSERACE_SIGNUP_DOMAINS
    domain = email.rsplit("@", 1)[-1].lower()
    return bool(domains) and domain in domains


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return bool(settings.HORSERACE_SIGNUP_DOMAINS)

    def clean_email(self, email):
        email = super().clean_email(email)
        if not email_domain_allowed(email):
            raise forms.ValidationError(
                _("Sign-up is open to company addresses only (%(domains)s).")
                % {"domains": ", ".join(settings.HORSERACE_SIGNUP_DOMAINS) or "-"}
            )
        return email.lower()

    def populate_username(self, request, user):
        # There is no username: the e-mail address is the login.
        if not user.display_name:
            user.display_name = user.email.split("@", 1)[0]


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Enterprise SSO: the identity provider vouches for the employee."""

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
