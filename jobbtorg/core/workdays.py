"""Working days in Sweden: Monday–Friday except Swedish public holidays.

Holidays come from the `holidays` package. Its Sweden calendar counts every
Sunday as a holiday by default ("include_sundays"); we turn that off and treat
weekends ourselves. Midsommarafton, julafton and nyårsafton are not public
holidays in the package, but the Annual Leave Act treats them like Sundays and
the city's offices are closed, so they are added here.
"""

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays_for(year: int) -> frozenset[datetime.date]:
    calendar = holidays.Sweden(years=year, include_sundays=False)
    days = set(calendar.keys())
    midsummer_day = next(d for d, name in calendar.items() if name == "Midsommardagen")
    days |= {midsummer_day - datetime.timedelta(days=1), datetime.date(year, 12, 24), datetime.date(year, 12, 31)}
    return frozenset(days)


def is_holiday(day: datetime.date) -> bool:
    return day in _holidays_for(day.year)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and not is_holiday(day)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (start itself not counted)."""
    if days < 0:
        raise ValueError("days must be >= 0")
    current = start
    remaining = days
    while remaining:
        current += datetime.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 if end <= start)."""
    count = 0
    current = start
    while current < end:
        current += datetime.timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Calendar months forward (or back); the day is clamped to the month's last day."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError("unreachable")


def iso_week(day: datetime.date) -> int:
    return day.isocalendar().week
