"""Deadline rules of DOMAIN §4 and §7, as pure functions."""

import datetime as dt

from jobbtorg.deadlines.rules import RULES, Kind, Responsible, active_days, due_date, limit_date, shift_for_pause


def test_plan_due_within_5_working_days_of_arrival():
    # Arrival Thursday 2026-11-19 -> 5 working days -> Thursday 2026-11-26.
    assert due_date(Kind.PLAN_DRAWN_UP, dt.date(2026, 11, 19)) == dt.date(2026, 11, 26)


def test_plan_due_skips_christmas_holidays():
    # Arrival Mon 2026-12-21: 22, 23, (24-27 closed), 28, 29, 30 -> Wed 2026-12-30.
    assert due_date(Kind.PLAN_DRAWN_UP, dt.date(2026, 12, 21)) == dt.date(2026, 12, 30)


def test_job_guarantee_offer_within_5_working_days():
    assert due_date(Kind.JOB_GUARANTEE_OFFER, dt.date(2026, 4, 1)) == dt.date(2026, 4, 10)  # over Easter


def test_plan_review_at_6_months():
    assert due_date(Kind.PLAN_REVIEW, dt.date(2026, 8, 31)) == dt.date(2027, 2, 28)


def test_post_closure_followups_at_2_and_8_months():
    closed = dt.date(2026, 11, 23)
    assert due_date(Kind.FOLLOWUP_2_MONTHS, closed) == dt.date(2027, 1, 23)
    assert due_date(Kind.FOLLOWUP_8_MONTHS, closed) == dt.date(2027, 7, 23)


def test_activity_followup_due_at_activity_end():
    assert due_date(Kind.ACTIVITY_FOLLOWUP, dt.date(2026, 12, 4)) == dt.date(2026, 12, 4)


def test_every_kind_has_a_rule_with_source():
    for kind in Kind:
        assert RULES[kind].source and RULES[kind].responsible in set(Responsible)


def test_interruption_pauses_the_clock():
    assert shift_for_pause(dt.date(2026, 11, 26), dt.date(2026, 11, 20), dt.date(2026, 12, 20)) == dt.date(2026, 12, 26)


def test_18_month_count_excludes_interruptions():
    today = dt.date(2026, 11, 23)
    periods = [(dt.date(2025, 1, 1), dt.date(2025, 7, 1)), (dt.date(2026, 1, 1), None)]
    pauses = [(dt.date(2026, 3, 1), dt.date(2026, 4, 1))]
    used = active_days(periods, pauses, today)
    assert used == (dt.date(2025, 7, 1) - dt.date(2025, 1, 1)).days + (today - dt.date(2026, 1, 1)).days - 31


def test_18_month_limit_date_moves_by_interruption():
    start = dt.date(2026, 1, 1)
    today = dt.date(2026, 11, 23)
    without_pause = limit_date([(start, None)], [], 18, today)
    with_pause = limit_date([(start, None)], [(dt.date(2026, 3, 1), dt.date(2026, 3, 31))], 18, today)
    assert without_pause == dt.date(2027, 7, 1)
    assert (with_pause - without_pause).days == 30


def test_18_month_limit_from_a_history_registered_after_the_fact_is_in_the_past():
    """Issue 8 item 12: the limit follows the history's own dates, not the day it was registered.

    Arrival 2024-01-10, 30 days of illness in the spring: the 18 months ended 2025-08-09, and a
    history registered in 2026 says so (before: "today", as if the limit were only now reached)."""
    periods = [(dt.date(2024, 1, 10), None)]
    pauses = [(dt.date(2024, 4, 2), dt.date(2024, 5, 2))]
    for today in (dt.date(2025, 8, 9), dt.date(2026, 11, 25), dt.date(2028, 2, 29)):
        assert limit_date(periods, pauses, 18, today) == dt.date(2025, 8, 9)
        assert limit_date(periods, pauses, 17, today) == dt.date(2025, 7, 10)


def test_18_month_limit_walks_over_closed_participations_and_gaps():
    # 60 active days, a gap of eight months that does not count, then a new arrival.
    periods = [(dt.date(2024, 1, 1), dt.date(2024, 3, 1)), (dt.date(2024, 11, 1), None)]
    limit_days = (dt.date(2025, 7, 1) - dt.date(2024, 1, 1)).days
    assert limit_date(periods, [], 18, dt.date(2025, 1, 1)) == dt.date(2024, 11, 1) + dt.timedelta(days=limit_days - 60)


def test_18_month_limit_reached_on_the_first_day_of_an_interruption_moves_with_it():
    # The same as a paused clock: due on the day the interruption begins -> due on the restart day.
    start = dt.date(2026, 1, 1)
    reached = dt.date(2027, 7, 1)
    assert limit_date([(start, None)], [(reached, dt.date(2027, 8, 1))], 18, dt.date(2027, 9, 1)) == dt.date(2027, 8, 1)
    assert limit_date([(start, None)], [(reached + dt.timedelta(days=1), dt.date(2027, 8, 1))], 18,
                      dt.date(2027, 9, 1)) == reached


def test_18_month_limit_during_a_running_interruption_counts_as_if_back_today():
    start = dt.date(2026, 1, 1)
    # 59 days used before the interruption of 1 March; back today, 1 May.
    assert limit_date([(start, None)], [(dt.date(2026, 3, 1), None)], 18, dt.date(2026, 5, 1)) == (
        dt.date(2027, 7, 1) + dt.timedelta(days=(dt.date(2026, 5, 1) - dt.date(2026, 3, 1)).days)
    )


def test_18_month_limit_with_every_participation_closed_counts_the_rest_from_today():
    periods = [(dt.date(2026, 1, 1), dt.date(2026, 1, 31))]  # 30 days used
    today = dt.date(2026, 6, 1)
    limit_days = (dt.date(2027, 7, 1) - dt.date(2026, 1, 1)).days
    assert limit_date(periods, [], 18, today) == today + dt.timedelta(days=limit_days - 30)
