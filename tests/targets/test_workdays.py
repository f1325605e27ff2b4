import datetime

import pytest

from targets import workdays

FRIDAY = datetime.date(2026, 11, 27)
MONDAY = datetime.date(2026, 11, 30)


def test_a_weekend_is_skipped():
    assert workdays.add_working_days(FRIDAY, 1) == MONDAY
    assert workdays.working_days_between(FRIDAY, MONDAY) == 1
    assert workdays.working_days_between(FRIDAY, FRIDAY + datetime.timedelta(days=2)) == 0


def test_bank_holidays_in_england_and_wales_are_skipped():
    # Christmas Day 2026 is a Friday; Boxing Day falls on Saturday, so Monday the 28th is off.
    christmas_eve = datetime.date(2026, 12, 24)
    assert workdays.add_working_days(christmas_eve, 1) == datetime.date(2026, 12, 29)
    assert workdays.working_days_between(christmas_eve, datetime.date(2026, 12, 29)) == 1
    assert not workdays.is_working_day(datetime.date(2026, 8, 31))  # Late Summer bank holiday


@pytest.mark.parametrize("days", [0, 1, 5, 20, 60])
def test_counting_undoes_adding(days):
    start = datetime.date(2026, 12, 18)
    assert workdays.working_days_between(start, workdays.add_working_days(start, days)) == days


def test_a_response_is_due_twenty_working_days_after_delivery(settings):
    # Monday 2 November 2026 plus four weeks, no bank holiday between.
    assert workdays.response_due(datetime.date(2026, 11, 2)) == datetime.date(2026, 11, 30)
    settings.DEFAULT_RESPONSE_WORKING_DAYS = 5
    assert workdays.response_due(datetime.date(2026, 11, 2)) == datetime.date(2026, 11, 9)
