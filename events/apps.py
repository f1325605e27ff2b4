from django.apps import AppConfig


class EventsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "events"

    def ready(self):
        # Django loads apps before models: what uses models is imported once they are ready.
        from . import signals

        signals.connect()
