from django.apps import AppConfig


class TopicsConfig(AppConfig):
    """Topic pages: each shared topic's positions, events and demands, from every feature app."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "topics"
    verbose_name = "Topic pages"
