from django.apps import AppConfig


class HubConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hub"
    verbose_name = "Hub"

    def ready(self):
        from . import signals
        from .digest import signals as digest_signals

        signals.connect()
        digest_signals.connect()
