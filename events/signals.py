"""Publishing an event sends its co-organising invitations (drafts invite nobody) and holds any
places an editor added for the people waiting. A change to the list of access and safety
features shows on every page and filter that names them, so it counts as a change of content
(hub.cache)."""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published

from hub.cache import content_changed

from .models import AccessFeature, EventPage
from .services import co_organisers_invite, waiting_lists_offer


def _event_published(sender, instance, revision=None, **kwargs):
    co_organisers_invite(event=instance, invited_by=revision.user if revision else None)
    waiting_lists_offer(event=instance)


def _feature_changed(sender, **kwargs):
    content_changed()


def connect() -> None:
    page_published.connect(_event_published, sender=EventPage, dispatch_uid="events-co-organisers")
    for signal in (post_save, post_delete):
        signal.connect(
            _feature_changed, sender=AccessFeature, dispatch_uid=f"events-features-{id(signal)}"
        )
