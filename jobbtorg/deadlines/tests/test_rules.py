"""Deadline rules of DOMAIN §4 and §7, as pure functions."""

import datetime as dt

from jobbtorg.deadlines.rules import RULES, Kind, active_days, due_date, limit_date, shift_for_pause


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
        assert RULES[kind].source and RULES[kind].responsible in {"coach", "district"}


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
    without_pause = limit_date(start, active_days([(start, None)], [], today), 18, today)
    with_pause = limit_date(start, active_days([(start, None)], [(dt.date(2026, 3, 1), dt.date(2026, 3, 31))], today), 18, today)
    assert without_pause == dt.date(2027, 7, 1)
    assert (with_pause - without_pause).days == 30
