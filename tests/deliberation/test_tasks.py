import pytest
from django.conf import settings

from deliberation import services, tasks

from .conftest import open_decision, pass_deadline


def test_beat_closes_due_decisions_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["close-due-decisions"]
    assert entry["task"] == "deliberation.tasks.close_due_decisions"
    assert entry["schedule"] == 60.0


@pytest.mark.django_db
def test_the_task_closes_the_decisions_past_their_deadline_only(
    demand, amendment, coalition, moderator
):
    network, admin = coalition[1]
    other = services.amendment_propose(
        demand=demand, network=network, user=admin, ask="Another ask.", case="", reason="Why."
    )
    due = pass_deadline(open_decision(demand=demand, amendment=amendment, user=moderator))
    later = open_decision(demand=demand, amendment=other, user=moderator)

    assert tasks.close_due_decisions.delay().get() == 1

    due.refresh_from_db()
    later.refresh_from_db()
    assert due.closed_at is not None
    assert later.closed_at is None
