"""Adding many pages at once, for large imports and for seeding benchmarks and tests.

Wagtail's `add_child` takes a dozen queries and signal handlers per page. Here the treebeard
paths are computed directly and the rows inserted in bulk: no revisions, no search index, no
signals, so callers clear the cache afterwards (hub.cache.content_changed) if it holds pages.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, QuerySet
from wagtail.models import Page


@transaction.atomic
def pages_bulk_add(*, parent: Page, pages: list[Page]) -> list[Page]:
    """Insert unsaved live `pages` (all of one direct Page subclass) as children of `parent`."""
    if not pages:
        return pages
    model = type(pages[0])
    parent = Page.objects.select_for_update().get(pk=parent.pk)
    depth = parent.depth + 1
    content_type = ContentType.objects.get_for_model(model)
    base_fields = [field.attname for field in Page._meta.concrete_fields if not field.primary_key]
    rows = []
    for number, page in enumerate(pages, start=parent.numchild + 1):
        page.depth = depth
        page.path = Page._get_path(parent.path, depth, number)
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.draft_title = page.draft_title or page.title
        page.live = True
        page.locale_id = parent.locale_id
        page.content_type = content_type
        rows.append(Page(**{name: getattr(page, name) for name in base_fields}))
    Page.objects.bulk_create(rows)
    for page, row in zip(pages, rows, strict=True):
        page.pk = page.page_ptr_id = row.pk
    QuerySet(model=model)._insert(pages, fields=model._meta.local_concrete_fields)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    return pages
