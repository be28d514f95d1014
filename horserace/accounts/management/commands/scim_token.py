"""``manage.py scim_token EMAIL``: a provisioning account and its bearer token.

Creates the account when there is none (it cannot sign in with a password),
marks it a provisioning account and prints a new token that does not expire,
for the identity provider's SCIM settings (Okta: "API Token"; Azure AD:
"Secret Token"). Running it again adds another token; ``--revoke`` deletes
the account's tokens first.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from knox.models import get_token_model

from horserace.accounts.models import User


class Command(BaseCommand):
    help = "Create a SCIM provisioning account (if needed) and print a bearer token."

    def add_arguments(self, parser):
        parser.add_argument("email", help="The provisioning account's e-mail address.")
        parser.add_argument(
            "--revoke",
            action="store_true",
            help="Delete the account's existing tokens first.",
        )

    def handle(self, *args, email, revoke, **options):
        email = email.strip().lower()
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"Not an e-mail address: {email}") from error
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(email=email, display_name="SCIM provisioning")
            user.set_unusable_password()
        user.is_provisioner = True
        user.is_active = True
        user.save()
        tokens = get_token_model().objects
        if revoke:
            tokens.filter(user=user).delete()
        _instance, token = tokens.create(user=user, expiry=None)
        self.stdout.write(token)
