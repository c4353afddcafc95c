"""The pure throttle and token rules."""

import datetime

from jobbtorg.accounts import rules

T = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
MIN = datetime.timedelta(minutes=1)
LIMITS = rules.ThrottleLimits(limit=5, window=15 * MIN, lockout=15 * MIN)


def newest_first(*minutes: float) -> list[datetime.datetime]:
    return sorted((T + m * MIN for m in minutes), reverse=True)


def test_fewer_failures_than_the_limit_never_lock():
    assert rules.locked_until(newest_first(0, 1, 2, 3), LIMITS) is None


def test_five_failures_within_the_window_lock_from_the_fifth():
    assert rules.locked_until(newest_first(0, 1, 2, 3, 10), LIMITS) == T + 25 * MIN
    assert rules.is_locked(newest_first(0, 1, 2, 3, 10), LIMITS, T + 24 * MIN)
    assert not rules.is_locked(newest_first(0, 1, 2, 3, 10), LIMITS, T + 25 * MIN)


def test_failures_exactly_a_window_apart_still_count():
    assert rules.locked_until(newest_first(0, 1, 2, 3, 15), LIMITS) == T + 30 * MIN


def test_failures_spread_wider_than_the_window_do_not_lock():
    assert rules.locked_until(newest_first(0, 1, 2, 3, 15.01), LIMITS) is None


def test_a_limit_of_zero_never_locks():
    off = rules.ThrottleLimits(limit=0, window=15 * MIN, lockout=15 * MIN)
    assert rules.locked_until(newest_first(0, 0, 0, 0, 0, 0), off) is None


def test_username_is_lower_cased_and_stripped():
    assert rules.normalise_username("  Kalle.ANKA ") == "kalle.anka"


def test_only_40_hex_characters_are_an_api_key():
    assert rules.is_well_formed_api_key("0123456789abcdef0123456789abcdef01234567")
    assert not rules.is_well_formed_api_key("x" * 40)
    assert not rules.is_well_formed_api_key("0" * 41)
    assert not rules.is_well_formed_api_key("0123456789ABCDEF0123456789ABCDEF01234567")


def test_last_used_is_written_again_after_an_hour():
    assert rules.needs_last_used_update(None, T)
    assert not rules.needs_last_used_update(T, T + 59 * MIN)
    assert rules.needs_last_used_update(T, T + 60 * MIN)
