"""The validity rule of every code in the seed's checklist (seed 000 section 4)."""

import datetime

import pytest

from jobbtorg.disabilities import rules

D = datetime.date


def test_disability_43_pain_documentation_expires_after_2_years():
    documented = D(2024, 3, 15)
    assert rules.valid_until("43", "pain", documented) == D(2026, 3, 15)
    assert not rules.is_expired("43", "pain", documented, D(2026, 3, 15))
    assert rules.is_expired("43", "pain", documented, D(2026, 3, 16))


def test_disability_43_chronic_has_no_time_limit():
    assert rules.valid_until("43", "chronic", D(2000, 1, 1)) is None
    assert not rules.is_expired("43", "chronic", D(2000, 1, 1), D(2030, 1, 1))


def test_disability_71_is_permanent():
    assert rules.CODES["71"].sub_kinds[0].validity == rules.Validity.PERMANENT
    assert rules.valid_until("71", "", D(1995, 6, 1)) is None
    assert not rules.is_expired("71", "", D(1995, 6, 1), D(2040, 1, 1))


def test_disability_92_npf_is_permanent_and_brain_injury_has_no_limit():
    assert rules.CODES["92"].sub_kind("npf").validity == rules.Validity.PERMANENT
    assert not rules.is_expired("92", "npf", D(2001, 1, 1), D(2030, 1, 1))
    assert rules.valid_until("92", "brain_injury", D(2001, 1, 1)) is None


@pytest.mark.parametrize("code,sub_kind", [("11", "other"), ("82", "")])
def test_disability_11_and_82_expire_after_2_years(code, sub_kind):
    assert rules.valid_until(code, sub_kind, D(2024, 1, 31)) == D(2026, 1, 31)
    assert rules.is_expired(code, sub_kind, D(2024, 1, 31), D(2026, 2, 1))


def test_disability_11_copd_is_permanent():
    assert rules.valid_until("11", "copd", D(2010, 1, 1)) is None


def test_disability_91_current_means_12_months():
    assert rules.CURRENT_MONTHS == 12
    assert rules.valid_until("91", "", D(2025, 5, 10)) == D(2026, 5, 10)
    assert rules.is_expired("91", "", D(2025, 5, 10), D(2026, 5, 11))


@pytest.mark.parametrize("code", ["61", "51", "33", "21", "22"])
def test_disability_codes_without_a_stated_limit(code):
    assert rules.valid_until(code, "", D(2000, 1, 1)) is None


def test_checklist_holds_exactly_the_seeds_codes_in_order():
    assert list(rules.CODES) == ["43", "92", "61", "11", "71", "82", "51", "91", "33", "21", "22"]


def test_sub_kind_required_where_the_rule_depends_on_it():
    today = D(2026, 1, 1)
    assert "sub_kind" in rules.check("43", "", D(2025, 1, 1), "lakarintyg", today)
    assert "sub_kind" in rules.check("11", "npf", D(2025, 1, 1), "lakarintyg", today)
    assert rules.check("11", "copd", D(2025, 1, 1), "lakarintyg", today) == {}
    assert "documented_on" in rules.check("71", "", D(2026, 1, 2), "sarskola", today)
