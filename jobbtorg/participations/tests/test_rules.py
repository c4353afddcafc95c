"""Pure rules: the state machine, capabilities, the Kolada outcome, the 18-month count."""

import datetime as dt
from types import SimpleNamespace

from jobbtorg.accounts.models import Role
from jobbtorg.core.capabilities import may
from jobbtorg.participations.models import Status
from jobbtorg.participations.rules import (
    Action,
    Outcome,
    counts_as_work_or_studies,
    participation_limit,
    step_error,
)


def test_only_an_active_participation_can_be_interrupted():
    assert step_error(Status.ACTIVE, Action.INTERRUPT) is None
    assert step_error(Status.REFERRED, Action.INTERRUPT) == "Deltagandet kan bara avbrytas när deltagaren är inskriven."


def _user(role: str, unit_id: int | None = None, district_id: int | None = None) -> SimpleNamespace:
    return SimpleNamespace(pk=1, role=role, is_authenticated=True, is_active=True, jobbtorg_unit_id=unit_id,
                           district_id=district_id, provider_id=None)


def test_unit_roles_act_only_at_their_own_unit():
    facts = {"unit_id": 1, "home_district_id": 9, "coach_id": None}
    assert may(_user(Role.COACH, unit_id=1), "participations.close", **facts)
    assert not may(_user(Role.COACH, unit_id=2), "participations.close", **facts)
    assert not may(_user(Role.SOCIAL_WORKER, district_id=9), "participations.close", **facts)
    assert may(_user(Role.SOCIAL_WORKER, district_id=9), "participations.book_appointment", **facts)
    assert not may(_user(Role.COACH, unit_id=1), "participations.assign_coach", **facts)


def work(**kw) -> Outcome:
    base = {"reason": "work", "employment_form": "permanent", "employment_extent": "full_time", "wage_subsidy": "none",
            "employment_lasts_a_month": True}
    return Outcome(**{**base, **kw})


def test_kolada_counts_regular_work_of_at_least_a_month_subsidised_or_not():
    assert counts_as_work_or_studies(work())
    assert counts_as_work_or_studies(work(wage_subsidy="lonebidrag"))
    assert counts_as_work_or_studies(work(employment_form="hourly", employment_extent="part_time"))
    assert not counts_as_work_or_studies(work(employment_lasts_a_month=False))


def test_kolada_does_not_count_municipal_labour_market_employment():
    assert not counts_as_work_or_studies(work(wage_subsidy="stockholmsjobb"))
    assert not counts_as_work_or_studies(work(wage_subsidy="osa"))


def test_kolada_counts_studies_with_student_finance_only():
    assert counts_as_work_or_studies(Outcome(reason="studies", study_level="komvux"))
    assert counts_as_work_or_studies(Outcome(reason="studies", study_level="university"))
    assert not counts_as_work_or_studies(Outcome(reason="studies", study_level="sfi"))
    assert not counts_as_work_or_studies(Outcome(reason="transfer", transfer_to="arbetsformedlingen"))


def test_outcome_keeps_only_the_facts_of_its_reason():
    o = Outcome(reason="studies", study_level="komvux", employment_form="permanent", transfer_to="osa").normalised()
    assert (o.study_level, o.employment_form, o.transfer_to) == ("komvux", "", "")


def test_18_month_limit_counts_only_active_time_over_all_participations():
    first = dt.date(2025, 1, 1)
    today = dt.date(2025, 12, 1)
    periods = [(first, dt.date(2025, 3, 2)), (dt.date(2025, 11, 1), None)]  # 60 days + 30 days
    pauses = [(dt.date(2025, 1, 11), dt.date(2025, 1, 21))]  # 10 days away
    limit = participation_limit(periods, pauses, today)
    assert limit.used_days == 80
    assert limit.limit_on == today + dt.timedelta(days=(dt.date(2026, 7, 1) - first).days - 80)
    assert limit.warning_on == today + dt.timedelta(days=(dt.date(2026, 6, 1) - first).days - 80)


def test_no_limit_before_arrival():
    assert participation_limit([], [], dt.date(2025, 1, 1)) is None
