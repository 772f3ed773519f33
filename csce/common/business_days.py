"""Business days at the centre: Monday to Friday, less Ontario's public holidays.

The first-response due date of an inquiry (policy R: respond promptly) counts business days so that
a message sent on a Friday before a long weekend is not flagged overdue on Monday.
The `holidays` package keeps the calendar (federal and Ontario statutory holidays).
"""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays
from django.conf import settings
from django.utils import timezone


@lru_cache(maxsize=8)
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays(
        settings.BUSINESS_DAYS_COUNTRY, subdiv=settings.BUSINESS_DAYS_SUBDIVISION, years=year
    )


def is_business_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_business_days(moment: datetime.datetime, days: int) -> datetime.datetime:
    """``moment`` moved forward by ``days`` business days, at the end of that day (local).

    Something received on a holiday or a weekend starts counting on the next business day.
    """
    local = timezone.localtime(moment)
    day = local.date()
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_business_day(day):
            remaining -= 1
    end = datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=local.tzinfo)
    return end
