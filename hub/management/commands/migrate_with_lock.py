from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import connection

# Any fixed number, the same in every process that migrates this database.
MIGRATION_LOCK_ID = 7_326_114


class Command(MigrateCommand):
    help = "migrate, holding a PostgreSQL advisory lock so that several web processes can start."

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            return super().handle(*args, **options)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK_ID])
            try:
                return super().handle(*args, **options)
            finally:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK_ID])
