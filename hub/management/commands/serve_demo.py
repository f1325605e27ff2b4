"""`make run`: migrate, add the demo content and serve it, a line per step, the login last.

Migration chatter, the seeders' log lines and the demo's own emails go to a log file, so the
console shows what a newcomer needs: progress, then where the site is and how to sign in.
"""

import logging
import os
import sys
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.commands.runserver import Command as RunserverCommand

from .seed_demo import demo_seed

# What the summary line names, in this order, from seed_demo's counts.
SUMMARY = ["networks", "events", "demands", "signatures"]


@contextmanager
def logging_to(stream):
    """Point every console log handler at `stream` for a while (file handlers keep theirs)."""
    loggers = [logging.getLogger(), *map(logging.getLogger, logging.Logger.manager.loggerDict)]
    handlers = {
        handler
        for logger in loggers
        for handler in getattr(logger, "handlers", [])
        if type(handler) is logging.StreamHandler
    }
    previous = {handler: handler.setStream(stream) for handler in handlers}
    try:
        yield
    finally:
        for handler, old in previous.items():
            handler.setStream(old)


class Command(RunserverCommand):
    help = "Migrate, add the demo content and serve it; details go to --log."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--log", default="var/log/demo.log", help="file for the details")

    def handle(self, *args, **options):
        # The autoreloader runs this command again in a child process (RUN_MAIN=true) to serve;
        # only the first run prepares.
        if os.environ.get("RUN_MAIN") != "true":
            self.prepare(Path(options["log"]))
        os.environ["DJANGO_RUNSERVER_HIDE_WARNING"] = "true"
        super().handle(*args, **{**options, "skip_checks": True})

    def prepare(self, log: Path):
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a") as details:
            self.step("Preparing the database", details, lambda: call_command(
                "migrate", interactive=False, stdout=details, stderr=details
            ))  # fmt: skip
            _admin, summary = self.step("Adding the demo content", details, demo_seed)
        counts = ", ".join(f"{summary[label]:,} {label}" for label in SUMMARY if label in summary)
        self.stdout.write(f"  {counts} (details in {log})")

    def step(self, label, details, action):
        self.stdout.write(f"{label} ...", ending=" ")
        self.stdout.flush()
        try:
            with redirect_stdout(details), redirect_stderr(details), logging_to(details):
                result = action()
        except Exception as error:
            self.stdout.write("failed")
            raise CommandError(f"{label} failed: {error} (details in {details.name})") from error
        self.stdout.write("done")
        return result

    def on_bind(self, server_port):
        base = f"{self.protocol}://{self.addr}:{server_port}"
        self.stdout.write(f"The demo site is at {base}/ (Ctrl-C stops it)")
        self.stdout.write(
            f"Admin: {base}/admin/ - sign in as {settings.DEMO_ADMIN_EMAIL}"
            f" with the password {settings.DEMO_ADMIN_PASSWORD}"
        )
        sys.stdout.flush()
