"""Working days with Swedish holidays (DOMAIN §4, §9: rules in working days)."""

import datetime as dt

from jobbtorg.core.workdays import add_months, add_working_days, is_working_day, working_days_between


def test_sunday_is_not_a_working_day_but_not_a_holiday_either():
    assert not is_working_day(dt.date(2026, 11, 22))  # Sunday


def test_weekday_public_holiday_is_not_a_working_day():
    assert not is_working_day(dt.date(2026, 6, 6))  # Nationaldagen (Saturday in 2026)
    assert not is_working_day(dt.date(2026, 1, 6))  # Trettondedag jul, Tuesday
    assert not is_working_day(dt.date(2026, 4, 3))  # Långfredagen


def test_eves_treated_as_holidays():
    assert not is_working_day(dt.date(2026, 6, 19))  # midsommarafton, Friday
    assert not is_working_day(dt.date(2026, 12, 24))
    assert not is_working_day(dt.date(2026, 12, 31))


def test_add_working_days_skips_weekend():
    assert add_working_days(dt.date(2026, 11, 20), 1) == dt.date(2026, 11, 23)  # Fri -> Mon


def test_add_working_days_over_easter():
    # Thu 2026-04-02 + 2 working days: Good Friday and Easter Monday are holidays -> Wed 04-08.
    assert add_working_days(dt.date(2026, 4, 2), 2) == dt.date(2026, 4, 8)


def test_add_working_days_over_christmas():
    # Wed 2026-12-23 + 1: 24th eve, 25-26 holidays/weekend, 27 Sunday -> Mon 28th.
    assert add_working_days(dt.date(2026, 12, 23), 1) == dt.date(2026, 12, 28)


def test_working_days_between_counts_end_inclusive():
    assert working_days_between(dt.date(2026, 11, 20), dt.date(2026, 11, 27)) == 5


def test_add_months_clamps_to_month_end():
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2027, 8, 31), 6) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 3, 15), -2) == dt.date(2026, 1, 15)
