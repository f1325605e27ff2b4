"""Search and reference indexing put off to the end of a bulk job (the demo's seeding).

Wagtail indexes an object for search, and records what it references, on every save: a page
is saved three or four times as it is made, revised and published, and each time costs a task.
Inside `indexing_deferred` saves only note what was saved; on leaving it, each object is
indexed once, with what it holds by then, in one bulk insert a model."""

from collections import defaultdict
from contextlib import contextmanager

from django.db.models.signals import post_save
from modelsearch import index
from modelsearch.backends import get_search_backends
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import update_reference_index_on_save


def _searched_models() -> list:
    return [m for m in index.get_indexed_models() if getattr(m, "search_auto_update", True)]


@contextmanager
def indexing_deferred():
    saved: dict[type, set] = defaultdict(set)

    def note(sender, instance, raw=False, **kwargs):
        if not raw:
            saved[sender].add(instance.pk)

    handlers = [
        *((post_save_signal_handler, model) for model in _searched_models()),
        *((update_reference_index_on_save, model) for model in ReferenceIndex.tracked_models),
    ]
    for handler, model in handlers:
        post_save.disconnect(handler, sender=model)
    post_save.connect(note, weak=False, dispatch_uid="hub.indexing.note")
    try:
        yield
    finally:
        post_save.disconnect(dispatch_uid="hub.indexing.note")
        for handler, model in handlers:
            post_save.connect(handler, sender=model)
    _index(saved)


def _index(saved: dict[type, set]) -> None:
    searched = set(_searched_models())
    tracked = set(ReferenceIndex.tracked_models)
    indexed = defaultdict(list)
    for model, pks in saved.items():
        instances = list(model._default_manager.filter(pk__in=pks))
        if model in searched:
            # As each save would have: a page is indexed as its most specific type.
            for instance in instances:
                specific = index.get_indexed_instance(instance, check_exists=False)
                if specific is not None:
                    indexed[type(specific)].append(specific)
        if model in tracked:
            for instance in instances:
                ReferenceIndex.create_or_update_for_object(instance)
    for backend in get_search_backends(with_auto_update=True):
        for model, instances in indexed.items():
            backend.add_bulk(model, instances)
