"""Working days in England and Wales: Monday to Friday, less the bank holidays. A target's
answer is owed within working days (20 by default), and an overdue one is counted in them."""

import datetime
from functools import cache

import holidays
from django.conf import settings

WEEKEND = (5, 6)


@cache
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    # England's and Wales's bank holidays are the same days; holidays.UK names them "ENG".
    return frozenset(holidays.UK(subdiv="ENG", years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() not in WEEKEND and day not in _bank_holidays(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The working day `days` working days after `start` (`start` itself is not counted)."""
    day = start
    while days > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """The working days after `start` up to and including `end`: 0 when `end` is not later.
    Due on a Friday and counted on the Monday after: 1."""
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        count += is_working_day(day)
    return count


def response_due(delivered_on: datetime.date) -> datetime.date:
    return add_working_days(delivered_on, settings.DEFAULT_RESPONSE_WORKING_DAYS)
