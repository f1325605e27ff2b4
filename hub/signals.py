"""Cache invalidation: any change to a page, its privacy or a topic changes the content version
(hub.cache)."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from .cache import content_changed
from .models import Topic


def _page_changed(sender, instance=None, **kwargs):
    # Topics are listed in filters next to pages, so they count as content too; a new privacy
    # restriction must take a page out of every cached copy, not only its own.
    if instance is None or isinstance(instance, (Page, Topic, PageViewRestriction)):
        content_changed()


def connect() -> None:
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_page_changed, dispatch_uid=f"hub-cache-{id(signal)}")
    # Saves and deletes of any page type (sender is the concrete class, so listen to all).
    post_save.connect(_page_changed, dispatch_uid="hub-cache-page-save")
    post_delete.connect(_page_changed, dispatch_uid="hub-cache-page-delete")
