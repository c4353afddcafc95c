"""Issue 10 item 9: the participant's own months at the Jobbtorg count in the eligibility history."""

import datetime

import pytest

from jobbtorg.eligibility import rules as eligibility_rules
from jobbtorg.eligibility import services as eligibility_services
from jobbtorg.eligibility.rules import Outcome
from jobbtorg.testing import factories as f

from .conftest import actor_for

D = datetime.date
ON = D(2026, 6, 10)  # the 15-month window is 2025-03 … 2026-05

pytestmark = pytest.mark.django_db


def test_jobbtorg_months_are_the_full_months_enrolled():
    # Arrived mid-January: January is not a full month; closed 2025-05-20: May is not either.
    assert eligibility_rules.jobbtorg_months([(D(2025, 1, 15), D(2025, 5, 20))], ON) == {
        D(2025, 2, 1), D(2025, 3, 1), D(2025, 4, 1)
    }  # fmt: skip
    # Still enrolled: every full month up to the month before `on`; arrived on the 1st counts that month.
    own = eligibility_rules.jobbtorg_months([(D(2026, 3, 1), None)], ON)
    assert own == {D(2026, 3, 1), D(2026, 4, 1), D(2026, 5, 1)}


def test_own_jobbtorg_months_count_in_eligibility_history(coach):
    participation = f.ParticipationFactory(enrolled=True, coach=coach, referred_on=D(2025, 1, 20), arrived_on=D(2025, 2, 3))
    person = participation.person  # test persons are born 1950–1999: 25+, so 12 of the last 15 months
    eligibility_services.save_facts(
        coach, actor_for(coach), person.pk, version=None, registered_at_af=True, establishment_programme=False,
        job_guarantee=False, newly_arrived=False, residence_permit_on=None, youth_guarantee_days=None, today=ON,
    )  # fmt: skip
    # Nothing recorded month by month: the 15 months at the Jobbtorg (2025-03 … 2026-05) are enough for 12 of 15.
    result = eligibility_services.evaluate_for(coach, actor_for(coach), person.pk, "nystartsjobb", ON)
    assert result.outcome == Outcome.ELIGIBLE
    assert any("inskriven på Jobbtorg" in r for r in result.reasons)
    # A month the coach recorded stays as recorded (work), and is not counted.
    eligibility_services.save_history(
        coach, actor_for(coach), person.pk,
        {D(2025, m, 1): "work_or_studies" for m in (3, 4, 5, 6)}, today=ON,
    )  # fmt: skip
    again = eligibility_services.evaluate_for(coach, actor_for(coach), person.pk, "nystartsjobb", ON)
    assert again.outcome == Outcome.NOT_ELIGIBLE
    assert any("11 av de senaste 15" in r for r in again.reasons)


def test_referred_but_not_arrived_gives_no_jobbtorg_months(coach):
    person = f.ParticipationFactory(referred=True, referred_on=D(2025, 1, 1)).person
    facts = eligibility_services.facts_for(person, ON)
    assert facts.jobbtorg_months == frozenset() and facts.months == {}
