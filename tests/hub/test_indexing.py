"""Indexing put off to the end of a bulk job (the demo's seeding): what was saved inside is
found by search, and its references recorded, once the job ends; saves after it index at once,
as Wagtail's own handlers do."""

import pytest
from wagtail.models import Page, ReferenceIndex

from hub.factories import ContentPageFactory
from hub.indexing import indexing_deferred
from hub.models import HomePage

pytestmark = pytest.mark.django_db


def found(query: str) -> list[int]:
    return [page.pk for page in Page.objects.live().search(query)]


def references_from(page) -> set[str]:
    return set(
        ReferenceIndex.get_references_for_object(page).values_list("to_object_id", flat=True)
    )


def test_what_is_saved_inside_is_indexed_once_the_job_ends_as_it_was_last_saved():
    home = HomePage.objects.get()
    linked = ContentPageFactory(parent=home, title="How we count")
    with indexing_deferred():
        page = ContentPageFactory(parent=home, title="Workers cafe in Leeds")
        page.title = "Workers cafe in Leeds, monthly"
        link = f'<p>See <a linktype="page" id="{linked.pk}">how we count</a>.</p>'
        page.body = [("paragraph", link)]
        page.save_revision().publish()
        assert found("monthly") == [] and references_from(page) == set()
    assert found("monthly") == [page.pk]
    assert references_from(page) == {str(linked.pk)}


def test_a_job_that_fails_indexes_nothing_and_saves_after_it_are_indexed_at_once():
    home = HomePage.objects.get()
    with pytest.raises(RuntimeError), indexing_deferred():
        ContentPageFactory(parent=home, title="Never finished")
        raise RuntimeError
    assert found("finished") == []
    page = ContentPageFactory(parent=home, title="Published straight away")
    assert found("straight") == [page.pk]
