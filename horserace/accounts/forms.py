from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.utils.translation import gettext as _

from .adapters import email_domain_allowed
from .models import User


class SignupForm(AllauthSignupForm):
    """E-mail sign-up, open to the company's own mail domains only."""

    def clean_email(self):
        email = super().clean_email()
        if not email_domain_allowed(email):
            raise forms.ValidationError(
                _("Sign-up is open to company addresses only (%(domains)s).")
                % {"domains": ", ".join(settings.HORSERACE_SIGNUP_DOMAINS) or "-"}
            )
        return email


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "locale", "time_zone"]
