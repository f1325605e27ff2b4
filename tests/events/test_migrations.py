"""events 0008: `capacity` becomes `in_person_capacity`, in the rows and in stored revisions."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from wagtail.models import Revision

from events.models import EventPage

BEFORE = [("events", "0007_access_feature_permissions")]


# Migrations run outside the test's transaction; serialized_rollback restores the rows the
# other transactional tests expect (the home page, content types) afterwards.
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_rename_keeps_every_event_s_places_in_its_revisions_too(make_event):
    room = make_event(in_person_capacity=12)
    online = make_event(format="online", online_capacity=30)
    for event in (room, online):
        event.save_revision()
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        assert Revision.objects.get(object_id=str(room.pk)).content["capacity"] == 12
        # An online event's revision from before 0004 moved its places: as it was then.
        old = Revision.objects.get(object_id=str(online.pk))
        content = {**old.content, "capacity": 30}
        del content["online_capacity"]
        Revision.objects.filter(pk=old.pk).update(content=content)
    finally:
        executor.loader.build_graph()
        executor.migrate(latest)

    assert EventPage.objects.get(pk=room.pk).in_person_capacity == 12
    for event, places in ((room, (12, None)), (online, (None, 30))):
        content = Revision.objects.get(object_id=str(event.pk)).content
        assert "capacity" not in content
        assert (content["in_person_capacity"], content.get("online_capacity")) == places
        # What an editor opening the event edits, and would publish.
        opened = Revision.objects.get(object_id=str(event.pk)).as_object()
        assert (opened.in_person_capacity, opened.online_capacity) == places
