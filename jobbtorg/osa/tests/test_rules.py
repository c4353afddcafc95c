"""The OSA rules as pure functions (seed 000 section 3)."""

import datetime

import pytest

from jobbtorg.osa import rules

D = datetime.date
JOINT = frozenset({"employee", "af", "district"})
ALL = rules.ALL_PARTIES


def test_periods_are_calendar_months():
    assert rules.period_end(D(2026, 1, 1), 6) == D(2026, 6, 30)
    assert rules.period_end(D(2026, 1, 31), 6) == D(2026, 7, 30)


@pytest.mark.parametrize("months", [None, 0, 1, 5, 7, 11, 13, 24, -6])
def test_extension_other_than_6_or_12_refused(months):
    decision = rules.extension(months, 6, has_unused_review=True)
    assert not decision.allowed and "6 eller 12" in decision.errors["months"]


def test_extension_up_to_24_needs_no_review_beyond_needs_one():
    assert rules.extension(12, 12, False).allowed  # 24: at the limit, no review
    refused = rules.extension(6, 24, False)
    assert not refused.allowed and refused.needs_review and refused.total_months == 30
    assert rules.extension(6, 24, True).allowed


def test_first_period_normally_6_months():
    assert rules.first_period_errors(6, "") == {}
    assert "length_reason" in rules.first_period_errors(4, "")
    assert rules.first_period_errors(4, "Kortare provperiod enligt AF:s beslut") == {}
    assert "months" in rules.first_period_errors(13, "skäl")


def test_follow_ups_first_period_then_yearly_then_final():
    periods = [(D(2026, 1, 1), D(2026, 6, 30)), (D(2026, 7, 1), D(2027, 6, 30)), (D(2027, 7, 1), D(2027, 12, 31))]
    none = rules.follow_ups(periods, [], transition_planned=False)
    assert [(x.kind, x.due, x.done_on) for x in none] == [
        (rules.FollowUpKind.FIRST_PERIOD_MEETING, D(2026, 6, 30), None),
        (rules.FollowUpKind.YEARLY_MEETING, D(2027, 6, 30), None),
    ]
    meetings = [rules.Meeting(D(2026, 3, 1), JOINT), rules.Meeting(D(2027, 2, 1), JOINT), rules.Meeting(D(2027, 11, 1), ALL)]
    done = rules.follow_ups(periods, meetings, transition_planned=True)
    assert [(x.kind, x.due, x.done_on) for x in done] == [
        (rules.FollowUpKind.FIRST_PERIOD_MEETING, D(2026, 6, 30), D(2026, 3, 1)),
        (rules.FollowUpKind.YEARLY_MEETING, D(2027, 3, 1), D(2027, 2, 1)),
        # The next yearly meeting would be due 2028-02-01, after the employment ends: none.
        (rules.FollowUpKind.FINAL_MEETING, D(2027, 12, 31), D(2027, 11, 1)),
    ]


def test_meeting_without_af_is_not_joint():
    periods = [(D(2026, 1, 1), D(2026, 6, 30))]
    result = rules.follow_ups(periods, [rules.Meeting(D(2026, 2, 1), frozenset({"employee", "district"}))], False)
    assert result[0].done_on is None


def test_responsible_district_changes_on_handover_date():
    transfers = [(D(2026, 5, 1), 1, 2)]
    assert rules.responsible_district(1, transfers, D(2026, 4, 30)) == 1
    assert rules.responsible_district(1, transfers, D(2026, 5, 1)) == 2
    assert rules.responsibility_segments(D(2026, 1, 1), D(2026, 12, 31), 1, transfers) == [
        (D(2026, 1, 1), D(2026, 4, 30), 1),
        (D(2026, 5, 1), D(2026, 12, 31), 2),
    ]


def test_small_cells_suppressed():
    assert rules.suppress(0) == 0 and rules.suppress(4) == "<5" and rules.suppress(5) == 5
