from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "campaigns"

    def ready(self):
        # Start-up order, not a cycle: the receivers import the models, which only load once
        # the app registry is ready (Django's documented place to connect them).
        from . import signals

        signals.connect()
