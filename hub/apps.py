from django.apps import AppConfig
from django.db.models.signals import post_migrate


class HubConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hub"
    verbose_name = "Hub"

    def ready(self):
        # Django loads apps before models: what uses models is imported once they are ready.
        from . import signals, sites

        signals.connect()
        # After every migrate (and every test flush), before django.contrib.sites would add
        # its example.com.
        post_migrate.connect(sites.site_sync, sender=self, dispatch_uid="hub-site-sync")
