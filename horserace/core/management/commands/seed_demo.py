"""``manage.py seed_demo``: load the demo company once; running it again is a no-op."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from horserace.core.demo import demo_seed, logins_table


class Command(BaseCommand):
    help = (
        "Load a demo company (departments, people in every role, a season with "
        "racecourses, challenges and ideas at every stage). Does nothing when "
        "the demo is already loaded. Prints the demo logins."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even under production settings (it creates a superuser "
            "with a well-known password).",
        )
        parser.add_argument(
            "--logins-only",
            action="store_true",
            help="Only print the demo logins.",
        )

    def handle(self, *args, allow_production=False, logins_only=False, **options):
        if not logins_only:
            module = settings.SETTINGS_MODULE or ""
            if module.endswith("production") and not allow_production:
                raise CommandError(
                    "Refusing to load demo accounts with a well-known password "
                    "under production settings; pass --allow-production to insist."
                )
            if demo_seed():
                self.stdout.write(self.style.SUCCESS("Demo company loaded."))
            else:
                self.stdout.write("Demo data is already loaded; nothing changed.")
        self.stdout.write(logins_table())
