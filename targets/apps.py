from django.apps import AppConfig


class TargetsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "targets"
    verbose_name = "targets and deliveries"

    def ready(self):
        # Start-up order, not a cycle: the receivers import the models, which only load once
        # the app registry is ready (Django's documented place to connect them).
        from . import signals

        signals.connect()
