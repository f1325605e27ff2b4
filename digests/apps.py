from django.apps import AppConfig


class DigestsConfig(AppConfig):
    """What members follow and the digest emails about it: reads every feature app."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "digests"
    verbose_name = "Digests"

    def ready(self):
        # Django loads apps before models: what uses models is imported once they are ready.
        from . import signals

        signals.connect()
