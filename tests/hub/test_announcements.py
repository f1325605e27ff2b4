from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection

from hub.announcements import announce, announced
from hub.models import Announcement, OutboxMessage


def messages(count):
    for number in range(count):
        yield {"to": [f"person{number}@example.org"], "subject": "Delivered", "text": "It went."}


@pytest.mark.django_db
def test_an_announcement_is_written_once_and_counts_its_recipients(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False):
        assert announce(key="delivery:1", messages=messages(3)) == 3
        assert announce(key="delivery:1", messages=messages(3)) is None
    assert announced("delivery:1")
    assert not announced("delivery:2")
    assert OutboxMessage.objects.count() == 3
    assert Announcement.objects.get(key="delivery:1").recipients == 3


@pytest.mark.django_db
def test_a_failed_announcement_leaves_the_key_free(django_capture_on_commit_callbacks):
    def broken():
        yield {"to": ["a@example.org"], "subject": "One", "text": "One"}
        raise RuntimeError("a template failed")

    with pytest.raises(RuntimeError):
        announce(key="pledge-bound:4", messages=broken())
    assert not announced("pledge-bound:4")
    assert not OutboxMessage.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_announcements_of_one_key_write_one_set_of_messages():
    barrier = Barrier(4)

    def attempt(_):
        barrier.wait()
        try:
            return announce(key="milestone:7:1000", messages=messages(5))
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(attempt, range(4)))
    assert sorted(outcomes, key=str) == [5, None, None, None]
    assert OutboxMessage.objects.count() == 5
