"""The pure rules of activities and attendance (no database)."""

import datetime

from jobbtorg.activities import rules

D = datetime.date


def test_dates_end_before_start_has_swedish_message():
    errors = rules.check_dates(D(2026, 5, 10), D(2026, 5, 9))
    assert errors == {"end_date": ["Ange ett slutdatum som är efter startdatum"]}
    assert rules.check_dates(D(2026, 5, 10), D(2026, 5, 10)) == {}
    assert set(rules.check_dates(None, None)) == {"start_date", "end_date"}


def test_peak_occupancy_counts_concurrent_days_not_all_overlaps():
    # Two activities that both overlap the new period but never run on the same day.
    periods = [(D(2026, 1, 1), D(2026, 1, 10)), (D(2026, 1, 11), D(2026, 1, 20))]
    assert rules.peak_occupancy(periods, D(2026, 1, 1), D(2026, 1, 31)) == 1
    periods.append((D(2026, 1, 10), D(2026, 1, 12)))
    assert rules.peak_occupancy(periods, D(2026, 1, 1), D(2026, 1, 31)) == 2
    assert rules.peak_occupancy(periods, D(2026, 2, 1), D(2026, 2, 5)) == 0


def test_capacity_refuses_when_full():
    full = rules.check_capacity(1, [(D(2026, 1, 1), D(2026, 1, 10))], D(2026, 1, 10), D(2026, 1, 12))
    assert "fullbokad" in full["start_date"][0]
    assert rules.check_capacity(1, [(D(2026, 1, 1), D(2026, 1, 9))], D(2026, 1, 10), D(2026, 1, 12)) == {}
    assert rules.check_capacity(None, [(D(2026, 1, 1), D(2026, 1, 10))] * 50, D(2026, 1, 1), D(2026, 1, 2)) == {}


def test_attendance_needs_reason_for_absence_and_text_for_other_and_non_cooperation():
    assert rules.check_attendance("present", "", "") == {}
    assert "absence_reason" in rules.check_attendance("absent", "", "")
    assert "note" in rules.check_attendance("absent", "other", "")
    assert rules.check_attendance("absent", "other", "Tandläkare") == {}
    assert "note" in rules.check_attendance("non_cooperation", "", "")
    assert "absence_reason" in rules.check_attendance("present", "sick", "")
    assert "status" in rules.check_attendance("late", "", "")


def test_only_unexcused_absence_and_non_cooperation_are_deviations():
    assert rules.deviation_kind("absent", "unexcused") == "unexcused_absence"
    assert rules.deviation_kind("non_cooperation", "") == "non_cooperation"
    for reason in ("sick", "child_sick", "appointment", "other"):
        assert rules.deviation_kind("absent", reason) is None
    assert rules.deviation_kind("present", "") is None
    assert rules.deviation_kind(None, "") is None


def test_rate_is_present_over_registered_and_ignores_missing():
    rate = rules.Rate(present=3, absent=1, non_cooperation=0, missing=10)
    assert rate.registered == 4
    assert rate.percent == 75
    assert rules.Rate(0, 0, 0, 5).percent is None


def test_session_dates_follow_weekdays_and_skip_holidays():
    # 2026-06-01 is a Monday; 2026-06-06 (national day) is a Saturday anyway; 2026-06-19 midsummer eve.
    got = rules.session_dates(D(2026, 6, 15), D(2026, 6, 21), [0, 1, 2, 3, 4], skip=[D(2026, 6, 19)])
    assert got == [D(2026, 6, 15), D(2026, 6, 16), D(2026, 6, 17), D(2026, 6, 18)]
    assert rules.session_dates(D(2026, 6, 15), None, []) == [D(2026, 6, 15)]


def test_followup_continue_needs_later_end():
    start, end = D(2026, 1, 1), D(2026, 1, 31)
    assert "new_end_date" in rules.check_followup("continue", "Bra", D(2026, 1, 31), start, end, D(2026, 1, 31))
    assert rules.check_followup("continue", "Bra", D(2026, 1, 31), start, end, D(2026, 2, 28)) == {}
    assert set(rules.check_followup(None, "", None, start, end, None)) == {"result", "decision", "followed_up_on"}
