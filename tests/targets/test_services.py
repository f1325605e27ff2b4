import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hub.cache import content_version
from targets import overdue, services
from targets.models import Delivery, Target

from .conftest import delivered

pytestmark = pytest.mark.django_db

FRIDAY = datetime.date(2026, 11, 27)
MONDAY = datetime.date(2026, 11, 30)


def test_a_delivery_is_due_an_answer_in_twenty_working_days(demand, target, moderator):
    delivery = delivered(demand, target, moderator, delivered_on=datetime.date(2026, 11, 2))
    assert delivery.response_due == datetime.date(2026, 11, 30)
    assert delivery.recorded_by == moderator


def test_the_moderator_may_say_when_the_answer_is_due(demand, target, moderator):
    delivery = delivered(demand, target, moderator, response_due=datetime.date(2026, 11, 6))
    assert delivery.response_due == datetime.date(2026, 11, 6)
    with pytest.raises(ValidationError):
        delivered(demand, target, moderator, response_due=datetime.date(2026, 10, 1))


def test_a_demand_with_targets_is_delivered_only_to_them(demand, target, moderator):
    other = Target.objects.create(name="DHSC", slug="dhsc")
    demand.targets.add(target)
    demand.save()
    with pytest.raises(ValidationError, match="not addressed to DHSC"):
        delivered(demand, other, moderator)
    assert delivered(demand, target, moderator).target == target


def test_recording_changes_the_public_pages(demand, target, moderator):
    before = content_version()
    delivery = delivered(demand, target, moderator)
    assert content_version() != before
    before = content_version()
    services.response_record(delivery=delivery, text="<p>We will reply.</p>", user=moderator)
    assert content_version() != before


def test_a_response_needs_text_or_a_document_and_comes_once(demand, target, moderator):
    delivery = delivered(demand, target, moderator)
    with pytest.raises(ValidationError, match="text, its document"):
        services.response_record(delivery=delivery, text="  ", user=moderator)
    with pytest.raises(ValidationError, match="before the delivery"):
        services.response_record(
            delivery=delivery, text="Yes", received_on=datetime.date(2026, 1, 1), user=moderator
        )
    services.response_record(delivery=delivery, text="Yes", user=moderator)
    with pytest.raises(ValidationError, match="recorded already"):
        services.response_record(delivery=delivery, text="Again", user=moderator)


def test_due_on_friday_and_counted_on_monday_is_one_working_day_overdue(demand, target, moderator):
    delivery = delivered(demand, target, moderator, response_due=FRIDAY)
    for today, days in [(FRIDAY, 0), (FRIDAY + datetime.timedelta(days=2), 0), (MONDAY, 1)]:
        overdue.days_overdue_count(today=today)
        delivery.refresh_from_db()
        assert delivery.days_overdue == days, today
    assert overdue.days_overdue_count(today=MONDAY) == 0, "nothing changed the second time"


def test_a_bank_holiday_is_not_counted_overdue(demand, target, moderator):
    # Due Christmas Eve 2026; Christmas Day and the Boxing Day holiday (Monday 28th) skipped.
    delivery = delivered(
        demand, target, moderator, delivered_on=datetime.date(2026, 12, 1),
        response_due=datetime.date(2026, 12, 24),
    )  # fmt: skip
    overdue.days_overdue_count(today=datetime.date(2026, 12, 29))
    delivery.refresh_from_db()
    assert delivery.days_overdue == 1


def test_an_answer_ends_the_count(demand, target, moderator):
    delivery = delivered(demand, target, moderator, response_due=FRIDAY)
    overdue.days_overdue_count(today=MONDAY + datetime.timedelta(days=2))
    delivery.refresh_from_db()
    assert delivery.days_overdue == 3
    services.response_record(delivery=delivery, text="Late, but here.", user=moderator)
    delivery.refresh_from_db()
    assert delivery.days_overdue == 0
    assert overdue.days_overdue_count(today=MONDAY + datetime.timedelta(days=3)) == 0


def test_a_due_date_moved_later_clears_the_count(demand, target, moderator):
    delivery = delivered(demand, target, moderator, response_due=FRIDAY)
    overdue.days_overdue_count(today=MONDAY)
    Delivery.objects.filter(pk=delivery.pk).update(response_due=MONDAY + datetime.timedelta(7))
    assert overdue.days_overdue_count(today=MONDAY) == 1
    delivery.refresh_from_db()
    assert delivery.days_overdue == 0


def test_the_count_takes_two_updates_however_many_deliveries(demand, target, moderator):
    def updates(today) -> int:
        with CaptureQueriesContext(connection) as captured:
            overdue.days_overdue_count(today=today)
        return sum(query["sql"].startswith("UPDATE") for query in captured)

    for offset in range(12):
        delivered(demand, target, moderator, response_due=FRIDAY - datetime.timedelta(offset))
    assert updates(MONDAY) == 2
    days = sorted(Delivery.objects.values_list("days_overdue", flat=True))
    # Due from Monday 16 November to Friday 27th, counted on Monday 30th.
    assert (days[0], days[-1]) == (1, 10)
