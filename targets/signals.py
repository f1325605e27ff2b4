"""A target's name and description show on demand pages, the target pages and the API, so a
change to one counts as a change of content (hub.cache)."""

from django.db.models.signals import post_delete, post_save

from hub.cache import content_changed

from .models import Target


def _target_changed(sender, **kwargs):
    content_changed()


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(_target_changed, sender=Target, dispatch_uid=f"targets-{id(signal)}")
