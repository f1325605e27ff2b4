from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from hub.demo import seed_admin
from hub.indexing import indexing_deferred


def demo_seed():
    """Build (or top up) the demo content; returns the admin account and counts by label."""
    with transaction.atomic(), indexing_deferred():
        admin = seed_admin(email=settings.DEMO_ADMIN_EMAIL, password=settings.DEMO_ADMIN_PASSWORD)
        summary = {}
        for path in settings.DEMO_SEEDERS:
            summary.update(import_string(path)())
    return admin, summary


class Command(BaseCommand):
    help = "Build (or top up) the demo site and print an admin login. Safe to run again."

    def handle(self, *args, **options):
        if not settings.DEMO_CONTENT_ALLOWED:
            raise CommandError(
                "Demo content is switched off here (DEMO_CONTENT_ALLOWED=False): it creates an "
                "admin account with a known password."
            )
        admin, summary = demo_seed()
        for label, count in summary.items():
            self.stdout.write(f"{label}: {count}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo site ready. Admin login at {settings.BASE_URL}/admin/ : "
                f"{admin.email} / {settings.DEMO_ADMIN_PASSWORD}"
            )
        )
